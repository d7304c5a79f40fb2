// The C ABI's storage half: databases, sessions, rate limits and the ledger. Every entry point
// runs its body through bf_c::guard (guard.hpp).

#include "bankflow.h"
#include "guard.hpp"

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/session.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

using namespace bf_c;  // NOLINT: this file is the C ABI

struct bf_database {
  std::optional<bankflow::database> db;
};

struct bf_session_store {
  std::optional<bankflow::session_store> store;
};

struct bf_account_store {
  std::optional<bankflow::account_store> store;
};

struct bf_rate_limiter {
  std::unique_ptr<bankflow::rate_limit_store> store;  // declared first: outlives the limiter
  std::optional<bankflow::rate_limiter> limiter;
};

struct bf_ledger {
  std::optional<bankflow::database> db;  // declared first: outlives the ledger
  std::optional<bankflow::ledger> ledger;
};

struct bf_transfer_list {
  std::vector<bankflow::transfer> transfers;
  std::string next_cursor;
};

namespace {

using ms = std::chrono::milliseconds;

bankflow::clock_fn clock_of(bf_clock_fn fn, void* ctx) {
  if (fn == nullptr) return {};
  return [fn, ctx] { return std::chrono::system_clock::time_point(ms(fn(ctx))); };
}

std::int64_t to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<ms>(t.time_since_epoch()).count();
}

bankflow::database open_database(const char* url, const bf_database_options* options) {
  require(url, "url");
  bankflow::database_options o;
  if (options != nullptr) {
    check_version(options->version, BF_DATABASE_OPTIONS_VERSION, "bf_database_options");
    o.pool_size = options->pool_size;
    o.busy_timeout = ms(options->busy_timeout_ms);
  }
  auto r = bankflow::database::open(url, o);
  if (!r) fail(r.error());
  return std::move(*r);
}

bankflow::transfer_kind kind_of(const bf_transfer_kind& kind) {
  const int k = enum_value(kind);
  switch (k) {
    case BF_TRANSFER_IMMEDIATE: return bankflow::transfer_kind::immediate;
    case BF_TRANSFER_PENDING: return bankflow::transfer_kind::pending;
    case BF_TRANSFER_POST: return bankflow::transfer_kind::post;
    case BF_TRANSFER_VOID: return bankflow::transfer_kind::void_pending;
  }
  fail(BF_EINVALID, "unknown transfer kind " + std::to_string(k));
}

bf_transfer_kind c_kind(bankflow::transfer_kind k) noexcept {
  switch (k) {
    case bankflow::transfer_kind::immediate: return BF_TRANSFER_IMMEDIATE;
    case bankflow::transfer_kind::pending: return BF_TRANSFER_PENDING;
    case bankflow::transfer_kind::post: return BF_TRANSFER_POST;
    case bankflow::transfer_kind::void_pending: return BF_TRANSFER_VOID;
  }
  return BF_TRANSFER_IMMEDIATE;
}

bf_transfer_state c_state(bankflow::transfer_state s) noexcept {
  switch (s) {
    case bankflow::transfer_state::posted: return BF_TRANSFER_POSTED;
    case bankflow::transfer_state::pending: return BF_TRANSFER_HELD;
    case bankflow::transfer_state::voided: return BF_TRANSFER_VOIDED;
    case bankflow::transfer_state::expired: return BF_TRANSFER_EXPIRED;
  }
  return BF_TRANSFER_POSTED;
}

bankflow::transfer_request request_of(const bf_transfer_request* r) {
  require(r, "request");
  check_version(r->version, BF_TRANSFER_REQUEST_VERSION, "bf_transfer_request");
  bankflow::transfer_request q;
  q.id = require(r->id, "request->id");
  q.kind = kind_of(r->kind);
  q.debit_account = opt_text(r->debit_account);
  q.credit_account = opt_text(r->credit_account);
  q.amount = r->amount;
  q.pending_id = opt_text(r->pending_id);
  q.timeout = ms(r->timeout_ms);
  q.metadata = opt_text(r->metadata);
  q.reference = opt_text(r->reference);
  return q;
}

