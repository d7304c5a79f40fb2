// Anonymous sessions in SQL, ownership checks and CSRF tokens.

#include <bankflow/database.hpp>
#include <bankflow/session.hpp>

#include "crypto/crypto.hpp"
#include "store/db.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <utility>

namespace bankflow {
namespace {

using std::chrono::sys_seconds;

constexpr std::size_t token_bytes = 32;  // 256 bits
constexpr std::size_t id_bytes = 16;

sys_seconds at_seconds(long long s) { return sys_seconds(std::chrono::seconds(s)); }

const std::vector<detail::migration>& session_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_sessions ("
        "id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, "
        "expires_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, revoked_at BIGINT)",
        "CREATE INDEX IF NOT EXISTS bankflow_sessions_expires ON bankflow_sessions (expires_at)"}},
      // login sessions: their user, and the idle deadline every touch moves on
      {2,
       {"ALTER TABLE bankflow_sessions ADD COLUMN user_id TEXT",
        "ALTER TABLE bankflow_sessions ADD COLUMN idle_expires_at BIGINT",
        "CREATE INDEX IF NOT EXISTS bankflow_sessions_user ON bankflow_sessions (user_id)"}},
      // what a login session was begun from, for the user's list of their devices
      {3,
       {"ALTER TABLE bankflow_sessions ADD COLUMN device TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE bankflow_sessions ADD COLUMN client_address TEXT NOT NULL DEFAULT ''"}},
  };
  return steps;
}

// An unsaved session's token has the shape of any other (32 bytes, base64url): 16 random bytes,
// the creation time (4 bytes, big-endian Unix seconds) and 12 bytes of HMAC-SHA256 over them.
constexpr std::size_t unsaved_random = 16;
constexpr std::size_t unsaved_signed = unsaved_random + 4;
constexpr std::string_view unsaved_domain = "bankflow-unsaved-session-v1:";  // keeps these MACs apart
constexpr std::string_view unsaved_id_domain = "bankflow-session-id-v1:";

