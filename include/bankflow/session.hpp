#pragma once
/// @file Anonymous sessions without signup: random tokens stored only as their SHA-256, absolute
/// lifetime, revocation, purge; ownership checks; CSRF tokens; rate limits per session and per client address.

#include <bankflow/clock.hpp>
#include <bankflow/error.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bankflow {

class database;
class redis_client;

/// The name of the session cookie the server sets.
inline constexpr std::string_view session_cookie_name = "bankflow_session";
/// Its name behind HTTPS: browsers keep a `__Host-` cookie only when it is Secure, has Path=/
/// and no Domain, so neither plain HTTP nor a sibling subdomain can plant one.
inline constexpr std::string_view secure_session_cookie_name = "__Host-bankflow_session";

/// The session cookie's name for a server that marks it Secure (`secure`, behind HTTPS:
/// secure_session_cookie_name) or not (session_cookie_name).
[[nodiscard]] std::string_view session_cookie_name_for(bool secure) noexcept;

/// The Set-Cookie value that hands a new session's token to a browser: `<name>=<token>; Path=/;
/// HttpOnly; SameSite=Lax; Max-Age=<seconds until expires_at, at least 0>`, plus `; Secure` (and
/// the `__Host-` name) when `secure`.
[[nodiscard]] std::string session_set_cookie(std::string_view token, std::chrono::sys_seconds expires_at,
                                             std::chrono::sys_seconds now, bool secure);

/// `bytes` (at most 32) random bytes from OpenSSL's CSPRNG as lowercase hex: ids, secrets.
/// Throws std::runtime_error when the generator fails (a broken platform, not an expected error).
[[nodiscard]] std::string random_hex(std::size_t bytes);

/// `bytes` (at most 32) random bytes from OpenSSL's CSPRNG as standard base64 with padding.
/// Throws as random_hex.
[[nodiscard]] std::string random_base64(std::size_t bytes);

/// How sessions behave.
struct session_options {
  std::chrono::seconds lifetime = std::chrono::hours(24);  ///< anonymous sessions: absolute, from creation, never extended
  /// A login session (create_for_user) ends after this long without a touch (sliding)…
  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  /// … and this long after the login whatever its activity (absolute).
  std::chrono::seconds max_age = std::chrono::hours(12);
  clock_fn clock{};                                        ///< empty: the system clock
  /// Signs the tokens of unsaved sessions (begin_unsaved), at least 16 bytes; empty: there are
  /// none (begin_unsaved is refused, find_unsaved finds nothing).
  std::string unsaved_key{};
};

/// What is known about a session. Never contains the token.
struct session_info {
  std::string id;  ///< stable public id (32 hex digits): what owned resources record as their owner
  std::chrono::sys_seconds created_at{};    ///< when it began
  std::chrono::sys_seconds expires_at{};    ///< created_at + the lifetime (a login session's: max_age): never extended
  std::chrono::sys_seconds last_seen_at{};  ///< its last touch()
  std::optional<std::chrono::sys_seconds> revoked_at;  ///< set once revoke() ran
  std::string user_id{};  ///< a login session's user (create_for_user); empty: anonymous
  /// A login session's idle deadline: last_seen_at + idle_timeout, moved by every touch.
  std::optional<std::chrono::sys_seconds> idle_expires_at{};
  std::string device{};          ///< a login session's client as it said (its User-Agent), may be empty
  std::string client_address{};  ///< the address a login session was begun from, may be empty

  /// Whether a user logged in with this session.
  [[nodiscard]] bool logged_in() const noexcept { return !user_id.empty(); }
};

/// A session just created: the token goes to the client (cookie) and nowhere else.
struct new_session {
  std::string token;  ///< 256 random bits from OpenSSL's CSPRNG, base64url without padding (43 chars)
  session_info info;  ///< the session
};

class rate_limiter;

/// What session_store::resolve found, or resolve_or_begin began, for a request's token.
struct resolved_session {
  session_info info;      ///< the session
  std::string new_token;  ///< set when the session was begun just now: its token, for the client's cookie
  std::string unsaved;    ///< the token of a session with no row yet: save() it at its first write
};