bankflow::ledger& ledger_of(bf_ledger* l) { return *require(l, "ledger")->ledger; }

}  // namespace

extern "C" {

// ---------------------------------------------------------------------------------------------
// Database

int bf_database_open(bf_database** out, const char* url, const bf_database_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto h = std::make_unique<bf_database>();
    h->db.emplace(open_database(url, options));
    *out = h.release();
    return 0;
  });
}

void bf_database_free(bf_database* db) {
  guard([&] { delete db; });
}

// ---------------------------------------------------------------------------------------------
// Sessions

int bf_session_store_open(bf_session_store** out, bf_database* db, const bf_session_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(db, "db");
    bankflow::session_options o;
    if (options != nullptr) {
      check_version(options->version, BF_SESSION_OPTIONS_VERSION, "bf_session_options");
      o.lifetime = std::chrono::seconds(options->lifetime_seconds);
      o.clock = clock_of(options->clock, options->clock_ctx);
    }
    auto r = bankflow::session_store::open(*db->db, std::move(o));
    if (!r) fail(r.error());
    auto h = std::make_unique<bf_session_store>();
    h->store.emplace(std::move(*r));
    *out = h.release();
    return 0;
  });
}

void bf_session_store_free(bf_session_store* store) {
  guard([&] { delete store; });
}

int bf_session_create(bf_buf* token_out, bf_buf* id_out, bf_session_store* store) {
  clear_buf(token_out);
  clear_buf(id_out);
  return guard([&] {
    require(token_out, "token_out");
    auto r = require(store, "store")->store->create();
    if (!r) fail(r.error());
    bf_buf token = BF_BUF_INIT;
    to_buf(&token, r->token);
    if (id_out != nullptr) {
      try {
        to_buf(id_out, r->info.id);
      } catch (...) {
        bf_buf_dispose(&token);
        throw;
      }
    }
    *token_out = token;
    return 0;
  });
}

int bf_session_validate(bf_buf* id_out, bf_session_store* store, const char* token) {
  clear_buf(id_out);
  return guard([&] {
    auto r = require(store, "store")->store->touch(require(token, "token"));
    if (!r) fail(r.error());
    if (id_out != nullptr) to_buf(id_out, r->id);
    return 0;
  });
}

int bf_session_revoke(bf_session_store* store, const char* session_id) {
  return guard([&] {
    auto r = require(store, "store")->store->revoke(require(session_id, "session_id"));
    if (!r) fail(r.error());
    return 0;
  });
}

int bf_session_purge(size_t* count_out, bf_session_store* store) {
  if (count_out != nullptr) *count_out = 0;
  return guard([&] {
    auto r = require(store, "store")->store->purge_expired();
    if (!r) fail(r.error());
    if (count_out != nullptr) *count_out = r->size();
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Rate limits

int bf_rate_limiter_new(bf_rate_limiter** out, bf_database* db, bf_clock_fn clock, void* clock_ctx) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto h = std::make_unique<bf_rate_limiter>();
    auto r = db == nullptr ? bankflow::make_memory_rate_limit_store() : bankflow::make_sql_rate_limit_store(*db->db);
    if (!r) fail(r.error());
    h->store = std::move(*r);
    h->limiter.emplace(*h->store, bankflow::rate_limiter_options{.clock = clock_of(clock, clock_ctx)});
    *out = h.release();
    return 0;
  });
}

void bf_rate_limiter_free(bf_rate_limiter* limiter) {
  guard([&] { delete limiter; });
}

int bf_rate_limiter_set_limit(bf_rate_limiter* limiter, const char* action, uint32_t limit,
                              int64_t window_seconds) {
  return guard([&] {
    require(limiter, "limiter");
    require(action, "action");
    if (limit == 0 || window_seconds <= 0) fail(BF_EINVALID, "a rate limit needs limit > 0 and window > 0");
    limiter->limiter->set_limit(action, bankflow::rate_limit{limit, std::chrono::seconds(window_seconds)});
    return 0;
  });
}