// The stored form of a token: hex SHA-256 of its 32 bytes; nothing when it is not a token.
std::optional<std::string> token_hash(std::string_view token) {
  std::array<unsigned char, token_bytes> raw{};
  if (!detail::base64_to(token, raw, true)) return std::nullopt;
  const auto d = detail::sha256(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
  return detail::to_hex(d);
}

error invalid_token() { return make_error(errc::session_invalid, "no session has this token"); }

// What a query selects of a session, in this order, and where it lands.
#define BANKFLOW_SESSION_COLUMNS \
  "id, created_at, expires_at, last_seen_at, revoked_at, user_id, idle_expires_at, device, client_address"

struct session_row {
  std::string id;
  long long created = 0, expires = 0, seen = 0, revoked = 0, idle = 0;
  std::string user, device, address;
  soci::indicator revoked_ind = soci::i_null, user_ind = soci::i_null, idle_ind = soci::i_null;

  // Binds the columns of BANKFLOW_SESSION_COLUMNS to this row.
  void bind(soci::details::prepare_temp_type& p) {
    p, soci::into(id), soci::into(created), soci::into(expires), soci::into(seen), soci::into(revoked, revoked_ind),
        soci::into(user, user_ind), soci::into(idle, idle_ind), soci::into(device), soci::into(address);
  }

  [[nodiscard]] session_info info() const {
    session_info out;
    out.id = id;
    out.created_at = at_seconds(created);
    out.expires_at = at_seconds(expires);
    out.last_seen_at = at_seconds(seen);
    if (revoked_ind == soci::i_ok) out.revoked_at = at_seconds(revoked);
    if (user_ind == soci::i_ok) out.user_id = user;
    if (idle_ind == soci::i_ok) out.idle_expires_at = at_seconds(idle);
    out.device = device;
    out.client_address = address;
    return out;
  }
};

// Why a session that has a row is not live at `now`; ok when it is.
result<void> check_live(const session_info& info, long long now) {
  if (info.revoked_at) return make_error(errc::session_revoked, "the session was revoked");
  if (now >= detail::unix_s(info.expires_at)) return make_error(errc::session_expired, "the session has expired");
  if (info.idle_expires_at && now >= detail::unix_s(*info.idle_expires_at))
    return make_error(errc::session_expired, "the session has expired after a time without activity");
  return {};
}

// Runs a query returning BANKFLOW_SESSION_COLUMNS rows, with `now` as :n and :n2 (a name is bound
// once) and `user`, when given, as :u.
std::vector<session_info> read_sessions(soci::session& sql, const std::string& query, long long now,
                                        const std::string& user = {}) {
  std::vector<session_info> out;
  session_row row;
  soci::details::prepare_temp_type p = (sql.prepare << query, soci::use(now, "n"), soci::use(now, "n2"));
  if (!user.empty()) p, soci::use(user, "u");
  row.bind(p);
  soci::statement st = p;
  st.execute();
  while (st.fetch()) out.push_back(row.info());
  return out;
}

// A client's User-Agent as a session keeps it: printable ASCII only, at most 200 characters.
std::string clean_device(std::string_view user_agent) {
  std::string out;
  for (const char c : user_agent.substr(0, 200)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

// The sessions a purge removes: expired (absolutely or, a login session, idle) or revoked.
constexpr std::string_view dead_sessions = "expires_at <= :n OR revoked_at IS NOT NULL OR idle_expires_at <= :n2";

}  // namespace

struct session_store::impl {
  detail::database_impl* db;
  std::chrono::seconds lifetime;
  std::chrono::seconds idle_timeout;
  std::chrono::seconds max_age;
  clock_fn clock;
  std::optional<detail::hmac_key> unsaved_key;

  detail::digest unsaved_mac(const std::array<unsigned char, token_bytes>& raw) const {
    return unsaved_key->compute(
        {unsaved_domain, std::string_view(reinterpret_cast<const char*>(raw.data()), unsaved_signed)});
  }

  long long now_s() const { return detail::unix_s(clock()); }

  // A new saved session: anonymous (its lifetime) or, with a user, a login session (max_age,
  // idle_timeout).
  result<new_session> insert(std::string_view user_id, std::string_view device = {},
                             std::string_view client_address = {}) {
    std::array<unsigned char, token_bytes> raw{};
    detail::random_bytes(raw);
    std::array<unsigned char, id_bytes> id_raw{};
    detail::random_bytes(id_raw);
    new_session s;
    s.token = detail::to_base64url(raw);
    s.info.id = detail::to_hex(id_raw);
    s.info.user_id = std::string(user_id);
    s.info.device = clean_device(device);
    s.info.client_address = std::string(client_address.substr(0, 64));
    const long long now = now_s();
    const bool login = !user_id.empty();
    const long long expires = now + static_cast<long long>((login ? max_age : lifetime).count());
    long long idle = now + static_cast<long long>(idle_timeout.count());
    s.info.created_at = at_seconds(now);
    s.info.last_seen_at = at_seconds(now);
    s.info.expires_at = at_seconds(expires);
    if (login) s.info.idle_expires_at = at_seconds(idle);
    const std::string hash = *token_hash(s.token);
    soci::indicator user_ind = login ? soci::i_ok : soci::i_null;
    soci::indicator idle_ind = user_ind;
    auto ok = detail::with_session(*db, "creating a session", [&](soci::session& sql) {
      sql << "INSERT INTO bankflow_sessions (id, token_hash, created_at, expires_at, last_seen_at, user_id, "
             "idle_expires_at, device, client_address) VALUES (:id, :h, :c, :e, :l, :u, :i, :d, :a)",
          soci::use(s.info.id, "id"), soci::use(hash, "h"), soci::use(now, "c"), soci::use(expires, "e"),
          soci::use(now, "l"), soci::use(s.info.user_id, user_ind, "u"), soci::use(idle, idle_ind, "i"),
          soci::use(s.info.device, "d"), soci::use(s.info.client_address, "a");
    });
    if (!ok) return ok.error();
    return s;
  }
};

session_store::session_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
session_store::session_store(session_store&& other) noexcept = default;
session_store& session_store::operator=(session_store&& other) noexcept = default;
session_store::~session_store() = default;

result<session_store> session_store::open(database& db, session_options options) {
  if (options.lifetime.count() <= 0) return make_error(errc::invalid_argument, "the session lifetime must be positive");
  if (options.idle_timeout.count() <= 0 || options.max_age.count() <= 0)
    return make_error(errc::invalid_argument, "a login session's idle timeout and maximum age must be positive");
  detail::database_impl& d = detail::database_access::impl(db);
  if (auto ok = detail::migrate(d, "sessions", session_migrations()); !ok) return ok.error();
  auto p = std::make_unique<impl>();
  p->db = &d;
  p->lifetime = options.lifetime;
  p->idle_timeout = options.idle_timeout;
  p->max_age = options.max_age;
  p->clock = options.clock ? std::move(options.clock) : system_clock();
  if (!options.unsaved_key.empty()) {
    if (options.unsaved_key.size() < 16)
      return make_error(errc::invalid_argument, "the unsaved sessions' key must be at least 16 bytes");
    p->unsaved_key.emplace(options.unsaved_key);
  }
  return session_store(std::move(p));
}

result<new_session> session_store::begin_unsaved() {
  if (!impl_->unsaved_key) return make_error(errc::invalid_argument, "unsaved sessions need a key");
  std::array<unsigned char, token_bytes> raw{};
  detail::random_bytes(std::span<unsigned char>(raw.data(), unsaved_random));
  const auto now = static_cast<std::uint32_t>(impl_->now_s());
  for (std::size_t i = 0; i < 4; ++i) raw[unsaved_random + i] = static_cast<unsigned char>(now >> (24 - 8 * i));
  const auto mac = impl_->unsaved_mac(raw);
  std::copy(mac.begin(), mac.begin() + (token_bytes - unsaved_signed), raw.begin() + unsaved_signed);
  new_session s;
  s.token = detail::to_base64url(raw);
  auto info = find_unsaved(s.token);
  if (!info) return info.error();
  s.info = std::move(*info);
  return s;
}

result<session_info> session_store::find_unsaved(std::string_view token) const {
  std::array<unsigned char, token_bytes> raw{};
  if (!impl_->unsaved_key || !detail::base64_to(token, raw, true)) return invalid_token();
  const auto mac = impl_->unsaved_mac(raw);
  if (!detail::equal_constant_time(std::span<const unsigned char>(mac.data(), token_bytes - unsaved_signed),
                                   std::span<const unsigned char>(raw.data() + unsaved_signed,
                                                                  token_bytes - unsaved_signed)))
    return invalid_token();
  long long created = 0;
  for (std::size_t i = 0; i < 4; ++i) created = (created << 8) | raw[unsaved_random + i];
  const long long expires = created + static_cast<long long>(impl_->lifetime.count());
  if (impl_->now_s() >= expires) return make_error(errc::session_expired, "the session has expired");
  session_info info;
  const auto id = detail::sha256(std::string(unsaved_id_domain) +
                                 std::string(reinterpret_cast<const char*>(raw.data()), unsaved_random));
  info.id = detail::to_hex(std::span<const unsigned char>(id.data(), id_bytes));
  info.created_at = at_seconds(created);
  info.last_seen_at = at_seconds(created);
  info.expires_at = at_seconds(expires);
  return info;
}

result<session_info> session_store::save(std::string_view token) {
  auto info = find_unsaved(token);
  if (!info) return info.error();
  const auto hash = token_hash(token);
  const long long now = impl_->now_s();
  const long long created = detail::unix_s(info->created_at);
  const long long expires = detail::unix_s(info->expires_at);
  auto ok = detail::with_session(*impl_->db, "saving a session", [&](soci::session& sql) {
    // a concurrent first write of the same session inserts nothing (the id is the key)
    sql << "INSERT INTO bankflow_sessions (id, token_hash, created_at, expires_at, last_seen_at) "
           "VALUES (:id, :h, :c, :e, :l) ON CONFLICT DO NOTHING",
        soci::use(info->id, "id"), soci::use(*hash, "h"), soci::use(created, "c"), soci::use(expires, "e"),
        soci::use(now, "l");
  });
  if (!ok) return ok.error();
  return touch(token);  // a revoked one says so
}

result<new_session> session_store::create() { return impl_->insert({}); }

result<session_info> session_store::find(std::string_view token) {
  const auto hash = token_hash(token);
  if (!hash) return invalid_token();
  session_row row;
  bool found = false;
  auto ok = detail::with_session(*impl_->db, "looking up a session", [&](soci::session& sql) {
    soci::details::prepare_temp_type p =
        (sql.prepare << "SELECT " BANKFLOW_SESSION_COLUMNS " FROM bankflow_sessions WHERE token_hash = :h",
         soci::use(*hash, "h"));
    row.bind(p);
    soci::statement st = p;
    st.execute(true);
    found = st.got_data();
  });
  if (!ok) return ok.error();
  if (!found) return invalid_token();
  session_info info = row.info();
  if (auto live = check_live(info, impl_->now_s()); !live) return live.error();
  return info;
}

result<session_info> session_store::touch(std::string_view token) {
  const auto hash = token_hash(token);
  if (!hash) return invalid_token();
  const long long now = impl_->now_s();
  const long long idle = now + static_cast<long long>(impl_->idle_timeout.count());
  session_row row;
  bool updated = false;
  auto ok = detail::with_session(*impl_->db, "recording session activity", [&](soci::session& sql) {
    soci::details::prepare_temp_type p =
        (sql.prepare << "UPDATE bankflow_sessions SET last_seen_at = :n, idle_expires_at = CASE WHEN "
                        "idle_expires_at IS NULL THEN NULL ELSE CAST(:i AS BIGINT) END WHERE token_hash = :h AND revoked_at IS NULL "
                        "AND expires_at > :n2 AND (idle_expires_at IS NULL OR idle_expires_at > :n3) "
                        "RETURNING " BANKFLOW_SESSION_COLUMNS,
         soci::use(now, "n"), soci::use(idle, "i"), soci::use(*hash, "h"), soci::use(now, "n2"), soci::use(now, "n3"));
    row.bind(p);
    soci::statement st = p;
    st.execute(true);
    updated = st.got_data();
  });
  if (!ok) return ok.error();
  if (!updated) {
    auto why = find(token);  // unknown, revoked or expired: find names which
    if (!why) return why;
    return invalid_token();
  }
  return row.info();
}

result<new_session> session_store::create_for_user(std::string_view user_id, std::string_view device,
                                                   std::string_view client_address) {
  if (user_id.empty()) return make_error(errc::invalid_argument, "a login session needs a user");
  return impl_->insert(user_id, device, client_address);
}

result<void> session_store::revoke(std::string_view session_id) {
  const std::string id(session_id);
  const long long now = impl_->now_s();
  long long affected = 0;
  int exists = 0;
  auto ok = detail::with_session(*impl_->db, "revoking a session", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "UPDATE bankflow_sessions SET revoked_at = :n WHERE id = :id "
                                         "AND revoked_at IS NULL",
                          soci::use(now, "n"), soci::use(id, "id"));
    st.execute(true);
    affected = st.get_affected_rows();
    if (affected == 0) {
      soci::indicator ind = soci::i_null;
      sql << "SELECT 1 FROM bankflow_sessions WHERE id = :id", soci::use(id, "id"), soci::into(exists, ind);
      if (ind != soci::i_ok) exists = 0;
    }
  });
  if (!ok) return ok.error();
  if (affected == 0 && exists == 0) return not_found_error("session", session_id);
  return {};
}

