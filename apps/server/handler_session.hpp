#pragma once
// Who a request is, as the handlers of every route see it: the cookie's live session (anonymous,
// or a user's login session), an unsaved one begun for a visitor without one, or the user of an
// `Authorization: Bearer` API key; and the CSRF check of a state-changing cookie request.

#include "routes.hpp"

#include <bankflow/accounts.hpp>
#include <bankflow/session.hpp>

#include <optional>
#include <string>

namespace bankflow::server {

/// What resolve_session does when the cookie names no live session.
enum class session_mode {
  existing,  ///< only a live session from the cookie
  create,    ///< a new one (with Set-Cookie) when the cookie names none
};

/// Who made a request.
struct session_hit {
  session_info info;       ///< the cookie's session (an empty id for a bearer request)
  std::string set_cookie;  ///< non-empty when a session was just begun
  std::string unsaved;     ///< the token of a session with no row yet (saved by its first write)
  std::optional<user_info> user;     ///< the logged-in user, or the bearer key's owner
  std::optional<api_key_info> key;   ///< the bearer request's API key

  /// Whose resources the request acts on: the user's, else the anonymous session's.
  [[nodiscard]] const std::string& owner() const noexcept { return user ? user->id : info.id; }
};

/// The request's session. A visitor without one gets an unsaved session: its token in the cookie
/// and no row, so reading costs nothing durable; csrf_session saves it at the first write. A
/// bearer request is its key's user. Errors: session_invalid (mode existing and no live
/// session), invalid_credentials (a bearer token that does not verify), session_revoked (a
/// disabled user's session), rate_limited, storage_error.
[[nodiscard]] result<session_hit> resolve_session(request_context& ctx, session_mode mode, bool touch);

/// Sets the session's cookie (when just begun) and its id for the log line.
void apply_session(reply& r, const session_hit& s);

/// `r` with apply_session done.
[[nodiscard]] reply with_session(reply r, const session_hit& s);

/// The session of a state-changing request (upload, deposit, withdrawal …) with its CSRF token
/// checked, saved at its first write; a bearer request needs no token but a read_write key.
/// Otherwise the refusal to send.
[[nodiscard]] std::optional<reply> csrf_session(request_context& ctx, std::optional<session_hit>& out);

/// The live session of a request about one resource `what` `id`: a request without one is told
/// not_found_error(what, id), as for a resource that is missing or another session's.
[[nodiscard]] result<session_hit> owner_session(request_context& ctx, std::string_view what, std::string_view id);

/// How much a route asks of its caller.
enum class access {
  read,   ///< a logged-in user or any of their keys
  write,  ///< a logged-in user (with the CSRF token) or a read_write key
};

/// The request of a logged-in user (cookie or bearer key) with at least `role`; otherwise the
/// refusal: 401 login_required (anonymous), 403 permission_denied (role or key scope).
[[nodiscard]] std::optional<reply> user_session(request_context& ctx, std::optional<session_hit>& out, access need,
                                                account_role role = account_role::user);

/// Where the request came from, for the audit log.
[[nodiscard]] request_meta request_meta_of(const request_context& ctx);

}  // namespace bankflow::server
