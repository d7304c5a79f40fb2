// LGPD: everything an account holds as one JSON document, and the erasure of a person's data
// (the ledger's entries stay, under an id that no longer leads to anyone).

#include <bankflow/accounts.hpp>
#include <bankflow/date.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/json.hpp>
#include <bankflow/wallet.hpp>

#include <map>

namespace bankflow {
namespace {

// Every audit row where the user is the actor or the subject, newest first.
result<std::vector<audit_entry>> audit_rows_of(audit_log& audit, const std::string& user_id) {
  std::map<std::int64_t, audit_entry, std::greater<>> rows;
  for (const bool as_actor : {true, false}) {
    audit_query q{.limit = 1000};
    (as_actor ? q.actor : q.subject) = user_id;
    while (true) {
      auto page = audit.list(q);
      if (!page) return page.error();
      for (auto& e : page->entries) rows.emplace(e.id, std::move(e));
      if (!page->next_cursor) break;
      q.before = page->next_cursor;
    }
  }
  std::vector<audit_entry> out;
  out.reserve(rows.size());
  for (auto& [id, e] : rows) out.push_back(std::move(e));
  return out;
}

// The jobs with their results: {"job":…,"result":… or null}.
result<void> write_jobs(json_writer& w, const account_data& data, const std::string& owner) {
  auto jobs = data.jobs.list(owner, 100000);
  if (!jobs) return jobs.error();
  w.key("jobs").begin_array();
  for (const job& j : *jobs) {
    w.begin_object().key("job").raw(to_json(j)).key("result");
    if (j.status == job_status::completed) {
      auto bytes = download_result(data.jobs, data.paths, j, "json", false);
      if (!bytes) return bytes.error();
      w.raw(*bytes);
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
  return {};
}

// {"balance":…,"transactions":[every one, newest first]} or null without a wallet service.
result<void> write_wallet(json_writer& w, const account_data& data, const std::string& owner) {
  w.key("wallet");
  if (data.wallet == nullptr) {
    w.null();
    return {};
  }
  auto balance = data.wallet->balance(owner);
  if (!balance) return balance.error();
  w.begin_object().key("balance").raw(to_json(*balance)).key("transactions").begin_array();
  std::string cursor;
  do {
    auto page = data.wallet->transactions(owner, cursor, 200);
    if (!page) return page.error();
    for (const auto& t : page->transfers) w.raw(to_wallet_json(t));
    cursor = page->next_cursor;
  } while (!cursor.empty());
  w.end_array().end_object();
  return {};
}

}  // namespace

result<std::string> export_account(const account_data& data, const user_info& user, const request_meta& meta) {
  (void)data.audit.record("account_exported", user.id, user.id, meta);  // first: the export lists its own row
  std::string out;
  json_writer w(out);
  w.begin_object().field("exported_at", format_timestamp(std::chrono::system_clock::now()));
  w.key("user").raw(to_json(user));
  auto keys = data.accounts.list_api_keys(user.id);
  if (!keys) return keys.error();
  w.key("api_keys").begin_array();
  for (const auto& k : *keys) w.raw(to_json(k));
  w.end_array();
  auto sessions = data.sessions.list_for_user(user.id);
  if (!sessions) return sessions.error();
  w.key("sessions").begin_array();
  for (const auto& s : *sessions) w.raw(to_json(s, false));
  w.end_array();
  if (auto ok = write_jobs(w, data, user.id); !ok) return ok.error();
  if (auto ok = write_wallet(w, data, user.id); !ok) return ok.error();
  auto audit = audit_rows_of(data.audit, user.id);
  if (!audit) return audit.error();
  w.key("audit").begin_array();
  for (const auto& e : *audit) w.raw(to_json(e));
  w.end_array().end_object();
  return out;
}

result<erase_report> erase_account(const account_data& data, const user_info& user, const request_meta& meta) {
  if (data.wallet != nullptr) {
    auto b = data.wallet->balance(user.id);
    if (!b) return b.error();
    if (b->balance != 0 || b->pending_in != 0 || b->pending_out != 0)
      return make_error(errc::wallet_not_empty, "the wallet holds " + format_amount(b->balance) +
                                                    " (pending: in " + format_amount(b->pending_in) + ", out " +
                                                    format_amount(b->pending_out) +
                                                    "): withdraw it before erasing the account");
  }
  erase_report report;
  auto ended = data.sessions.revoke_all_for_user(user.id);
  if (!ended) return ended.error();
  report.sessions = *ended;
  auto jobs = data.jobs.remove_owned(user.id);
  if (!jobs) return jobs.error();
  for (const auto& id : *jobs) data.paths.remove_files(id);
  report.jobs = jobs->size();
  if (data.wallet != nullptr) {
    auto erased = data.wallet->erase_destinations(user.id);
    if (!erased) return erased.error();
    report.destinations = *erased;
  }
  auto keys = data.accounts.erase_user(user.id);
  if (!keys) return keys.error();
  report.api_keys = *keys;
  (void)data.audit.record("account_erased", user.id, user.id, meta,
                          std::to_string(report.jobs) + " conversions, " + std::to_string(report.api_keys) + " keys");
  return report;
}

}  // namespace bankflow