result<std::vector<session_info>> session_store::list_for_user(std::string_view user_id) {
  const long long now = impl_->now_s();
  std::vector<session_info> found;
  auto ok = detail::with_session(*impl_->db, "listing a user's sessions", [&](soci::session& sql) {
    found = read_sessions(sql,
                          "SELECT " BANKFLOW_SESSION_COLUMNS " FROM bankflow_sessions WHERE user_id = :u AND "
                          "revoked_at IS NULL AND expires_at > :n AND (idle_expires_at IS NULL OR idle_expires_at > :n2) "
                          "ORDER BY created_at DESC, id",
                          now, std::string(user_id));
  });
  if (!ok) return ok.error();
  return found;
}

result<void> session_store::revoke_for_user(std::string_view user_id, std::string_view session_id) {
  const std::string user(user_id), id(session_id);
  const long long now = impl_->now_s();
  int mine = 0;
  auto ok = detail::with_session(*impl_->db, "revoking a session", [&](soci::session& sql) {
    soci::indicator ind = soci::i_null;
    sql << "SELECT 1 FROM bankflow_sessions WHERE id = :id AND user_id = :u", soci::use(id, "id"),
        soci::use(user, "u"), soci::into(mine, ind);
    if (ind != soci::i_ok) mine = 0;
    if (mine == 1)
      sql << "UPDATE bankflow_sessions SET revoked_at = :n WHERE id = :id AND revoked_at IS NULL", soci::use(now, "n"),
          soci::use(id, "id");
  });
  if (!ok) return ok.error();
  if (mine != 1 || user.empty()) return not_found_error("session", session_id);
  return {};
}

