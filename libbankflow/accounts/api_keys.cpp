// API keys: `bf_live_<id>_<secret>`, only SHA-256(secret) stored, verified in constant time.

#include <bankflow/accounts.hpp>
#include <bankflow/session.hpp>

#include "accounts/rows.hpp"
#include "crypto/crypto.hpp"

#include <algorithm>
#include <utility>

namespace bankflow {
namespace {

constexpr std::string_view key_prefix = "bf_live_";
constexpr std::size_t key_id_bytes = 8;       // 64 bits: 16 hex digits
constexpr std::size_t key_secret_bytes = 32;  // 256 bits: 64 hex digits

// A key as selected with key_columns.
struct key_row {
  api_key_info info;
  std::string scope;
  long long created = 0, last_used = 0, revoked = 0;
  soci::indicator last_used_ind = soci::i_null, revoked_ind = soci::i_null;
  std::string secret_hash;

  void bind(soci::statement& st) {
    st.exchange(soci::into(info.id));
    st.exchange(soci::into(info.user_id));
    st.exchange(soci::into(info.name));
    st.exchange(soci::into(scope));
    st.exchange(soci::into(created));
    st.exchange(soci::into(last_used, last_used_ind));
    st.exchange(soci::into(revoked, revoked_ind));
    st.exchange(soci::into(secret_hash));
  }

