#include "accounts.hpp"

#include "output.hpp"

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>
#include <bankflow/date.hpp>
#include <bankflow/json.hpp>
#include <bankflow/session.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace bankflow::cli {
namespace {

// What an action works with: the stores on the opened database and the parsed options.
struct accounts_context {
  account_store& store;
  audit_log& audit;
  identity& id;
  const accounts_cli_options& options;
};

// Who acts from the CLI: the system (no user), marked in the audit rows as the request "cli".
const user_info cli_actor{};
const request_meta cli_meta{.request_id = "cli"};

int data_error(const error& e) {
  print_error(e);
  return exit_data_error;
}

// The server's database URL (see accounts.hpp); creates the data directory, as the server does,
// so that the first admin can be made before the server first runs.
result<std::string> database_url(const accounts_cli_options& o) {
  if (!o.database.empty()) return o.database;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::create_directories(o.data_dir, ec))
    fs::permissions(o.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return make_error(errc::io_error, "cannot create the data directory " + o.data_dir + ": " + ec.message());
  const fs::path dir = fs::absolute(o.data_dir, ec);
  return "sqlite://" + (dir / "bankflow.db").string();
}

// Reads one line from a terminal without echoing it.
std::string read_hidden_line() {
  termios old{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);  // keeping what was typed ahead
  }
  std::cerr << "Password: " << std::flush;
  std::string line;
  std::getline(std::cin, line);
  if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << '\n';
  return line;
}

