// bankflow ledger --db URL account ID [--currency BRL] [--no-overdraft] [--owner O]
// bankflow ledger --db URL transfer ID --debit A --credit B --amount 12.34 [--pending [--timeout S]]
//                                      [--metadata JSON] [--reference TEXT]
// bankflow ledger --db URL post ID --pending-id P [--amount X] | void ID --pending-id P
// bankflow ledger --db URL balance ACCOUNT | history ACCOUNT [--cursor C] [--limit N]
// bankflow ledger --db URL check | expire
// bankflow ledger [--db URL] import ACCOUNT FILE [--bank ID] [--external E]
//
// Amounts are read and printed as decimals ("12.34") and held as int64 centavos. The database
// defaults to $BANKFLOW_DATABASE_URL, then sqlite://bankflow-ledger.db.

#include "commands.hpp"
#include "output.hpp"

#include <bankflow/database.hpp>
#include <bankflow/export.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/money.hpp>
#include <bankflow/parse.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace bankflow::cli {
namespace {

std::string json_text(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

void print_account(const ledger_account& a, bool json) {
  if (json) {
    std::cout << "{\"account\": " << json_text(a.id) << ", \"currency\": " << json_text(a.currency)
              << ", \"balance\": \"" << format_amount(a.balance()) << "\", \"posted_credits\": \""
              << format_amount(a.credits_posted) << "\", \"posted_debits\": \"" << format_amount(a.debits_posted)
              << "\", \"pending_credits\": \"" << format_amount(a.credits_pending)
              << "\", \"pending_debits\": \"" << format_amount(a.debits_pending) << "\", \"available\": \""
              << format_amount(a.available()) << "\", \"no_overdraft\": "
              << ((a.flags & account_no_overdraft) != 0 ? "true" : "false") << "}\n";
    return;
  }
  std::cout << a.id << ' ' << a.currency << " balance " << format_amount(a.balance()) << " available "
            << format_amount(a.available()) << " pending-debits " << format_amount(a.debits_pending)
            << " pending-credits " << format_amount(a.credits_pending) << '\n';
}

void print_transfer(const transfer& t, bool exists, bool json) {
  if (json) {
    std::cout << "{\"id\":" << json_text(t.id) << ",\"kind\":\"" << to_string(t.kind) << "\",\"debit\":"
              << json_text(t.debit_account) << ",\"credit\":" << json_text(t.credit_account) << ",\"amount\":\""
              << format_amount(t.amount) << "\",\"state\":\"" << to_string(t.state) << "\",\"exists\":"
              << (exists ? "true" : "false") << ",\"reference\":" << json_text(t.reference) << "}\n";
    return;
  }
  std::cout << t.id << ' ' << to_string(t.kind) << ' ' << t.debit_account << " -> " << t.credit_account << ' '
            << format_amount(t.amount) << ' ' << to_string(t.state) << (exists ? " (exists)" : "") << '\n';
}

// The ledger's refusals read "bankflow: CODE: FIELD: message" (id_conflict: amount: …), so a
// script can tell insufficient_funds from a bad file at a glance.
int fail(const error& e) {
  std::string line = "bankflow: ";
  if (!e.file.empty()) line += e.file + (e.line ? ":" + std::to_string(e.line) : std::string()) + ": ";
  line += std::string(to_string(e.code));
  if (!e.field.empty()) line += ": " + e.field;
  line += ": " + e.message;
  std::fprintf(stderr, "%s\n", line.c_str());
  return exit_data_error;
}

}  // namespace

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
