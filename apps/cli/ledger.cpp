#include "ledger.hpp"

#include "output.hpp"

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/money.hpp>
#include <bankflow/parse.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

namespace bankflow::cli {
namespace {

void print_account(const ledger_account& a, bool json) {
  if (json) {
    std::cout << to_json(a) << '\n';
    return;
  }
  std::cout << a.id << ' ' << a.currency << " balance " << format_amount(a.balance()) << " available "
            << format_amount(a.available()) << " pending-debits " << format_amount(a.debits_pending)
            << " pending-credits " << format_amount(a.credits_pending) << '\n';
}

void print_transfer(const transfer& t, bool exists, bool json) {
  if (json) {
    std::cout << to_json(transfer_result{t, exists}) << '\n';
    return;
  }
  std::cout << t.id << ' ' << to_string(t.kind) << ' ' << t.debit_account << " -> " << t.credit_account << ' '
            << format_amount(t.amount) << ' ' << to_string(t.state) << (exists ? " (exists)" : "") << '\n';
}

int fail(const error& e) {
  print_error(e);
  return exit_data_error;
}

// The actions' subcommands; each names itself in o.action when parsed.
void setup_actions(CLI::App& cmd, const std::shared_ptr<ledger_cli_options>& op) {
  ledger_cli_options& o = *op;
  auto sub = [&cmd, op](const char* name, const char* help) {
    auto* s = cmd.add_subcommand(name, help);
    s->fallthrough();  // --db and --json may also follow the action
    s->callback([op, name] { if (op->action.empty()) op->action = name; });
    return s;
  };
  sub("init", "Create or migrate the ledger's tables");
  auto* account = sub("account", "Accounts");
  account->require_subcommand(1);
  auto* create = account->add_subcommand("create", "Create an account (an identical repeat says exists)");
  create->fallthrough();
  create->add_option("id", o.id, "Account id")->required();
  create->add_option("--currency", o.currency, "ISO 4217 code (default BRL)");
  create->add_flag("--no-overdraft", o.no_overdraft, "Debits may never exceed posted credits");
  create->add_option("--owner", o.owner, "Owner (free text)");
  auto* transfer = sub("transfer", "Move money; the id is the idempotency key");
  transfer->add_option("--id", o.id, "Transfer id")->required();
  transfer->add_option("--from,--debit", o.debit, "Account the money leaves")->required();
  transfer->add_option("--to,--credit", o.credit, "Account the money arrives in")->required();
  transfer->add_option("--amount", o.amount, "Amount, e.g. 12.34")->required();
  transfer->add_flag("--pending", o.pending, "A hold, posted or voided later");
  transfer->add_option("--timeout", o.timeout_seconds, "With --pending: seconds until it is voided");
  transfer->add_option("--metadata", o.metadata, "JSON text stored with the transfer");
  transfer->add_option("--reference", o.reference, "Free text");
  auto* post = sub("post", "Post a pending transfer (all of it, or --amount)");
  post->add_option("--id", o.id, "Id of this post")->required();
  post->add_option("--pending-id", o.pending_id, "The pending transfer")->required();
  post->add_option("--amount", o.amount, "Part to post (default: all)");
  auto* voids = sub("void", "Void a pending transfer");
  voids->add_option("--id", o.id, "Id of this void")->required();
  voids->add_option("--pending-id", o.pending_id, "The pending transfer")->required();
  auto* balance = sub("balance", "An account's balance and counters");
  balance->add_option("account", o.id, "Account id")->required();
  auto* history = sub("history", "An account's transfers, newest first");
  history->add_option("account", o.id, "Account id")->required();
  history->add_option("--cursor", o.cursor, "Continue after an earlier page");
  history->add_option("--limit", o.limit, "Transfers per page (default 20)");
  sub("check", "Check the ledger's invariants (exit 1 and a report when broken)");
  sub("expire", "Void every pending transfer whose timeout has passed");
  auto* import = sub("import", "Post a statement file into an account; a re-import adds only what is new");
  import->add_option("account", o.account, "The account the statement belongs to")->required();
  import->add_option("file", o.file, "Statement file (any format bankflow reads)")->required();
  import->add_option("--bank", o.bank, "Force the statement's bank");
  import->add_option("--external", o.external, "The account on the other side (default: external)");
}

}  // namespace

command setup_ledger(CLI::App& app) {
  auto o = std::make_shared<ledger_cli_options>();
  auto* cmd = app.add_subcommand("ledger", "A double-entry ledger in a SQLite or PostgreSQL database");
  cmd->require_subcommand(1);
  cmd->add_option("--db", o->database,
                  "Database URL: sqlite:///path or postgresql://… (default $BANKFLOW_DATABASE_URL, then sqlite://bankflow-ledger.db)");
  cmd->add_flag("--json", o->json, "As JSON");
  setup_actions(*cmd, o);
  return {cmd, [o] { return run_ledger(*o); }};
}

int run_ledger(const ledger_cli_options& o) {
  std::string url = o.database;
  if (url.empty()) {
    const char* env = std::getenv("BANKFLOW_DATABASE_URL");
    url = env != nullptr && *env != '\0' ? env : "sqlite://bankflow-ledger.db";
  }
  auto db = database::open(url);
  if (!db) return fail(db.error());
  auto lg = ledger::open(*db);
  if (!lg) return fail(lg.error());

  if (o.action == "init") {
    std::cout << "ledger ready in " << url << '\n';
    return exit_ok;
  }
  if (o.action == "account") {
    auto a = lg->create_account({.id = o.id,
                                 .currency = o.currency,
                                 .flags = o.no_overdraft ? account_no_overdraft : 0U,
                                 .owner = o.owner});
    if (!a) return fail(a.error());
    if (a->exists && !o.json) std::cout << "exists: ";
    print_account(a->account, o.json);
    return exit_ok;
  }
  if (o.action == "transfer" || o.action == "post" || o.action == "void") {
    transfer_request r;
    r.id = o.id;
    r.debit_account = o.debit;
    r.credit_account = o.credit;
    r.pending_id = o.pending_id;
    r.metadata = o.metadata;
    r.reference = o.reference;
    r.kind = o.action == "post"   ? transfer_kind::post
             : o.action == "void" ? transfer_kind::void_pending
             : o.pending          ? transfer_kind::pending
                                  : transfer_kind::immediate;
    if (!o.amount.empty()) {
      auto amount = parse_amount_required(o.amount, number_style::en);
      if (!amount) return fail(amount.error());
      r.amount = *amount;
    }
    if (o.timeout_seconds > 0) r.timeout = std::chrono::seconds(o.timeout_seconds);
    auto t = lg->submit(r);
    if (!t) return fail(t.error());
    print_transfer(t->value, t->exists, o.json);
    return exit_ok;
  }
  if (o.action == "balance") {
    auto a = lg->get_account(o.id);
    if (!a) return fail(a.error());
    print_account(*a, o.json);
    return exit_ok;
  }
  if (o.action == "history") {
    auto page = lg->history(o.id, o.cursor, o.limit);
    if (!page) return fail(page.error());
    for (const auto& t : page->transfers) print_transfer(t, false, o.json);
    if (!page->next_cursor.empty()) std::cerr << "next cursor: " << page->next_cursor << '\n';
    return exit_ok;
  }
  if (o.action == "check") {
    auto c = lg->check();
    if (!c) return fail(c.error());
    for (const auto& p : c->problems) std::cout << "problem: " << p << '\n';
    std::cout << (c->ok ? "ok" : "broken") << " posted " << format_amount(c->debits_posted) << " pending "
              << format_amount(c->debits_pending) << '\n';
    return c->ok ? exit_ok : exit_data_error;
  }
  if (o.action == "expire") {
    auto n = lg->expire_pending();
    if (!n) return fail(n.error());
    std::cout << "expired " << *n << '\n';
    return exit_ok;
  }
  if (o.action == "import") {
    parse_options popt;
    popt.bank = o.bank;
    auto st = parse_file(o.file, popt);
    if (!st) return fail(st.error());
    // the other side of every movement: created on first use, in the statement's currency
    if (auto ext = lg->create_account({.id = o.external, .currency = st->currency, .flags = 0, .owner = {}}); !ext)
      return fail(ext.error());
    auto r = lg->import_statement(*st, o.account, o.external);
    if (!r) return fail(r.error());
    for (const auto& e : r->failures) print_error(e);
    std::cout << "added " << r->added << " already-present " << r->already_present << " skipped " << r->skipped
              << " failed " << r->failures.size() << '\n';
    return r->failures.empty() ? exit_ok : exit_data_error;
  }
  print_error("ledger: no such action " + o.action);
  return exit_usage;
}

}  // namespace bankflow::cli
