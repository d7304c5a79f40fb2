// Statement import (import.hpp, ledger::import_statement): a statement's transactions become
// transfers with ids from their dedupe keys, so an overlapping file adds only what is new.

#include "ledger/import.hpp"

#include <bankflow/date.hpp>
#include <bankflow/json.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

namespace bankflow {
namespace detail {

std::string import_metadata(const statement& st, const transaction& t) {
  std::string out;
  json_writer w(out);
  w.begin_object()
      .field("date", format_date(t.posted))
      .field("fitid", t.fitid)
      .field("document", t.document)
      .field("dedupe_key", format_dedupe_key(t.dedupe_key));
  if (st.enriched) {  // what the row is (enrich.hpp), for reports on the ledger
    w.field("kind", to_string(t.kind)).field("category", t.category);
    const row_details* d = st.details_of(t);
    if (const counterparty* c = st.counterparty_of(t); c != nullptr && !c->name.empty()) {
      w.key("counterparty").begin_object().field("name", c->name);
      if (!c->document.empty()) w.field("document", c->document);
      if (!c->bank.compe.empty()) w.field("bank", c->bank.compe);
      w.end_object();
    }
    if (d != nullptr && !d->merchant.empty()) w.field("merchant", d->merchant);
  }
  w.end_object();
  return out;
}

import_plan plan_import(const statement& st, std::string_view account, std::string_view external_account,
                        std::size_t account_index) {
  import_plan plan;
  for (const auto& t : st.transactions) {
    if (t.account_index != account_index || t.amount == 0 || t.amount == std::numeric_limits<std::int64_t>::min()) {
      ++plan.skipped;
      continue;
    }
    transfer_request r;
    r.id = "stmt:" + std::string(account) + ":" + format_dedupe_key(t.dedupe_key);
    r.amount = t.amount > 0 ? t.amount : -t.amount;
    r.debit_account = std::string(t.amount > 0 ? external_account : account);
    r.credit_account = std::string(t.amount > 0 ? account : external_account);
    r.reference = t.description;
    r.metadata = import_metadata(st, t);
    plan.requests.push_back(std::move(r));
    plan.lines.push_back(t.line);
  }
  return plan;
}

}  // namespace detail

result<import_result> ledger::import_statement(const statement& st, std::string_view account,
                                               std::string_view external_account, std::size_t account_index) {
  const statement* source = &st;
  statement keyed;
  if (!st.transactions.empty() &&
      std::all_of(st.transactions.begin(), st.transactions.end(), [](const auto& t) { return t.dedupe_key == 0; })) {
    keyed = st.clone();
    compute_dedupe_keys(keyed);
    source = &keyed;
  }
  const std::size_t index = account_index == SIZE_MAX ? source->primary_account() : account_index;
  detail::import_plan plan = detail::plan_import(*source, account, external_account, index);
  import_result out;
  out.skipped = plan.skipped;
  auto results = submit_batch(plan.requests);
  if (!results) return results.error();
  for (std::size_t i = 0; i < results->size(); ++i) {
    auto& r = (*results)[i];
    if (!r && r.error().code == errc::id_conflict && r.error().field == "metadata") {
      ++out.already_present;  // the same movement, described anew (other category rules, a newer bankflow)
    } else if (!r) {
      error e = r.error();
      e.line = plan.lines[i];
      out.failures.push_back(std::move(e));
    } else if (r->exists) {
      ++out.already_present;
    } else {
      ++out.added;
    }
  }
  return out;
}

}  // namespace bankflow
