#pragma once
// The session of a request, as the handlers of every route see it: the cookie's live session,
// or an unsaved one begun for a visitor without one, and the CSRF check of a state-changing POST.

#include "routes.hpp"

#include <bankflow/session.hpp>

#include <optional>
#include <string>

namespace bankflow::server {

/// What resolve_session does when the cookie names no live session.
enum class session_mode {
  existing,  ///< only a live session from the cookie
  create,    ///< a new one (with Set-Cookie) when the cookie names none
};

/// The session of a request.
struct session_hit {
  session_info info;
  std::string set_cookie;  ///< non-empty when a session was just begun
  std::string unsaved;     ///< the token of a session with no row yet (saved by its first write)
};

/// The request's session. A visitor without one gets an unsaved session: its token in the cookie
/// and no row, so reading costs nothing durable; csrf_session saves it at the first write.
/// Errors: session_invalid (mode existing and no live session), rate_limited, storage_error.
[[nodiscard]] result<session_hit> resolve_session(request_context& ctx, session_mode mode, bool touch);

/// Sets the session's cookie (when just begun) and its id for the log line.
void apply_session(reply& r, const session_hit& s);

/// `r` with apply_session done.
[[nodiscard]] reply with_session(reply r, const session_hit& s);

/// The session of a state-changing POST (upload, deposit, withdrawal) with its CSRF token checked,
/// saved at its first write; otherwise the refusal to send.
[[nodiscard]] std::optional<reply> csrf_session(request_context& ctx, std::optional<session_hit>& out);

/// The live session of a request about one resource `what` `id`: a request without one is told
/// not_found_error(what, id), as for a resource that is missing or another session's.
[[nodiscard]] result<session_hit> owner_session(request_context& ctx, std::string_view what, std::string_view id);

}  // namespace bankflow::server