/// Sessions in SQL (table bankflow_sessions, migrated on open). Move-only, thread-safe; the
/// database must outlive it. Only SHA-256(token) is stored.
class session_store {
 public:
  /// Migrates the schema. Errors: storage_error, invalid_argument (a lifetime not positive).
  [[nodiscard]] static result<session_store> open(database& db, session_options options = {});

  /// A new session expiring after the lifetime. Error: storage_error.
  [[nodiscard]] result<new_session> create();

  /// A new login session of a user (the token rotates at every login: a session id planted
  /// before it is never the user's): saved at once, expiring after idle_timeout without a touch
  /// or max_age after now, whichever comes first. `device` (the client's User-Agent, kept as
  /// printable ASCII, at most 200 characters) and `client_address` let the user tell their
  /// sessions apart (list_for_user). Errors: invalid_argument (empty user id), storage_error.
  [[nodiscard]] result<new_session> create_for_user(std::string_view user_id, std::string_view device = {},
                                                    std::string_view client_address = {});

  /// The live login sessions of a user, newest first. Error: storage_error.
  [[nodiscard]] result<std::vector<session_info>> list_for_user(std::string_view user_id);

  /// Revokes one login session of a user. Errors: not_found (no such session, or another
  /// user's: the same error), storage_error.
  [[nodiscard]] result<void> revoke_for_user(std::string_view user_id, std::string_view session_id);

  /// "Log out everywhere": revokes every live login session of a user but `except_session_id`
  /// (empty: all) and returns how many. Error: storage_error.
  [[nodiscard]] result<std::size_t> revoke_all_for_user(std::string_view user_id,
                                                        std::string_view except_session_id = {});

  /// A session that exists only in its token until save(): nothing is written, so a visitor who
  /// only reads costs no row. The token looks like any other (32 bytes, base64url: 43 chars) but
  /// holds 128 random bits, its creation time and a 96-bit HMAC under unsaved_key; its id derives
  /// from the random bits (one-way) and its lifetime runs from its creation.
  /// Error: invalid_argument (no unsaved_key).
  [[nodiscard]] result<new_session> begin_unsaved();

  /// The session an unsaved token names (signed with unsaved_key, lifetime not over), without
  /// reading the database: whether it was saved since is find's to say. Errors: session_invalid
  /// (not such a token, or a bad signature), session_expired.
  [[nodiscard]] result<session_info> find_unsaved(std::string_view token) const;

  /// Writes the row of an unsaved session (at its first write), with the id and lifetime its
  /// token carries; a token saved before (by a concurrent request) is touched. From then on
  /// find and touch know it. Errors: as find_unsaved, session_revoked, storage_error.
  /// Callers consult find_unsaved only when find says session_invalid (no row): a revoked
  /// session is refused while its row exists. Once purge has removed a revoked session that
  /// began unsaved, its token reads as unsaved again until its lifetime ends.
  [[nodiscard]] result<session_info> save(std::string_view token);

  /// The live session a token names, without recording activity. Errors: session_invalid
  /// (malformed or unknown token), session_expired (also a login session idle too long),
  /// session_revoked, storage_error.
  [[nodiscard]] result<session_info> find(std::string_view token);

  /// As find, and records now as the last activity (a login session's idle deadline moves on).
  [[nodiscard]] result<session_info> touch(std::string_view token);

  /// The live session `token` (a request's cookie; nullopt when it has none) names: a saved one
  /// (recording activity when `touch`) or an unsaved one (no row yet: find_unsaved). Errors:
  /// session_invalid (no token, or it names no live session: unknown, expired or revoked),
  /// storage_error.
  [[nodiscard]] result<resolved_session> resolve(std::optional<std::string_view> token, bool touch);

  /// As resolve, but a token that names no live session gets a new unsaved session
  /// (begin_unsaved): reading then costs the visitor nothing durable. A client dropping its
  /// cookie gets a new session each time, so `limiter` (unless null) counts action "session" per
  /// client `address`, a denial's wait going to `retry_after`. Errors: rate_limited,
  /// invalid_argument (no unsaved_key, or no "session" limit), storage_error.
  [[nodiscard]] result<resolved_session> resolve_or_begin(std::optional<std::string_view> token, bool touch,
                                                          rate_limiter* limiter, std::string_view address,
                                                          std::chrono::seconds& retry_after);