result<std::size_t> session_store::revoke_all_for_user(std::string_view user_id, std::string_view except_session_id) {
  const std::string user(user_id), except(except_session_id);
  const long long now = impl_->now_s();
  long long affected = 0;
  if (user.empty()) return std::size_t{0};
  auto ok = detail::with_session(*impl_->db, "revoking a user's sessions", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "UPDATE bankflow_sessions SET revoked_at = :n WHERE user_id = :u "
                                         "AND revoked_at IS NULL AND id <> :x",
                          soci::use(now, "n"), soci::use(user, "u"), soci::use(except, "x"));
    st.execute(true);
    affected = st.get_affected_rows();
  });
  if (!ok) return ok.error();
  return static_cast<std::size_t>(affected);
}


result<std::vector<session_info>> session_store::expired() {
  const long long now = impl_->now_s();
  std::vector<session_info> found;
  auto ok = detail::with_session(*impl_->db, "listing expired sessions", [&](soci::session& sql) {
    found = read_sessions(sql, "SELECT " BANKFLOW_SESSION_COLUMNS " FROM bankflow_sessions WHERE " +
                                   std::string(dead_sessions), now);
  });
  if (!ok) return ok.error();
  return found;
}

result<std::size_t> session_store::purge(const std::vector<std::string>& session_ids) {
  std::size_t deleted = 0;
  auto ok = detail::with_transaction(*impl_->db, "purging sessions", {}, [&](soci::session& sql) {
    deleted = 0;
    std::string id;
    soci::statement st = (sql.prepare << "DELETE FROM bankflow_sessions WHERE id = :id", soci::use(id, "id"));
    for (const std::string& each : session_ids) {
      id = each;
      st.execute(true);
      deleted += static_cast<std::size_t>(st.get_affected_rows());
    }
  });
  if (!ok) return ok.error();
  return deleted;
}