int bf_rate_limiter_hit(uint32_t* remaining_out, int64_t* retry_after_out, bf_rate_limiter* limiter,
                        const char* session_id, const char* action) {
  if (remaining_out != nullptr) *remaining_out = 0;
  if (retry_after_out != nullptr) *retry_after_out = 0;
  return guard([&] {
    auto r = require(limiter, "limiter")->limiter->allow(std::string_view(require(session_id, "session_id")),
                                                          require(action, "action"));
    if (!r) fail(r.error());
    if (remaining_out != nullptr) *remaining_out = r->remaining;
    if (retry_after_out != nullptr) *retry_after_out = r->retry_after.count();
    if (!r->allowed)
      fail(BF_ERATE_LIMITED, std::string("rate limited: ") + action + "; retry after " +
                                 std::to_string(r->retry_after.count()) + " s");
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Ledger

int bf_ledger_open(bf_ledger** out, const char* url, const bf_ledger_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    bankflow::ledger_options o;
    if (options != nullptr) {
      check_version(options->version, BF_LEDGER_OPTIONS_VERSION, "bf_ledger_options");
      o.clock = clock_of(options->clock, options->clock_ctx);
    }
    auto h = std::make_unique<bf_ledger>();
    h->db.emplace(open_database(url, nullptr));
    auto r = bankflow::ledger::open(*h->db, std::move(o));
    if (!r) fail(r.error());
    h->ledger.emplace(std::move(*r));
    *out = h.release();
    return 0;
  });
}

void bf_ledger_free(bf_ledger* ledger) {
  guard([&] { delete ledger; });
}

int bf_ledger_create_account(int* existed_out, bf_ledger* ledger, const char* id, const char* currency,
                             uint32_t flags, const char* owner) {
  if (existed_out != nullptr) *existed_out = 0;
  return guard([&] {
    bankflow::ledger_account_spec spec;
    spec.id = require(id, "id");
    if (currency != nullptr) spec.currency = currency;
    spec.flags = flags;
    spec.owner = opt_text(owner);
    auto r = ledger_of(ledger).create_account(spec);
    if (!r) fail(r.error());
    if (existed_out != nullptr) *existed_out = r->exists ? 1 : 0;
    return 0;
  });
}

int bf_ledger_balance(bf_account_balance* out, bf_ledger* ledger, const char* account_id) {
  return guard([&] {
    require(out, "out");
    check_version(out->version, BF_ACCOUNT_BALANCE_VERSION, "bf_account_balance");
    auto r = ledger_of(ledger).get_account(require(account_id, "account_id"));
    if (!r) fail(r.error());
    out->debits_posted = r->debits_posted;
    out->credits_posted = r->credits_posted;
    out->debits_pending = r->debits_pending;
    out->credits_pending = r->credits_pending;
    out->balance = r->balance();
    out->available = r->available();
    return 0;
  });
}

int bf_ledger_transfer(int* existed_out, bf_ledger* ledger, const bf_transfer_request* request) {
  if (existed_out != nullptr) *existed_out = 0;
  return guard([&] {
    auto& l = ledger_of(ledger);
    auto r = l.submit(request_of(request));
    if (!r) fail(r.error());
    if (existed_out != nullptr) *existed_out = r->exists ? 1 : 0;
    return 0;
  });
}

int bf_ledger_transfer_batch(int* codes_out, bf_ledger* ledger, const bf_transfer_request* requests,
                             size_t count, int linked) {
  return guard([&] {
    auto& l = ledger_of(ledger);
    if (count > 0) require(requests, "requests");
    std::vector<bankflow::transfer_request> reqs;
    reqs.reserve(count);
    for (size_t i = 0; i < count; ++i) reqs.push_back(request_of(&requests[i]));
    auto r = l.submit_batch(reqs, bankflow::batch_options{linked != 0});
    if (!r) fail(r.error());
    bool first = true;
    for (size_t i = 0; i < r->size(); ++i) {
      const auto& one = (*r)[i];
      if (codes_out != nullptr) codes_out[i] = one ? 0 : code_of(one.error().code);
      if (!one && first) {
        set_error(one.error().to_string());
        first = false;
      }
    }
    return 0;
  });
}

int bf_ledger_get_transfer(bf_transfer_list** out, bf_ledger* ledger, const char* id) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto r = ledger_of(ledger).get_transfer(require(id, "id"));
    if (!r) fail(r.error());
    auto h = std::make_unique<bf_transfer_list>();
    h->transfers.push_back(std::move(*r));
    *out = h.release();
    return 0;
  });
}