  /// Revokes a session by id (idempotent); it fails find/touch from now on and is purged next.
  /// Errors: not_found, storage_error.
  [[nodiscard]] result<void> revoke(std::string_view session_id);

  /// Every expired or revoked session, without deleting any: what the next purge_expired() will
  /// delete. The janitor removes what they own first, so a failure in between loses nothing.
  /// Error: storage_error.
  [[nodiscard]] result<std::vector<session_info>> expired();

  /// Deletes exactly these sessions (ids expired() listed) and returns how many it deleted. The
  /// janitor deletes what it cleaned up after, not what expired or was revoked since it looked.
  /// Error: storage_error.
  [[nodiscard]] result<std::size_t> purge(const std::vector<std::string>& session_ids);

  /// Deletes every expired or revoked session and returns them, each exactly once even with
  /// concurrent purgers, so that their owners can delete the sessions' jobs and files.
  /// Error: storage_error.
  [[nodiscard]] result<std::vector<session_info>> purge_expired();

  /// Takes over another store's connection to the database.
  session_store(session_store&& other) noexcept;
  /// Takes over another store's connection to the database.
  session_store& operator=(session_store&& other) noexcept;
  session_store(const session_store&) = delete;
  session_store& operator=(const session_store&) = delete;
  /// Closes the store (the sessions stay in the database).
  ~session_store();