  api_key_info finish() const {
    api_key_info k = info;
    const auto s = parse_key_scope(scope);
    k.scope = s ? *s : key_scope::read;
    k.created_at = detail::at_seconds(created);
    if (last_used_ind == soci::i_ok) k.last_used_at = detail::at_seconds(last_used);
    if (revoked_ind == soci::i_ok) k.revoked_at = detail::at_seconds(revoked);
    return k;
  }
};

constexpr std::string_view key_columns = "id, user_id, name, scope, created_at, last_used_at, revoked_at, secret_hash";

// The keys `where` (binding :a and :b) selects, oldest first. Error: storage_error.
result<std::vector<key_row>> select_keys(detail::database_impl& db, std::string_view where, const std::string& a,
                                         const std::string& b = {}) {
  std::vector<key_row> out;
  const std::string text = "SELECT " + std::string(key_columns) + " FROM bankflow_api_keys WHERE " +
                           std::string(where) + " ORDER BY created_at, id";
  auto ok = detail::with_session(db, "reading API keys", [&](soci::session& sql) {
    out.clear();
    key_row row;
    soci::statement st(sql);
    row.bind(st);
    st.exchange(soci::use(a, "a"));
    if (where.find(":b") != std::string_view::npos) st.exchange(soci::use(b, "b"));
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    if (st.execute(true)) {
      do out.push_back(row);
      while (st.fetch());
    }
  });
  if (!ok) return ok.error();
  return out;
}

bool lower_hex(std::string_view s, std::size_t bytes) {
  return s.size() == 2 * bytes &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string secret_digest(std::string_view secret) { return detail::to_hex(detail::sha256(secret)); }

error bad_key() { return make_error(errc::invalid_credentials, "the API key is not valid"); }

}  // namespace

std::string_view to_string(key_scope scope) noexcept { return scope == key_scope::read ? "read" : "read_write"; }

result<key_scope> parse_key_scope(std::string_view name) {
  if (name == "read") return key_scope::read;
  if (name == "read_write" || name == "read-write") return key_scope::read_write;
  return make_error(errc::invalid_argument, "no key scope is called \"" + std::string(name) + "\"");
}

result<new_api_key> account_store::create_api_key(std::string_view user_id, std::string_view name, key_scope scope) {
  auto owner = find_user(user_id);
  if (!owner) return owner.error();
  if (owner->disabled()) return make_error(errc::invalid_argument, "a disabled user cannot have new API keys");
  new_api_key k;
  k.info.id = random_hex(key_id_bytes);
  k.info.user_id = owner->id;
  k.info.name = std::string(name);
  k.info.scope = scope;
  const long long now = impl_->now_s();
  k.info.created_at = detail::at_seconds(now);
  const std::string secret = random_hex(key_secret_bytes);
  k.token = std::string(key_prefix) + k.info.id + "_" + secret;
  const std::string hash = secret_digest(secret);
  const std::string scope_name(to_string(scope));
  auto ok = detail::with_session(*impl_->db, "creating an API key", [&](soci::session& sql) {
    sql << "INSERT INTO bankflow_api_keys (id, user_id, name, scope, secret_hash, created_at) "
           "VALUES (:id, :u, :n, :s, :h, :c)",
        soci::use(k.info.id, "id"), soci::use(k.info.user_id, "u"), soci::use(k.info.name, "n"),
        soci::use(scope_name, "s"), soci::use(hash, "h"), soci::use(now, "c");
  });
  if (!ok) return ok.error();
  return k;
}

result<verified_api_key> account_store::verify_api_key(std::string_view token) {
  if (!token.starts_with(key_prefix)) return bad_key();
  token.remove_prefix(key_prefix.size());
  if (token.size() != 2 * key_id_bytes + 1 + 2 * key_secret_bytes || token[2 * key_id_bytes] != '_') return bad_key();
  const auto id = token.substr(0, 2 * key_id_bytes);
  const auto secret = token.substr(2 * key_id_bytes + 1);
  if (!lower_hex(id, key_id_bytes) || !lower_hex(secret, key_secret_bytes)) return bad_key();
  auto rows = select_keys(*impl_->db, "id = :a", std::string(id));
  if (!rows) return rows.error();
  const auto computed = detail::sha256(secret);
  std::array<unsigned char, 32> stored{};  // an unknown id compares against zeros: the same work
  if (!rows->empty() && !detail::hex_to(rows->front().secret_hash, stored)) stored.fill(0);
  const bool matches = detail::equal_constant_time(computed, stored);
  if (rows->empty() || !matches || rows->front().revoked_ind == soci::i_ok) return bad_key();
  auto owner = find_user(rows->front().info.user_id);
  if (!owner) return owner.error().code == errc::not_found ? bad_key() : owner.error();
  if (owner->disabled()) return bad_key();
  const long long now = impl_->now_s();
  verified_api_key v{rows->front().finish(), std::move(*owner)};
  // every request of a program verifies its key: its use is written at most once a minute
  constexpr long long use_resolution_s = 60;
  if (v.key.last_used_at && detail::unix_s(*v.key.last_used_at) > now - use_resolution_s) return v;
  const std::string key_id(id);
  auto ok = detail::with_session(*impl_->db, "recording an API key's use", [&](soci::session& sql) {
    sql << "UPDATE bankflow_api_keys SET last_used_at = :n WHERE id = :id", soci::use(now, "n"),
        soci::use(key_id, "id");
  });
  if (!ok) return ok.error();
  v.key.last_used_at = detail::at_seconds(now);
  return v;
}

result<std::vector<api_key_info>> account_store::list_api_keys(std::string_view user_id) {
  auto rows = select_keys(*impl_->db, "user_id = :a", std::string(user_id));
  if (!rows) return rows.error();
  std::vector<api_key_info> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(r.finish());
  return out;
}

result<api_key_info> account_store::revoke_api_key(std::string_view user_id, std::string_view key_id) {
  const std::string user(user_id), id(key_id);
  const long long now = impl_->now_s();
  auto ok = detail::with_session(*impl_->db, "revoking an API key", [&](soci::session& sql) {
    sql << "UPDATE bankflow_api_keys SET revoked_at = :n WHERE id = :id AND user_id = :u AND revoked_at IS NULL",
        soci::use(now, "n"), soci::use(id, "id"), soci::use(user, "u");
  });
  if (!ok) return ok.error();
  auto rows = select_keys(*impl_->db, "id = :a AND user_id = :b", id, user);
  if (!rows) return rows.error();
  if (rows->empty()) return not_found_error("API key", key_id);
  return rows->front().finish();
}

}  // namespace bankflow