result<std::vector<session_info>> session_store::purge_expired() {
  const long long now = impl_->now_s();
  std::vector<session_info> purged;
  auto ok = detail::with_session(*impl_->db, "purging expired sessions", [&](soci::session& sql) {
    purged = read_sessions(sql, "DELETE FROM bankflow_sessions WHERE " + std::string(dead_sessions) +
                                    " RETURNING " BANKFLOW_SESSION_COLUMNS, now);
  });
  if (!ok) return ok.error();
  return purged;
}

result<resolved_session> session_store::resolve(std::optional<std::string_view> token, bool touch) {
  if (token) {
    auto s = touch ? this->touch(*token) : find(*token);
    if (s) return resolved_session{std::move(*s), {}, {}};
    if (s.error().code == errc::storage_error) return s.error();
    // no row (expired and revoked ones have theirs): a session that was never written to
    if (s.error().code == errc::session_invalid)
      if (auto u = find_unsaved(*token)) return resolved_session{std::move(*u), {}, std::string(*token)};
  }
  return make_error(errc::session_invalid, "no live session");
}

result<resolved_session> session_store::resolve_or_begin(std::optional<std::string_view> token, bool touch,
                                                         rate_limiter* limiter, std::string_view address,
                                                         std::chrono::seconds& retry_after) {
  auto found = resolve(token, touch);
  if (found || found.error().code != errc::session_invalid) return found;
  if (limiter != nullptr)
    if (auto admitted = limiter->admit({}, address, "session", "new sessions", retry_after); !admitted)
      return admitted.error();
  auto created = begin_unsaved();
  if (!created) return created.error();
  return resolved_session{std::move(created->info), created->token, created->token};
}

