// The JSON of users, API keys, login sessions and the audit log, as the API answers them.

#include <bankflow/accounts.hpp>
#include <bankflow/date.hpp>
#include <bankflow/json.hpp>

namespace bankflow {
namespace {

void time_field(json_writer& w, std::string_view name, const std::optional<std::chrono::sys_seconds>& t) {
  w.key(name);
  if (t)
    w.string(format_timestamp(*t));
  else
    w.null();
}

}  // namespace

std::string to_json(const user_info& user) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("id", user.id).field("email", user.email).field("display_name", user.display_name);
  w.field("role", to_string(user.role)).field("created_at", format_timestamp(user.created_at));
  time_field(w, "disabled_at", user.disabled_at);
  w.end_object();
  return out;
}

std::string to_json(const api_key_info& key) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("id", key.id).field("user_id", key.user_id).field("name", key.name);
  w.field("scope", to_string(key.scope));
  w.field("created_at", format_timestamp(key.created_at));
  time_field(w, "last_used_at", key.last_used_at);
  time_field(w, "revoked_at", key.revoked_at);
  w.end_object();
  return out;
}

std::string to_json(const audit_entry& entry) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("id", entry.id).field("at", format_timestamp(entry.at)).field("action", entry.action);
  w.field("actor", entry.actor).field("subject", entry.subject).field("client_address", entry.client_address);
  w.field("request_id", entry.request_id).field("detail", entry.detail).end_object();
  return out;
}

std::string to_json(const audit_page& page) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("entries").begin_array();
  for (const auto& e : page.entries) w.raw(to_json(e));
  w.end_array().key("next_cursor");
  if (page.next_cursor)
    w.number(*page.next_cursor);
  else
    w.null();
  w.end_object();
  return out;
}

std::string to_json(const session_info& session, bool current) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("id", session.id).field("created_at", format_timestamp(session.created_at));
  w.field("last_seen_at", format_timestamp(session.last_seen_at));
  w.field("expires_at", format_timestamp(session.expires_at));
  time_field(w, "idle_expires_at", session.idle_expires_at);
  w.field("device", session.device).field("client_address", session.client_address);
  w.field("current", current).end_object();
  return out;
}

}  // namespace bankflow