// The new user's password: $BANKFLOW_PASSWORD when set, else the first line of standard input
// (prompted for, unechoed, on a terminal). Empty when none was given.
std::string read_password() {
  if (const char* env = std::getenv("BANKFLOW_PASSWORD")) return env;
  std::string line;
  if (::isatty(STDIN_FILENO) == 1) {
    line = read_hidden_line();
  } else {
    std::getline(std::cin, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void write_user(json_writer& w, const user_info& u) { w.raw(to_json(u)); }

void write_key(json_writer& w, const api_key_info& k) { w.raw(to_json(k)); }

// One JSON document on stdout: what `write` writes.
template <class Write>
void print_json(Write write) {
  std::string out;
  json_writer w(out);  // compact, as the library's to_json and the API
  write(w);
  std::cout << out << '\n';
}

void print_user_json(const user_info& u) {
  print_json([&](json_writer& w) { write_user(w, u); });
}


// Items as a JSON array of write(w, item) with --json, else as a table: `header`, then row(item).
template <class Item, class Write, class Row>
void print_list(const std::vector<Item>& items, bool json, Write write, std::vector<std::string> header, Row row) {
  if (json) {
    print_json([&](json_writer& w) {
      w.begin_array();
      for (const auto& item : items) write(w, item);
      w.end_array();
    });
    return;
  }
  std::vector<std::vector<std::string>> rows{std::move(header)};
  for (const auto& item : items) rows.push_back(row(item));
  print_table(rows);
}

// Appends an audit entry by the system about `subject`; a failure is reported and is exit 1.
int record(accounts_context& c, std::string_view action, const std::string& subject, std::string detail) {
  auto e = c.audit.record(action, cli_actor.id, subject, cli_meta, std::move(detail));
  return e ? exit_ok : data_error(e.error());
}

int run_create(accounts_context& c, const std::string& password) {
  auto role = parse_account_role(c.options.role);
  if (!role) return data_error(role.error());
  auto u = c.id.create_user(
      cli_actor, {.email = c.options.email, .password = password, .display_name = c.options.name, .role = *role},
      cli_meta);
  if (!u) return data_error(u.error());
  print_user_json(*u);
  return exit_ok;
}

int run_list(accounts_context& c) {
  auto users = c.store.list_users();
  if (!users) return data_error(users.error());
  print_list(*users, c.options.json, write_user, {"ID", "EMAIL", "ROLE", "CREATED", "STATUS", "NAME"},
             [](const user_info& u) {
               return std::vector<std::string>{u.id, u.email, std::string(to_string(u.role)),
                                               format_timestamp(u.created_at), u.disabled() ? "disabled" : "active",
                                               u.display_name};
             });
  return exit_ok;
}

int run_role(accounts_context& c, const user_info& user) {
  auto role = parse_account_role(c.options.role);
  if (!role) return data_error(role.error());
  auto u = c.id.set_role(cli_actor, user.id, *role, cli_meta);
  if (!u) return data_error(u.error());
  print_user_json(*u);
  return exit_ok;
}

int run_disable(accounts_context& c, const user_info& user) {
  auto u = c.id.disable(cli_actor, user.id, cli_meta);  // their login sessions end as well
  if (!u) return data_error(u.error());
  print_user_json(*u);
  return exit_ok;
}

// key create: the token alone on stdout (so that `TOKEN=$(bankflow accounts key create …)`
// works) and a line about the key on stderr; with --json, one object with the token and the key.
int run_key_create(accounts_context& c, const user_info& user) {
  auto scope = parse_key_scope(c.options.scope);
  if (!scope) return data_error(scope.error());
  auto k = c.store.create_api_key(user.id, c.options.name, *scope);
  if (!k) return data_error(k.error());
  if (int status = record(c, "key_created", user.id, "cli: key " + k->info.id); status != exit_ok) return status;
  if (c.options.json) {
    print_json([&](json_writer& w) {
      w.begin_object().field("token", k->token).key("key").raw(to_json(k->info)).end_object();  // as the API's
    });
    return exit_ok;
  }
  std::cout << k->token << '\n';
  std::cerr << "bankflow: key " << k->info.id << " (" << to_string(k->info.scope) << ") of " << user.email
            << " created: the token is shown only this once\n";
  return exit_ok;
}

int run_key_list(accounts_context& c, const user_info& user) {
  auto keys = c.store.list_api_keys(user.id);
  if (!keys) return data_error(keys.error());
  print_list(*keys, c.options.json, write_key, {"ID", "SCOPE", "CREATED", "LAST USED", "STATUS", "NAME"},
             [](const api_key_info& k) {
               return std::vector<std::string>{k.id, std::string(to_string(k.scope)), format_timestamp(k.created_at),
                                               k.last_used_at ? format_timestamp(*k.last_used_at) : "never",
                                               k.revoked_at ? "revoked" : "active", k.name};
             });
  return exit_ok;
}

int run_key_revoke(accounts_context& c, const user_info& user) {
  auto k = c.store.revoke_api_key(user.id, c.options.key_id);
  if (!k) return data_error(k.error());
  if (int status = record(c, "key_revoked", user.id, "cli: key " + k->id); status != exit_ok) return status;
  print_json([&](json_writer& w) { write_key(w, *k); });
  return exit_ok;
}

// The actions on an existing user (--email), which is looked up first.
int run_on_user(accounts_context& c) {
  auto user = c.store.find_user_by_email(c.options.email);
  if (!user) return data_error(user.error());
  const std::string& a = c.options.action;
  if (a == "role") return run_role(c, *user);
  if (a == "disable") return run_disable(c, *user);
  if (a == "key create") return run_key_create(c, *user);
  if (a == "key list") return run_key_list(c, *user);
  if (a == "key revoke") return run_key_revoke(c, *user);
  print_error("accounts: no such action " + a);
  return exit_usage;
}

constexpr const char* role_help = "user, operator or admin";

void add_email(CLI::App& cmd, accounts_cli_options& o) {
  cmd.add_option("--email", o.email, "The user's email")->required();
}

void add_role(CLI::App& cmd, accounts_cli_options& o) {
  cmd.add_option("--role", o.role, role_help)->required()->check(CLI::IsMember({"user", "operator", "admin"}));
}

// The `key` actions; each names itself in o.action when parsed.
void setup_key_actions(CLI::App& key, const std::shared_ptr<accounts_cli_options>& op) {
  accounts_cli_options& o = *op;
  auto sub = [&key, op](const char* name, const char* help) {
    auto* s = key.add_subcommand(name, help);
    s->fallthrough();
    s->callback([op, name] { op->action = std::string("key ") + name; });
    add_email(*s, *op);
    return s;
  };
  auto* create = sub("create", "Create an API key: prints its token once (stdout), its id on stderr");
  create->add_option("--name", o.name, "The key's label")->required();
  create->add_option("--scope", o.scope, "read or read-write")
      ->required()
      ->check(CLI::IsMember({"read", "read-write", "read_write"}));
  create->add_flag("--json", o.json, "Print {token, id, …} as JSON instead");
  sub("list", "A user's API keys (metadata only)")->add_flag("--json", o.json, "As JSON");
  sub("revoke", "Revoke an API key (prints it as JSON)")->add_option("--id", o.key_id, "The key's id")->required();
}

// The actions; each names itself in o.action when parsed.
void setup_account_actions(CLI::App& cmd, const std::shared_ptr<accounts_cli_options>& op) {
  accounts_cli_options& o = *op;
  auto sub = [&cmd, op](const char* name, const char* help) {
    auto* s = cmd.add_subcommand(name, help);
    s->fallthrough();  // --data-dir and --database may also follow the action
    s->callback([op, name] { if (op->action.empty()) op->action = name; });
    return s;
  };
  auto* create = sub("create", "Create a user (the first admin too); the password is $BANKFLOW_PASSWORD or "
                               "the first line of standard input");
  add_email(*create, o);
  add_role(*create, o);
  create->add_option("--name", o.name, "The display name");
  sub("list", "Every user (a table; --json: JSON)")->add_flag("--json", o.json, "As JSON");
  auto* role = sub("role", "Change a user's role");
  add_email(*role, o);
  add_role(*role, o);
  add_email(*sub("disable", "Disable a user: no logins, no keys; what they own stays"), o);
  auto* key = sub("key", "API keys");
  key->require_subcommand(1);
  setup_key_actions(*key, op);
}

}  // namespace

command setup_accounts(CLI::App& app) {
  auto o = std::make_shared<accounts_cli_options>();
  auto* cmd = app.add_subcommand("accounts", "Users, roles and API keys in the server's database");
  cmd->require_subcommand(1);
  cmd->add_option("--data-dir", o->data_dir, "The server's data directory (default bankflow-data)")
      ->envname("BANKFLOW_DATA_DIR");
  cmd->add_option("--database,--database-url", o->database,
                  "sqlite:///path or postgresql://… (default $BANKFLOW_DATABASE_URL, then "
                  "sqlite:///<data-dir>/bankflow.db)")
      ->envname("BANKFLOW_DATABASE_URL");
  setup_account_actions(*cmd, o);
  return {cmd, [o] { return run_accounts(*o); }};
}

int run_accounts(const accounts_cli_options& o) {
  std::string password;
  if (o.action == "create") {
    password = read_password();
    if (password.empty()) {
      print_error("accounts create: no password: set BANKFLOW_PASSWORD or write it as the first line of standard input");
      return exit_usage;
    }
  }
  auto url = database_url(o);
  if (!url) return data_error(url.error());
  auto db = database::open(*url);
  if (!db) return data_error(db.error());
  auto store = account_store::open(*db);
  if (!store) return data_error(store.error());
  auto audit = audit_log::open(*db);
  if (!audit) return data_error(audit.error());
  auto sessions = session_store::open(*db);
  if (!sessions) return data_error(sessions.error());
  auto rates = make_memory_rate_limit_store();
  if (!rates) return data_error(rates.error());
  rate_limiter limiter(**rates);
  identity id(*store, *sessions, *audit, limiter, nullptr);
  accounts_context c{*store, *audit, id, o};
  if (o.action == "create") return run_create(c, password);
  if (o.action == "list") return run_list(c);
  return run_on_user(c);
}

}  // namespace bankflow::cli
