#pragma once
/// @file Accounts: users with Argon2id passwords and roles, API keys for programs, and the audit
/// log of security-relevant actions, in SQL (SQLite or PostgreSQL, migrated on open).

#include <bankflow/clock.hpp>
#include <bankflow/error.hpp>
#include <bankflow/session.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

class database;
class job_store;
struct job_paths;
class wallet_service;

/// What an account may do: `user` owns money, jobs and keys; `operator` also runs the service
/// (queues, dead letters, audit); `admin` also manages roles and disables users.
enum class account_role {
  user,       ///< "user"
  operator_,  ///< "operator" (the trailing underscore only because `operator` is a C++ keyword)
  admin,      ///< "admin"
};

/// "user", "operator" or "admin".
[[nodiscard]] std::string_view to_string(account_role role) noexcept;

/// The role a name from to_string() names. Error: invalid_argument (any other text).
[[nodiscard]] result<account_role> parse_account_role(std::string_view name);

/// What an API key allows.
enum class key_scope {
  read,        ///< "read": reading only
  read_write,  ///< "read_write": reading and acting (withdrawals, uploads)
};

/// "read" or "read_write".
[[nodiscard]] std::string_view to_string(key_scope scope) noexcept;

/// The scope a name from to_string() names ("read-write" is accepted too). Error: invalid_argument.
[[nodiscard]] result<key_scope> parse_key_scope(std::string_view name);

/// Argon2id cost parameters. The defaults are OWASP's (m = 19 MiB, t = 2, p = 1); tests that are
/// not about cost pass cheaper ones.
struct password_params {
  std::uint32_t memory_kib = 19456;  ///< memory in KiB (at least 8 × parallelism)
  std::uint32_t iterations = 2;      ///< passes over the memory (at least 1)
  std::uint32_t parallelism = 1;     ///< lanes (at least 1)
};

/// The shortest password accepted for an account.
inline constexpr std::size_t min_password_length = 10;

/// An email address trimmed of surrounding whitespace and lower-cased (ASCII letters), the form
/// accounts are stored and looked up under. Error: invalid_argument (not `local@domain.tld`:
/// no or several '@', an empty part, a domain without a dot or with an empty label, spaces,
/// control or special characters, longer than 254 bytes).
[[nodiscard]] result<std::string> normalize_email(std::string_view email);

/// Whether `password` is on the list of common passwords shipped with the library (compared
/// case-insensitively: "Senha123" is "senha123").
[[nodiscard]] bool is_common_password(std::string_view password) noexcept;

/// Ok when `password` may be an account's: at least min_password_length bytes and not a common
/// password. Error: weak_password (the message says which rule failed).
[[nodiscard]] result<void> check_password_policy(std::string_view password);

/// The Argon2id hash of `password` under a fresh 16-byte random salt, as a PHC string
/// (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). No policy check (check_password_policy does that).
/// Error: invalid_argument (parameters Argon2 refuses).
[[nodiscard]] result<std::string> hash_password(std::string_view password, const password_params& params = {});

/// Whether `password` matches the PHC string `encoded` (Argon2id; compared in constant time).
/// False for a malformed string.
[[nodiscard]] bool verify_password(std::string_view encoded, std::string_view password) noexcept;

/// Whether `encoded` was made with other parameters than `current` (or is no Argon2id string), so
/// that it should be hashed again at the next successful login.
[[nodiscard]] bool needs_rehash(std::string_view encoded, const password_params& current) noexcept;

/// How an account store behaves.
struct account_options {
  password_params password{};  ///< the cost of new hashes; older ones are rehashed at login
  clock_fn clock{};            ///< empty: the system clock
};

/// What is known about a user. Never holds the password or its hash.
struct user_info {
  std::string id;            ///< stable public id (32 hex digits): what owned resources record as their owner
  std::string email;         ///< normalized (normalize_email), unique
  std::string display_name;  ///< as given
  account_role role = account_role::user;  ///< what the account may do
  std::chrono::sys_seconds created_at{};   ///< when it was created
  std::optional<std::chrono::sys_seconds> disabled_at;  ///< set once disable() ran: no logins, no keys

