// Users in SQL: creation, login with Argon2id, password and role changes, disabling.

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>
#include <bankflow/session.hpp>

#include "accounts/rows.hpp"

#include <array>
#include <utility>
#include <vector>

namespace bankflow {
namespace {

const std::vector<detail::migration>& account_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_users ("
        "id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, role TEXT NOT NULL, "
        "password_hash TEXT NOT NULL, created_at BIGINT NOT NULL, disabled_at BIGINT)",
        "CREATE TABLE IF NOT EXISTS bankflow_api_keys ("
        "id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES bankflow_users (id), name TEXT NOT NULL, "
        "scope TEXT NOT NULL, secret_hash TEXT NOT NULL, created_at BIGINT NOT NULL, last_used_at BIGINT, "
        "revoked_at BIGINT)",
        "CREATE INDEX IF NOT EXISTS bankflow_api_keys_user ON bankflow_api_keys (user_id)"}},
      // PostgreSQL row-level security: a thread with a tenant (set_thread_tenant) sees and
      // writes only that user's keys, even with the table's owner's role
      {2,
       {},
       {"ALTER TABLE bankflow_api_keys ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE bankflow_api_keys FORCE ROW LEVEL SECURITY",
        "CREATE POLICY bankflow_tenant ON bankflow_api_keys USING (COALESCE(current_setting('bankflow.tenant', "
        "true), '') = '' OR user_id = current_setting('bankflow.tenant', true))"}},
  };
  return steps;
}

constexpr std::array role_names = {std::pair{account_role::user, std::string_view("user")},
                                   std::pair{account_role::operator_, std::string_view("operator")},
                                   std::pair{account_role::admin, std::string_view("admin")}};

error bad_credentials() { return make_error(errc::invalid_credentials, "wrong email or password"); }

}  // namespace

std::string_view to_string(account_role role) noexcept {
  for (const auto& [r, name] : role_names)
    if (r == role) return name;
  return "user";
}

result<account_role> parse_account_role(std::string_view name) {
  for (const auto& [r, n] : role_names)
    if (n == name) return r;
  return make_error(errc::invalid_argument, "no role is called \"" + std::string(name) + "\"");
}

const std::string& account_store::impl::dummy() {
  std::call_once(dummy_once, [this] {
    auto h = hash_password(random_hex(16), params);
    dummy_hash = h ? std::move(*h) : std::string();
  });
  return dummy_hash;
}