int bf_ledger_history(bf_transfer_list** out, bf_ledger* ledger, const char* account_id, const char* cursor,
                      size_t limit) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto r = ledger_of(ledger).history(require(account_id, "account_id"), opt_text(cursor),
                                       limit == 0 ? 50 : limit);
    if (!r) fail(r.error());
    auto h = std::make_unique<bf_transfer_list>();
    h->transfers = std::move(r->transfers);
    h->next_cursor = std::move(r->next_cursor);
    *out = h.release();
    return 0;
  });
}

void bf_transfer_list_free(bf_transfer_list* list) { delete list; }

size_t bf_transfer_list_count(const bf_transfer_list* list) { return list == nullptr ? 0 : list->transfers.size(); }

const char* bf_transfer_list_next_cursor(const bf_transfer_list* list) {
  return list == nullptr ? nullptr : list->next_cursor.c_str();
}

int bf_transfer_list_get(bf_transfer_info* out, const bf_transfer_list* list, size_t i) {
  return guard([&] {
    require(out, "out");
    check_version(out->version, BF_TRANSFER_INFO_VERSION, "bf_transfer_info");
    check_index(i, require(list, "list")->transfers.size(), "transfer");
    const auto& t = list->transfers[i];
    out->id = t.id.c_str();
    out->kind = c_kind(t.kind);
    out->state = c_state(t.state);
    out->debit_account = t.debit_account.c_str();
    out->credit_account = t.credit_account.c_str();
    out->amount = t.amount;
    out->pending_id = t.pending_id.c_str();
    out->metadata = t.metadata.c_str();
    out->reference = t.reference.c_str();
    out->created_at_ms = to_ms(t.created_at);
    out->expires_at_ms = to_ms(t.expires_at);
    return 0;
  });
}

int bf_ledger_expire_pending(size_t* count_out, bf_ledger* ledger) {
  if (count_out != nullptr) *count_out = 0;
  return guard([&] {
    auto r = ledger_of(ledger).expire_pending();
    if (!r) fail(r.error());
    if (count_out != nullptr) *count_out = *r;
    return 0;
  });
}

int bf_ledger_check(int* ok_out, bf_buf* problems_out, bf_ledger* ledger) {
  clear_buf(problems_out);
  if (ok_out != nullptr) *ok_out = 0;
  return guard([&] {
    require(ok_out, "ok_out");
    auto r = ledger_of(ledger).check();
    if (!r) fail(r.error());
    if (problems_out != nullptr) {
      std::string text;
      for (const auto& p : r->problems) text.append(p).push_back('\n');
      to_buf(problems_out, text);
    }
    *ok_out = r->ok ? 1 : 0;
    return 0;
  });
}

int bf_ledger_import(bf_import_result* out, bf_ledger* ledger, const bf_statement* st, const char* account,
                     const char* external_account) {
  return guard([&] {
    if (out != nullptr) check_version(out->version, BF_IMPORT_RESULT_VERSION, "bf_import_result");
    auto& l = ledger_of(ledger);
    auto r = l.import_statement(require(st, "st")->st, require(account, "account"),
                                require(external_account, "external_account"));
    if (!r) fail(r.error());
    if (!r->failures.empty()) set_error(r->failures.front().to_string());
    if (out != nullptr) {
      out->added = r->added;
      out->already_present = r->already_present;
      out->skipped = r->skipped;
      out->failed = r->failures.size();
    }
    return 0;
  });
}

}  // extern "C"