  /// Whether the user was disabled.
  [[nodiscard]] bool disabled() const noexcept { return disabled_at.has_value(); }
};

/// What create_user needs.
struct new_user {
  std::string email;         ///< any case and surrounding spaces: normalized before use
  std::string password;      ///< checked with check_password_policy
  std::string display_name;  ///< shown to people; may be empty
  account_role role = account_role::user;  ///< the first admin is created with admin
};

/// What is known about an API key. Never holds its secret.
struct api_key_info {
  std::string id;       ///< public id (16 hex digits), the `<id>` part of the token
  std::string user_id;  ///< its owner
  std::string name;     ///< the owner's label for it
  key_scope scope = key_scope::read;  ///< what it allows
  std::chrono::sys_seconds created_at{};                 ///< when it was created
  std::optional<std::chrono::sys_seconds> last_used_at;  ///< its last successful verify_api_key (to the minute)
  std::optional<std::chrono::sys_seconds> revoked_at;    ///< set once revoked: refused from then on
};

/// A key just created: the token is shown to its owner once and stored nowhere.
struct new_api_key {
  std::string token;  ///< `bf_live_<id>_<secret>`: 64-bit id and 256-bit secret as hex, from OpenSSL's CSPRNG
  api_key_info info;  ///< the key
};

/// A key that verify_api_key accepted, with its owner.
struct verified_api_key {
  api_key_info key;  ///< the key, last_used_at just set
  user_info user;    ///< its owner (never disabled)
};

/// Users and their API keys in SQL (tables bankflow_users and bankflow_api_keys, migrated on
/// open). Move-only, thread-safe; the database must outlive it. Passwords are stored only as
/// Argon2id PHC strings, keys only as SHA-256 of their secret.
class account_store {
 public:
  /// Migrates the schema. Errors: invalid_argument (password parameters Argon2 refuses), storage_error.
  [[nodiscard]] static result<account_store> open(database& db, account_options options = {});

  /// Creates a user. Errors: invalid_argument (email), weak_password, already_exists (the
  /// normalized email has an account), storage_error.
  [[nodiscard]] result<user_info> create_user(const new_user& user);

  /// The user whose email and password these are; a hash made with other parameters than the
  /// store's is replaced by a new one. Error: invalid_credentials — the same error, at about the
  /// same cost (a hash is verified either way), whether the email is unknown or malformed, the
  /// password is wrong or the user is disabled; storage_error.
  [[nodiscard]] result<user_info> authenticate(std::string_view email, std::string_view password);

  /// A user by id. Errors: not_found, storage_error.
  [[nodiscard]] result<user_info> find_user(std::string_view user_id);

  /// A user by email (normalized first). Errors: not_found (also for a malformed email), storage_error.
  [[nodiscard]] result<user_info> find_user_by_email(std::string_view email);

  /// Every user (disabled ones too), oldest first. Error: storage_error.
  [[nodiscard]] result<std::vector<user_info>> list_users();

  /// Replaces a user's password. Errors: weak_password, not_found, storage_error.
  [[nodiscard]] result<void> set_password(std::string_view user_id, std::string_view password);

  /// Changes a user's role and returns the user. Errors: not_found, storage_error.
  [[nodiscard]] result<user_info> set_role(std::string_view user_id, account_role role);

  /// Disables a user (idempotent: the first time is kept): authenticate and every key of theirs
  /// are refused from now on; what they own stays. Errors: not_found, storage_error.
  [[nodiscard]] result<user_info> disable(std::string_view user_id);

  /// A new API key of a user. Errors: invalid_argument (a disabled user), not_found, storage_error.
  [[nodiscard]] result<new_api_key> create_api_key(std::string_view user_id, std::string_view name, key_scope scope);

  /// The key and owner a token names, recording now as the key's last use (written at most once a
  /// minute: every request of a program verifies its key). The secret is
  /// compared in constant time. Error: invalid_credentials (malformed, wrong prefix, unknown id,
  /// wrong secret, revoked key or disabled owner); storage_error.
  [[nodiscard]] result<verified_api_key> verify_api_key(std::string_view token);