namespace detail {

void user_row::bind(soci::statement& st) {
  st.exchange(soci::into(info.id));
  st.exchange(soci::into(info.email));
  st.exchange(soci::into(info.display_name));
  st.exchange(soci::into(role));
  st.exchange(soci::into(created));
  st.exchange(soci::into(disabled, disabled_ind));
  st.exchange(soci::into(password_hash));
}

user_info user_row::finish() const {
  user_info u = info;
  const auto r = parse_account_role(role);
  u.role = r ? *r : account_role::user;
  u.created_at = at_seconds(created);
  if (disabled_ind == soci::i_ok) u.disabled_at = at_seconds(disabled);
  return u;
}

result<std::vector<user_row>> select_users(database_impl& db, std::string_view where, const std::string& key) {
  std::vector<user_row> out;
  std::string text = "SELECT " + std::string(user_columns) + " FROM bankflow_users";
  if (!where.empty()) text += " WHERE " + std::string(where);
  text += " ORDER BY created_at, id";
  auto ok = with_session(db, "reading users", [&](soci::session& sql) {
    out.clear();
    user_row row;
    soci::statement st(sql);
    row.bind(st);
    if (!where.empty()) st.exchange(soci::use(key, "k"));
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

result<std::optional<user_row>> select_user(database_impl& db, std::string_view column, const std::string& key) {
  auto rows = select_users(db, std::string(column) + " = :k", key);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<user_row>();
  return std::optional<user_row>(std::move(rows->front()));
}

}  // namespace detail

account_store::account_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
account_store::account_store(account_store&& other) noexcept = default;
account_store& account_store::operator=(account_store&& other) noexcept = default;
account_store::~account_store() = default;

result<account_store> account_store::open(database& db, account_options options) {
  const auto& p = options.password;
  if (p.iterations < 1 || p.parallelism < 1 || p.memory_kib < 8 * p.parallelism)
    return make_error(errc::invalid_argument, "Argon2id needs t >= 1, p >= 1 and m >= 8 * p KiB");
  detail::database_impl& d = detail::database_access::impl(db);
  if (auto ok = detail::migrate(d, "accounts", account_migrations()); !ok) return ok.error();
  auto s = std::make_unique<impl>();
  s->db = &d;
  s->params = p;
  s->clock = options.clock ? std::move(options.clock) : system_clock();
  return account_store(std::move(s));
}

result<user_info> account_store::create_user(const new_user& user) {
  auto email = normalize_email(user.email);
  if (!email) return email.error();
  if (auto ok = check_password_policy(user.password); !ok) return ok.error();
  auto hash = hash_password(user.password, impl_->params);  // slow: before the transaction
  if (!hash) return hash.error();
  user_info u;
  u.id = random_hex(16);
  u.email = std::move(*email);
  u.display_name = user.display_name;
  u.role = user.role;
  const long long now = impl_->now_s();
  u.created_at = detail::at_seconds(now);
  const std::string role(to_string(u.role));
  bool taken = false;
  auto ok = detail::with_transaction(*impl_->db, "creating a user", "bankflow_users:" + u.email, [&](soci::session& sql) {
    int exists = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT 1 FROM bankflow_users WHERE email = :e", soci::use(u.email, "e"), soci::into(exists, ind);
    taken = ind == soci::i_ok;
    if (taken) return;
    sql << "INSERT INTO bankflow_users (id, email, display_name, role, password_hash, created_at) "
           "VALUES (:id, :e, :n, :r, :h, :c)",
        soci::use(u.id, "id"), soci::use(u.email, "e"), soci::use(u.display_name, "n"), soci::use(role, "r"),
        soci::use(*hash, "h"), soci::use(now, "c");
  });
  if (!ok) return ok.error();
  if (taken) return make_error(errc::already_exists, "an account with this email already exists");
  return u;
}

result<user_info> account_store::authenticate(std::string_view email, std::string_view password) {
  std::optional<detail::user_row> row;
  if (auto e = normalize_email(email)) {
    auto found = detail::select_user(*impl_->db, "email", *e);
    if (!found) return found.error();
    row = std::move(*found);
  }
  // an unknown email costs one verification too, so that timing does not tell it apart
  const std::string& hash = row ? row->password_hash : impl_->dummy();
  const bool matches = verify_password(hash, password);
  if (!row || !matches || row->disabled_ind == soci::i_ok) return bad_credentials();
  if (needs_rehash(hash, impl_->params))
    if (auto ok = set_password(row->info.id, password); !ok && ok.error().code != errc::weak_password)
      return ok.error();
  return row->finish();
}

result<user_info> account_store::find_user(std::string_view user_id) {
  auto row = detail::select_user(*impl_->db, "id", std::string(user_id));
  if (!row) return row.error();
  if (!*row) return not_found_error("user", user_id);
  return (*row)->finish();
}

result<user_info> account_store::find_user_by_email(std::string_view email) {
  auto e = normalize_email(email);
  if (!e) return not_found_error("user", email);
  auto row = detail::select_user(*impl_->db, "email", *e);
  if (!row) return row.error();
  if (!*row) return not_found_error("user", *e);
  return (*row)->finish();
}

result<std::vector<user_info>> account_store::list_users() {
  auto rows = detail::select_users(*impl_->db, {}, {});
  if (!rows) return rows.error();
  std::vector<user_info> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(r.finish());
  return out;
}

namespace {

// Runs an UPDATE of one user (`set` binds :v, the id is :id) and returns the user afterwards.
template <class Value>
result<user_info> update_user(account_store& store, detail::database_impl& db, std::string_view what,
                              const std::string& set, std::string_view user_id, const Value& value) {
  const std::string id(user_id);
  auto ok = detail::with_session(db, what, [&](soci::session& sql) {
    sql << "UPDATE bankflow_users SET " + set + " WHERE id = :id", soci::use(value, "v"), soci::use(id, "id");
  });
  if (!ok) return ok.error();
  return store.find_user(user_id);
}

}  // namespace

result<void> account_store::set_password(std::string_view user_id, std::string_view password) {
  if (auto ok = check_password_policy(password); !ok) return ok.error();
  auto hash = hash_password(password, impl_->params);
  if (!hash) return hash.error();
  auto u = update_user(*this, *impl_->db, "changing a password", "password_hash = :v", user_id, *hash);
  if (!u) return u.error();
  return {};
}

result<user_info> account_store::set_role(std::string_view user_id, account_role role) {
  const std::string name(to_string(role));
  return update_user(*this, *impl_->db, "changing a role", "role = :v", user_id, name);
}

result<user_info> account_store::disable(std::string_view user_id) {
  return update_user(*this, *impl_->db, "disabling a user", "disabled_at = COALESCE(disabled_at, :v)", user_id,
                     impl_->now_s());
}

result<std::size_t> account_store::erase_user(std::string_view user_id) {
  const std::string id(user_id);
  long long keys = 0, users = 0;
  auto ok = detail::with_transaction(*impl_->db, "erasing a user", {}, [&](soci::session& sql) {
    soci::statement k = (sql.prepare << "DELETE FROM bankflow_api_keys WHERE user_id = :id", soci::use(id, "id"));
    k.execute(true);
    keys = k.get_affected_rows();
    soci::statement u = (sql.prepare << "DELETE FROM bankflow_users WHERE id = :id", soci::use(id, "id"));
    u.execute(true);
    users = u.get_affected_rows();
  });
  if (!ok) return ok.error();
  if (users == 0) return not_found_error("user", user_id);
  return static_cast<std::size_t>(keys);
}

}  // namespace bankflow