std::string_view session_cookie_name_for(bool secure) noexcept {
  return secure ? secure_session_cookie_name : session_cookie_name;
}

std::string session_set_cookie(std::string_view token, std::chrono::sys_seconds expires_at,
                               std::chrono::sys_seconds now, bool secure) {
  const auto max_age = std::max<long long>(0, (expires_at - now).count());
  std::string cookie = std::string(session_cookie_name_for(secure)) + "=" + std::string(token) +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string random_hex(std::size_t bytes) { return detail::random_hex(bytes); }

std::string random_base64(std::size_t bytes) {
  std::array<unsigned char, 32> raw{};
  bytes = std::min(bytes, raw.size());
  detail::random_bytes(std::span(raw.data(), bytes));
  return detail::to_base64(std::span<const unsigned char>(raw.data(), bytes));
}

error not_found_error(std::string_view what, std::string_view id) {
  std::string message = "no ";
  message += what;
  message += " \"";
  for (const char c : id.substr(0, 80)) message += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  message += '"';
  return make_error(errc::not_found, std::move(message));
}

result<void> check_owner(const session_info& session, std::optional<std::string_view> owner, std::string_view what,
                         std::string_view id) {
  if (!owner || session.id.empty() || *owner != session.id) return not_found_error(what, id);
  return {};
}

result<csrf_key> csrf_key::create(std::string_view server_secret) {
  if (server_secret.size() < 16)
    return make_error(errc::invalid_argument, "the CSRF server secret must have at least 16 bytes");
  return csrf_key(std::string(server_secret));
}

namespace {
constexpr std::string_view csrf_domain = "bankflow-csrf-v1:";  // keeps these MACs apart from others
}

std::string csrf_key::token_for(const session_info& session) const {
  return detail::to_base64url(detail::hmac_key(secret_).compute({csrf_domain, session.id}));
}

result<void> csrf_key::check(const session_info& session, std::string_view token) const {
  detail::digest given{};
  if (token.empty() || !detail::base64_to(token, given, true))
    return make_error(errc::csrf_invalid, "the CSRF token is missing or malformed");
  const detail::digest expected = detail::hmac_key(secret_).compute({csrf_domain, session.id});
  if (!detail::equal_constant_time(given, expected))
    return make_error(errc::csrf_invalid, "the CSRF token does not belong to this session");
  return {};
}

}  // namespace bankflow