  /// Every key of a user (revoked ones too), oldest first: metadata only. Error: storage_error.
  [[nodiscard]] result<std::vector<api_key_info>> list_api_keys(std::string_view user_id);

  /// Deletes a user's row and API keys (what erase_account does last) and returns how many
  /// keys went. The audit log keeps its rows, which name the user only by the id that no longer
  /// leads anywhere. Errors: not_found, storage_error.
  [[nodiscard]] result<std::size_t> erase_user(std::string_view user_id);

  /// Revokes a key of a user (idempotent). Errors: not_found (no such key, or another user's:
  /// the same error), storage_error.
  [[nodiscard]] result<api_key_info> revoke_api_key(std::string_view user_id, std::string_view key_id);

  /// Takes over another store's connection to the database.
  account_store(account_store&& other) noexcept;
  /// Takes over another store's connection to the database.
  account_store& operator=(account_store&& other) noexcept;
  account_store(const account_store&) = delete;
  account_store& operator=(const account_store&) = delete;
  /// Closes the store (the accounts stay in the database).
  ~account_store();

 private:
  struct impl;
  explicit account_store(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Where a request came from, as the audit log records it.
struct request_meta {
  std::string client_address{};  ///< the client's address (may be empty)
  std::string request_id{};      ///< the request's id (may be empty)
  std::string user_agent{};      ///< the client's User-Agent (may be empty): a login session's device
};

/// One security-relevant action, as recorded.
struct audit_entry {
  std::int64_t id = 0;         ///< increasing with time (set by append)
  std::chrono::sys_seconds at{};  ///< when it was recorded (set by append)
  std::string action{};          ///< what happened: "signup", "login_failed", "key_revoked" …
  std::string actor{};           ///< who did it (a user id; empty: anonymous or the system)
  std::string subject{};         ///< whom or what it concerned (a user or key id; may be empty)
  std::string client_address{};  ///< where the request came from (may be empty)
  std::string request_id{};      ///< the request's id (may be empty)
  std::string detail{};          ///< free text (never a secret)
};

/// Which entries audit_log::list returns: empty filters match everything.
struct audit_query {
  std::string actor{};    ///< only this actor
  std::string subject{};  ///< only this subject
  std::string action{};   ///< only this action
  std::optional<std::int64_t> before{};  ///< the cursor: only entries older than this id (a page's next_cursor)
  std::size_t limit = 50;              ///< at most this many (1 to 1000)
};

/// One page of the audit log, newest first.
struct audit_page {
  std::vector<audit_entry> entries;         ///< newest first
  std::optional<std::int64_t> next_cursor;  ///< `before` for the next page; none when this is the last
};

/// How the audit log behaves.
struct audit_options {
  clock_fn clock{};  ///< empty: the system clock
};

/// The append-only audit log in SQL (table bankflow_audit, migrated on open): nothing in the
/// library updates or deletes its rows. Move-only, thread-safe; the database must outlive it.
class audit_log {
 public:
  /// Migrates the schema. Error: storage_error.
  [[nodiscard]] static result<audit_log> open(database& db, audit_options options = {});

  /// Records an action (its id and at are set here) and returns it as stored.
  /// Errors: invalid_argument (empty action), storage_error.
  [[nodiscard]] result<audit_entry> append(audit_entry entry);

  /// append() of `action` by `actor` about `subject`, from where `meta` says.
  /// Errors: as append.
  result<audit_entry> record(std::string_view action, std::string_view actor, std::string_view subject,
                             const request_meta& meta, std::string detail = {});

  /// Entries matching `query`, newest first. Errors: invalid_argument (limit 0 or above 1000), storage_error.
  [[nodiscard]] result<audit_page> list(const audit_query& query);

  /// Takes over another log's connection to the database.
  audit_log(audit_log&& other) noexcept;
  /// Takes over another log's connection to the database.
  audit_log& operator=(audit_log&& other) noexcept;
  audit_log(const audit_log&) = delete;
  audit_log& operator=(const audit_log&) = delete;
  /// Closes the log (the entries stay in the database).
  ~audit_log();

 private:
  struct impl;
  explicit audit_log(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// `{"id","email","display_name","role","created_at","disabled_at"}` (never a password or hash).
[[nodiscard]] std::string to_json(const user_info& user);

/// `{"id","user_id","name","scope","created_at","last_used_at","revoked_at"}` (never the secret).
[[nodiscard]] std::string to_json(const api_key_info& key);

/// `{"id","at","action","actor","subject","client_address","request_id","detail"}`.
[[nodiscard]] std::string to_json(const audit_entry& entry);

/// `{"entries":[…],"next_cursor":<id or null>}`.
[[nodiscard]] std::string to_json(const audit_page& page);

/// A login session as its user sees it: `{"id","created_at","last_seen_at","expires_at",
/// "idle_expires_at","device","client_address","current"}`, `device` the User-Agent it was begun
/// with, `current` telling the session of the request that asks.
[[nodiscard]] std::string to_json(const session_info& session, bool current);


/// A user who just signed up or logged in, with the new login session that is now theirs.
struct signed_in {
  user_info user;                ///< the account
  new_session session;           ///< its token goes to the client's cookie, and nowhere else
  std::size_t claimed_jobs = 0;  ///< the anonymous session's conversions, now the user's
};

/// How the account workflows behave.
struct identity_options {
  /// Failed logins per account (counted per normalized email, whether or not it has an account,
  /// so that the answer never tells): past this, logins of that email are refused until the
  /// oldest failure leaves the window — the account is locked for a while.
  rate_limit failed_logins_per_account{20, std::chrono::minutes(15)};
  /// Failed logins per client address, whatever the emails.
  rate_limit failed_logins_per_address{100, std::chrono::minutes(15)};
};

/// The account workflows the server, the CLI and embedders share: sign-up, login with lockout,
/// logout (here or everywhere), password change, API keys, roles and disabling, each written to
/// the audit log (best effort: a row that cannot be written does not undo the action). Holds references: the stores must outlive it. Thread-safe as its stores are.
class identity {
 public:
  /// Wires the stores; sets the "login_failed" limits (per account and per address) on
  /// `limiter`, so construct it before the limiter is shared between threads. `jobs` (may be
  /// null) receives the claims of anonymous sessions' conversions.
  identity(account_store& accounts, session_store& sessions, audit_log& audit, rate_limiter& limiter,
           job_store* jobs, identity_options options = {});

  /// Creates a user and logs them in: a new login session (never the anonymous one's id), the
  /// anonymous session `anonymous_session_id` (may be empty) revoked and its jobs claimed.
  /// Audited as "signup". Errors: as account_store::create_user, storage_error.
  [[nodiscard]] result<signed_in> sign_up(const new_user& user, std::string_view anonymous_session_id,
                                          const request_meta& meta);

  /// Creates a user for someone else (an admin, or the system when `actor` has no id: the CLI's
  /// first-admin step) without logging anyone in. Audited as "user_created" (detail: the role).
  /// Errors: as account_store::create_user.
  [[nodiscard]] result<user_info> create_user(const user_info& actor, const new_user& user,
                                              const request_meta& meta);

  /// Checks an email and password and logs the user in as sign_up does. A failure is counted
  /// per email and per address and audited ("login_failed"); past the limits the answer is
  /// rate_limited without checking the password ("login_locked"), the wait in `retry_after`.
  /// Audited as "login" when it works. Errors: invalid_credentials (the same whether the email
  /// is unknown, the password wrong or the user disabled), rate_limited, storage_error.
  [[nodiscard]] result<signed_in> log_in(std::string_view email, std::string_view password,
                                         std::string_view anonymous_session_id, const request_meta& meta,
                                         std::chrono::seconds& retry_after);

  /// The user a login session belongs to. Errors: session_invalid (an anonymous session),
  /// session_revoked (the user was disabled), storage_error.
  [[nodiscard]] result<user_info> user_of(const session_info& session);

  /// Ends a login session ("logout"). Errors: not_found, storage_error.
  [[nodiscard]] result<void> log_out(const session_info& session, const request_meta& meta);

  /// Ends every login session of the user but `except_session_id` (empty: all) and returns how
  /// many ("logout_everywhere"). Error: storage_error.
  [[nodiscard]] result<std::size_t> log_out_everywhere(const user_info& user, std::string_view except_session_id,
                                                       const request_meta& meta);

  /// Ends one login session of the user (another device). Errors: not_found (not theirs, the
  /// same error), storage_error.
  [[nodiscard]] result<void> end_session(const user_info& user, std::string_view session_id,
                                         const request_meta& meta);

  /// Replaces the user's password after checking the current one, and ends every other login
  /// session of theirs ("password_changed"). Errors: invalid_credentials (wrong current
  /// password), weak_password, storage_error.
  [[nodiscard]] result<void> change_password(const user_info& user, std::string_view current,
                                             std::string_view replacement, std::string_view keep_session_id,
                                             const request_meta& meta);

  /// A new API key of the user ("key_created"). Errors: as account_store::create_api_key.
  [[nodiscard]] result<new_api_key> create_api_key(const user_info& user, std::string_view name, key_scope scope,
                                                   const request_meta& meta);

  /// Revokes a key of the user ("key_revoked"). Errors: not_found, storage_error.
  [[nodiscard]] result<api_key_info> revoke_api_key(const user_info& user, std::string_view key_id,
                                                    const request_meta& meta);

  /// Changes a user's role ("role_changed", actor: the admin). Errors: not_found, storage_error.
  [[nodiscard]] result<user_info> set_role(const user_info& admin, std::string_view user_id, account_role role,
                                           const request_meta& meta);

  /// Disables a user and ends their login sessions ("user_disabled"); their money and files
  /// stay. Errors: not_found, storage_error.
  [[nodiscard]] result<user_info> disable(const user_info& admin, std::string_view user_id,
                                          const request_meta& meta);

  /// The account store.
  [[nodiscard]] account_store& accounts() noexcept { return *accounts_; }
  /// The audit log.
  [[nodiscard]] audit_log& audit() noexcept { return *audit_; }

 private:
  result<signed_in> begin(user_info user, std::string_view anonymous_session_id, std::string_view action,
                          const request_meta& meta);

  account_store* accounts_;
  session_store* sessions_;
  audit_log* audit_;
  rate_limiter* limiter_;
  job_store* jobs_;
};

/// What export_account and erase_account read and change. References: they must outlive the call.
struct account_data {
  account_store& accounts;  ///< the user and their keys
  session_store& sessions;  ///< their login sessions
  audit_log& audit;         ///< rows about them (export) and the erasure's own row
  job_store& jobs;          ///< their conversions
  const job_paths& paths;   ///< the conversions' files
  wallet_service* wallet = nullptr;  ///< their wallet; null: none is served
};

/// Everything an account holds, as one JSON document (LGPD: a person's data is theirs):
/// `{"exported_at","user","api_keys":[metadata],"sessions":[live login sessions],"jobs":[{"job":…,
/// "result": the statement's JSON or null}],"wallet":{"balance":…,"transactions":[all]} or null,
/// "audit":[rows where they are the actor or the subject]}`. Audited as "account_exported".
/// Error: storage_error, io_error (a result file that cannot be read).
[[nodiscard]] result<std::string> export_account(const account_data& data, const user_info& user,
                                                 const request_meta& meta);

/// What erase_account removed.
struct erase_report {
  std::size_t jobs = 0;      ///< conversions (rows and files)
  std::size_t api_keys = 0;  ///< keys
  std::size_t sessions = 0;  ///< login sessions ended
  std::size_t destinations = 0;  ///< withdrawal destinations pseudonymised (operation rows and ledger references)
};

/// Erases a person's data: their conversions and files, login sessions, keys and user row. The
/// ledger's entries stay, as accounting requires, under the wallet's account `wallet:<user id>`,
/// an id that no longer leads to anyone, with each withdrawal's destination replaced by
/// erased_destination (wallet_service::erase_destinations); audit rows stay the same way. Refused while the wallet
/// holds or awaits money. Audited as "account_erased" (subject: the former id). Errors:
/// wallet_not_empty, storage_error.
[[nodiscard]] result<erase_report> erase_account(const account_data& data, const user_info& user,
                                                 const request_meta& meta);

}  // namespace bankflow