 private:
  struct impl;
  explicit session_store(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// The one error for a resource that is missing or belongs to another session: both read
/// "no <what> <id>" with code not_found, so neither can be told from the other.
[[nodiscard]] error not_found_error(std::string_view what, std::string_view id);

/// Ok when the resource exists (`owner` is its owner's session id) and belongs to `session`;
/// otherwise not_found_error(what, id), identical for "missing" (`owner` empty) and "not yours".
[[nodiscard]] result<void> check_owner(const session_info& session, std::optional<std::string_view> owner,
                                       std::string_view what, std::string_view id);

/// CSRF tokens bound to a session: base64url(HMAC-SHA256(server secret, session id)).
class csrf_key {
 public:
  /// Error: invalid_argument (the server secret is shorter than 16 bytes).
  [[nodiscard]] static result<csrf_key> create(std::string_view server_secret);

  /// The token state-changing requests of this session must carry.
  [[nodiscard]] std::string token_for(const session_info& session) const;

  /// Compares in constant time. Error: csrf_invalid (missing, malformed or another session's).
  [[nodiscard]] result<void> check(const session_info& session, std::string_view token) const;

 private:
  explicit csrf_key(std::string secret) : secret_(std::move(secret)) {}
  std::string secret_;
};

/// A limit: at most `limit` allowed hits in any `window`-long interval (sliding window).
struct rate_limit {
  std::uint32_t limit = 10;                             ///< hits allowed per window
  std::chrono::seconds window = std::chrono::hours(1);  ///< must be positive
};

/// The answer to one request.
struct rate_decision {
  bool allowed = false;                  ///< the hit was counted
  std::uint32_t remaining = 0;           ///< hits still allowed in the current window
  std::chrono::seconds retry_after{0};   ///< when denied: seconds until a hit leaves the window
};

/// Where hits are counted. Implementations must make acquire() atomic across every thread and
/// process that shares the store. Shipped: memory, SQL (SQLite/PostgreSQL) and Redis.
class rate_limit_store {
 public:
  /// Destroys the store (a shared backend keeps its counters).
  virtual ~rate_limit_store() = default;

  /// When fewer than limit.limit hits of `key` lie in (now - window, now], records one at `now`
  /// and allows; otherwise denies without recording. Error: storage_error.
  [[nodiscard]] virtual result<rate_decision> acquire(std::string_view key,
                                                      std::chrono::system_clock::time_point now,
                                                      const rate_limit& limit) = 0;

  /// What acquire would decide, without recording anything (`remaining`: hits still allowed).
  /// Error: storage_error.
  [[nodiscard]] virtual result<rate_decision> peek(std::string_view key, std::chrono::system_clock::time_point now,
                                                   const rate_limit& limit) = 0;
};

/// In-process counters (threads of one process). Never fails; a result like every make_* factory.
[[nodiscard]] result<std::unique_ptr<rate_limit_store>> make_memory_rate_limit_store();

/// Counters in the table bankflow_rate_hits (migrated on creation); `db` must outlive the store.
/// Error: storage_error.
[[nodiscard]] result<std::unique_ptr<rate_limit_store>> make_sql_rate_limit_store(database& db);

/// Counters as Redis sorted sets `<prefix>ratelimit:<key>` updated by one Lua script;
/// `redis` must outlive the store. Never fails (Redis is reached on use); a result like every
/// make_* factory.
[[nodiscard]] result<std::unique_ptr<rate_limit_store>> make_redis_rate_limit_store(redis_client& redis);

/// How a rate limiter behaves.
struct rate_limiter_options {
  clock_fn clock{};  ///< empty: the system clock (places each hit in its window)
};

/// The limiter: one limit per action of a session ("upload": 10 per hour unless set otherwise),
/// and one per action of a client address ("upload": 60, "session": 60 per hour unless set
/// otherwise), counted apart in the same store. Thread-safe once configured; the store must
/// outlive it.
class rate_limiter {
 public:
  /// A limiter with no limits set yet, counting in `store` (options.clock: empty is the system clock).
  explicit rate_limiter(rate_limit_store& store, rate_limiter_options options = {});

  /// Sets (or replaces) the limit of an action. Call before sharing the limiter between threads.
  void set_limit(std::string_view action, rate_limit limit);

  /// The limit of an action, if one is set.
  [[nodiscard]] std::optional<rate_limit> limit_of(std::string_view action) const;

  /// Counts one `action` of the session if the limit allows it. Errors: invalid_argument (no limit
  /// for that action), storage_error.
  [[nodiscard]] result<rate_decision> allow(std::string_view session_id, std::string_view action);
  /// allow(session.id, action).
  [[nodiscard]] result<rate_decision> allow(const session_info& session, std::string_view action);

  /// As allow, with a denial as a rate_limited error (its message says when to retry).
  [[nodiscard]] result<void> check(const session_info& session, std::string_view action);

  /// Sets (or replaces) the limit of an action per client address. Call before sharing.
  void set_address_limit(std::string_view action, rate_limit limit);

  /// The per-address limit of an action, if one is set.
  [[nodiscard]] std::optional<rate_limit> address_limit_of(std::string_view action) const;

  /// Counts one `action` of a client address (any stable text naming the client, e.g. an IP
  /// address or an IPv6 /64) if its per-address limit allows it; the address's counters never
  /// mix with a session's. Errors: invalid_argument (no limit for that action, empty address),
  /// storage_error.
  [[nodiscard]] result<rate_decision> allow_address(std::string_view address, std::string_view action);

  /// Counts one `action` of the session (unless `session_id` is empty) and then of the client
  /// `address` (unless empty), stopping at the first denial: a rate_limited error "at most <n>
  /// <what> per <window>[ from one address]: try again in <s> s", with the wait (at least 1 s) in
  /// `retry_after`. Errors: rate_limited, invalid_argument (no limit for the action), storage_error.
  [[nodiscard]] result<void> admit(std::string_view session_id, std::string_view address, std::string_view action,
                                   std::string_view what, std::chrono::seconds& retry_after);

  /// As admit, but counts nothing: whether `key`'s (any text: a session id, a hashed email …)
  /// and then the `address`'s (unless empty) counters of `action` have room left. Errors:
  /// rate_limited (worded as admit's, the wait in `retry_after`), invalid_argument, storage_error.
  [[nodiscard]] result<void> check_room(std::string_view key, std::string_view address, std::string_view action,
                                        std::string_view what, std::chrono::seconds& retry_after);

 private:
  rate_limit_store* store_;
  clock_fn clock_;
  std::map<std::string, rate_limit, std::less<>> limits_;
  std::map<std::string, rate_limit, std::less<>> address_limits_;
};

}  // namespace bankflow