// ---- accounts ---------------------------------------------------------------------------------

int bf_account_store_open(bf_account_store** out, bf_database* db, const bf_account_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(db, "db");
    bankflow::account_options o;
    if (options != nullptr) {
      check_version(options->version, BF_ACCOUNT_OPTIONS_VERSION, "bf_account_options");
      o.password = {options->memory_kib, options->iterations, options->parallelism};
      o.clock = clock_of(options->clock, options->clock_ctx);
    }
    auto r = bankflow::account_store::open(*db->db, std::move(o));
    if (!r) fail(r.error());
    auto h = std::make_unique<bf_account_store>();
    h->store.emplace(std::move(*r));
    *out = h.release();
    return 0;
  });
}

void bf_account_store_free(bf_account_store* store) { delete store; }

int bf_password_check(const char* password) {
  return guard([&] {
    if (auto ok = bankflow::check_password_policy(require(password, "password")); !ok) fail(ok.error());
    return 0;
  });
}

int bf_account_create_user(bf_buf* user_json_out, bf_account_store* store, const char* email, const char* password,
                           const char* display_name, const char* role) {
  clear_buf(user_json_out);
  return guard([&] {
    auto parsed = bankflow::parse_account_role(role != nullptr ? role : "user");
    if (!parsed) fail(parsed.error());
    auto u = require(store, "store")->store->create_user({.email = require(email, "email"),
                                                          .password = require(password, "password"),
                                                          .display_name = display_name != nullptr ? display_name : "",
                                                          .role = *parsed});
    if (!u) fail(u.error());
    if (user_json_out != nullptr) to_buf(user_json_out, bankflow::to_json(*u));
    return 0;
  });
}

int bf_account_authenticate(bf_buf* user_json_out, bf_account_store* store, const char* email, const char* password) {
  clear_buf(user_json_out);
  return guard([&] {
    auto u = require(store, "store")->store->authenticate(require(email, "email"), require(password, "password"));
    if (!u) fail(u.error());
    if (user_json_out != nullptr) to_buf(user_json_out, bankflow::to_json(*u));
    return 0;
  });
}

int bf_api_key_create(bf_buf* token_out, bf_account_store* store, const char* user_id, const char* name,
                      const char* scope) {
  clear_buf(token_out);
  return guard([&] {
    require(token_out, "token_out");
    auto parsed = bankflow::parse_key_scope(require(scope, "scope"));
    if (!parsed) fail(parsed.error());
    auto k = require(store, "store")->store->create_api_key(require(user_id, "user_id"), require(name, "name"), *parsed);
    if (!k) fail(k.error());
    to_buf(token_out, k->token);
    return 0;
  });
}

int bf_api_key_verify(bf_buf* json_out, int* read_write_out, bf_account_store* store, const char* token) {
  clear_buf(json_out);
  if (read_write_out != nullptr) *read_write_out = 0;
  return guard([&] {
    auto v = require(store, "store")->store->verify_api_key(require(token, "token"));
    if (!v) fail(v.error());
    if (json_out != nullptr)
      to_buf(json_out, "{\"key\":" + bankflow::to_json(v->key) + ",\"user\":" + bankflow::to_json(v->user) + "}");
    if (read_write_out != nullptr) *read_write_out = v->key.scope == bankflow::key_scope::read_write ? 1 : 0;
    return 0;
  });
}

int bf_api_key_revoke(bf_account_store* store, const char* user_id, const char* key_id) {
  return guard([&] {
    auto r = require(store, "store")->store->revoke_api_key(require(user_id, "user_id"), require(key_id, "key_id"));
    if (!r) fail(r.error());
    return 0;
  });
}
