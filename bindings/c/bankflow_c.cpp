// The C ABI (bindings/c/include/bankflow.h) over the public C++ API. Every entry point runs its
// body through guard(), which catches every exception; results cross as plain C types only.

#include "bankflow.h"
#include "guard.hpp"

#include <bankflow/bankflow.hpp>
#include <bankflow/rules.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// ---------------------------------------------------------------------------------------------
// Handles


struct bf_detection {
  struct row {
    std::string format, bank, bank_code;
    double confidence = 0.0;
  };
  std::vector<bankflow::candidate> candidates;  // for to_json
  std::vector<row> rows;
};

struct bf_rules {
  bankflow::rules_file rules;
};

struct bf_webhook_verifier {
  std::unique_ptr<bankflow::replay_guard> replay;  // declared first: outlives the verifier
  std::optional<bankflow::webhook_verifier> verifier;
};

using namespace bf_c;  // NOLINT: this file is the C ABI

namespace {

std::chrono::sys_seconds unix_seconds(int64_t seconds) { return std::chrono::sys_seconds{std::chrono::seconds{seconds}}; }

bankflow::parse_options parse_options_of(const bf_parse_options* o) {
  bankflow::parse_options po;
  if (o == nullptr) return po;
  check_version(o->version, BF_PARSE_OPTIONS_VERSION, "bf_parse_options");
  po.format = opt_text(o->format);
  po.bank = opt_text(o->bank);
  po.file_name = opt_text(o->file_name);
  if (o->version >= 2) po.skip_bad_rows = o->skip_bad_rows != 0;  // version 1 structs end before it
  if (o->version >= 3) {
    po.password = opt_text(o->password);
    po.first_page = o->first_page;
    po.last_page = o->last_page;
  }
  if (o->version >= 4 && o->rules != nullptr) po.category_rules = &o->rules->rules.rules;
  return po;
}

bf_statement* wrap(bankflow::statement&& st) {
  auto h = std::make_unique<bf_statement>();
  h->st = std::move(st);
  const auto& s = h->st;
  if (s.bank != nullptr) h->bank = std::string(s.bank->id);
  h->bank_name = !s.bank_name.empty() || s.bank == nullptr ? s.bank_name : std::string(s.bank->name);
  if (s.period_start) h->period_start = bankflow::format_date(*s.period_start);
  if (s.period_end) h->period_end = bankflow::format_date(*s.period_end);
  h->tx_dates.reserve(s.transactions.size());
  h->tx_keys.reserve(s.transactions.size());
  for (const auto& t : s.transactions) {
    h->tx_dates.push_back(bankflow::format_date(t.posted));
    h->tx_keys.push_back(bankflow::format_dedupe_key(t.dedupe_key));
  }
  for (const auto& a : s.accounts) h->account_kinds.emplace_back(bankflow::to_string(a.kind));
  for (const auto& r : s.skipped_rows) h->skipped_messages.push_back(bankflow::skipped_row_message(r));
  return h.release();
}

/// Borrowed-string accessor body: NULL for a NULL handle or an index out of range.
template <class H, class F>
const char* field(const H* h, F&& get) noexcept {
  if (h == nullptr) return nullptr;
  return guard([&]() -> const char* { return get(*h); });
}

// A borrowed text of skipped row `i`: NULL for a NULL handle or an index out of range.
template <class F>
const char* skipped_text(const bf_statement* st, size_t i, F&& get) noexcept {
  return field(st, [&](const bf_statement& h) -> const char* {
    return i < h.st.skipped_rows.size() ? get(h, h.st.skipped_rows[i]) : nullptr;
  });
}

// A transaction's text as a C string: a parsed statement's views come from statement::keep,
// which puts a NUL after each; a view never set is empty.
const char* c_text(std::string_view v) noexcept { return v.data() == nullptr ? "" : v.data(); }

template <class F>
const char* tx_field(const bf_statement* st, std::size_t i, F&& get) noexcept {
  return field(st, [&](const bf_statement& h) -> const char* {
    if (i >= h.st.transactions.size()) return nullptr;
    return get(h, h.st.transactions[i]);
  });
}

template <class F>
const char* account_field(const bf_statement* st, std::size_t i, F&& get) noexcept {
  return field(st, [&](const bf_statement& h) -> const char* {
    if (i >= h.st.accounts.size()) return nullptr;
    return get(h, h.st.accounts[i], i);
  });
}

int balance_of(int64_t* out, const std::optional<std::int64_t>& v, const char* what) {
  if (!v) fail(BF_ENOTFOUND, std::string(what) + " is not stated in the file");
  *out = *v;
  return 0;
}

bankflow::webhook_scheme scheme_of(const bf_webhook_scheme& scheme) {
  const int s = enum_value(scheme);
  switch (s) {
    case BF_WEBHOOK_STANDARD: return bankflow::webhook_scheme::standard;
    case BF_WEBHOOK_STRIPE: return bankflow::webhook_scheme::stripe;
    case BF_WEBHOOK_GITHUB: return bankflow::webhook_scheme::github;
    case BF_WEBHOOK_HMAC_SHA256: return bankflow::webhook_scheme::hmac_sha256;
  }
  fail(BF_EINVALID, "unknown webhook scheme " + std::to_string(s));
}

bankflow::signature_encoding encoding_of(const bf_signature_encoding& encoding) {
  const int e = enum_value(encoding);
  switch (e) {
    case BF_ENCODING_HEX: return bankflow::signature_encoding::hex;
    case BF_ENCODING_BASE64: return bankflow::signature_encoding::base64;
  }
  fail(BF_EINVALID, "unknown signature encoding " + std::to_string(e));
}

// The string of a result, or its error.
int buf_result(bf_buf* out, bankflow::result<std::string> r) {
  if (!r) fail(r.error());
  to_buf(out, *r);
  return 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Version, errors, buffers

extern "C" {

const char* bf_version(void) {
  static const std::string v(bankflow::version());
  return v.c_str();
}

const char* bf_error_last(void) { return last_error; }

static const char* error_name(int code) {
  switch (code) {
    case BF_OK: return "ok";
    case BF_EINVALID: return "invalid";
    case BF_ENOMEM: return "nomem";
    case BF_EINTERNAL: return "internal";
    default: break;
  }
  constexpr int codes = 200;  // errc values 0..199 map to -100..-299
  if (code > -100 || code <= -100 - codes) return "unknown";
  // bankflow's names, NUL-terminated once (a function-local constant, built thread-safely)
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (int n = 0; n < codes; ++n) v.emplace_back(bankflow::to_string(static_cast<bankflow::errc>(n)));
    return v;
  }();
  const int n = -code - 100;
  if (code_of(static_cast<bankflow::errc>(n)) != code) return "unknown";
  return names[static_cast<std::size_t>(n)].c_str();
}

const char* bf_error_name(int code) {
  const char* name = guard([&]() -> const char* { return error_name(code); });
  return name != nullptr ? name : "unknown";
}

void bf_buf_dispose(bf_buf* buf) {
  if (buf == nullptr) return;
  std::free(buf->ptr);
  buf->ptr = nullptr;
  buf->size = 0;
}

int bf_format_amount(bf_buf* out, int64_t minor) {
  clear_buf(out);
  return guard([&] {
    to_buf(require(out, "out"), bankflow::format_amount(minor));
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Parsing

int bf_parse(bf_statement** out, const void* data, size_t size, const bf_parse_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    const auto input = bytes(data, size);
    auto r = bankflow::parse(input, parse_options_of(options));
    if (!r) fail(r.error());
    *out = wrap(std::move(*r));
    return 0;
  });
}

int bf_parse_file(bf_statement** out, const char* path, const bf_parse_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    auto r = bankflow::parse_file(path, parse_options_of(options));
    if (!r) fail(r.error());
    *out = wrap(std::move(*r));
    return 0;
  });
}

void bf_statement_free(bf_statement* st) { delete st; }

int bf_rules_parse(bf_rules** out, const char* json, size_t size) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto r = bankflow::parse_rules(bytes(json, size), "rules");
    if (!r) fail(r.error());
    *out = new bf_rules{std::move(*r)};
    return 0;
  });
}

int bf_rules_load(bf_rules** out, const char* path) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(path, "path");
    auto r = bankflow::load_rules(path);
    if (!r) fail(r.error());
    *out = new bf_rules{std::move(*r)};
    return 0;
  });
}

size_t bf_rules_count(const bf_rules* rules) { return rules == nullptr ? 0 : rules->rules.from_file; }

void bf_rules_free(bf_rules* rules) { delete rules; }

const char* bf_statement_bank(const bf_statement* st) {
  return field(st, [](const bf_statement& h) { return h.bank.c_str(); });
}
const char* bf_statement_bank_name(const bf_statement* st) {
  return field(st, [](const bf_statement& h) { return h.bank_name.c_str(); });
}
const char* bf_statement_bank_code(const bf_statement* st) {
  return field(st, [](const bf_statement& h) { return h.st.bank_code.c_str(); });
}
const char* bf_statement_format(const bf_statement* st) {
  return field(st, [](const bf_statement& h) { return h.st.format.c_str(); });
}
const char* bf_statement_currency(const bf_statement* st) {
  return field(st, [](const bf_statement& h) { return h.st.currency.c_str(); });
}
const char* bf_statement_period_start(const bf_statement* st) {
  return field(st, [](const bf_statement& h) { return h.period_start.c_str(); });
}
const char* bf_statement_period_end(const bf_statement* st) {
  return field(st, [](const bf_statement& h) { return h.period_end.c_str(); });
}

int bf_statement_confidence(double* out, const bf_statement* st) {
  return guard([&] {
    *require(out, "out") = require(st, "st")->st.confidence;
    return 0;
  });
}

size_t bf_statement_account_count(const bf_statement* st) { return st == nullptr ? 0 : st->st.accounts.size(); }

const char* bf_statement_account_branch(const bf_statement* st, size_t i) {
  return account_field(st, i, [](const bf_statement&, const bankflow::account& a, size_t) {
    return a.branch.c_str();
  });
}
const char* bf_statement_account_number(const bf_statement* st, size_t i) {
  return account_field(st, i, [](const bf_statement&, const bankflow::account& a, size_t) {
    return a.number.c_str();
  });
}
const char* bf_statement_account_kind(const bf_statement* st, size_t i) {
  return account_field(st, i, [](const bf_statement& h, const bankflow::account&, size_t k) {
    return h.account_kinds[k].c_str();
  });
}

int bf_statement_account_opening_balance(int64_t* out, const bf_statement* st, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(st, "st")->st.accounts.size(), "account");
    return balance_of(out, st->st.accounts[i].opening_balance, "the opening balance");
  });
}

int bf_statement_account_closing_balance(int64_t* out, const bf_statement* st, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(st, "st")->st.accounts.size(), "account");
    return balance_of(out, st->st.accounts[i].closing_balance, "the closing balance");
  });
}

size_t bf_statement_transaction_count(const bf_statement* st) {
  return st == nullptr ? 0 : st->st.transactions.size();
}

const char* bf_statement_tx_date(const bf_statement* st, size_t i) {
  return tx_field(st, i, [i](const bf_statement& h, const bankflow::transaction&) { return h.tx_dates[i].c_str(); });
}
const char* bf_statement_tx_description(const bf_statement* st, size_t i) {
  return tx_field(st, i, [](const bf_statement&, const bankflow::transaction& t) { return c_text(t.description); });
}
const char* bf_statement_tx_document(const bf_statement* st, size_t i) {
  return tx_field(st, i, [](const bf_statement&, const bankflow::transaction& t) { return c_text(t.document); });
}
const char* bf_statement_tx_fitid(const bf_statement* st, size_t i) {
  return tx_field(st, i, [](const bf_statement&, const bankflow::transaction& t) { return c_text(t.fitid); });
}
const char* bf_statement_tx_dedupe_key(const bf_statement* st, size_t i) {
  return tx_field(st, i, [i](const bf_statement& h, const bankflow::transaction&) { return h.tx_keys[i].c_str(); });
}
const char* bf_statement_tx_account(const bf_statement* st, size_t i) {
  return tx_field(st, i, [](const bf_statement& h, const bankflow::transaction& t) -> const char* {
    if (t.account_index >= h.st.accounts.size()) return nullptr;
    return h.st.accounts[t.account_index].number.c_str();
  });
}

int bf_statement_tx_amount(int64_t* out, const bf_statement* st, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(st, "st")->st.transactions.size(), "transaction");
    *out = st->st.transactions[i].amount;
    return 0;
  });
}

int bf_statement_tx_balance(int64_t* out, const bf_statement* st, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(st, "st")->st.transactions.size(), "transaction");
    return balance_of(out, st->st.transactions[i].balance, "the running balance");
  });
}

int bf_statement_tx_line(size_t* out, const bf_statement* st, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(st, "st")->st.transactions.size(), "transaction");
    *out = st->st.transactions[i].line;
    return 0;
  });
}

size_t bf_statement_warning_count(const bf_statement* st) { return st == nullptr ? 0 : st->st.warnings.size(); }

const char* bf_statement_warning_message(const bf_statement* st, size_t i) {
  return field(st, [i](const bf_statement& h) -> const char* {
    return i < h.st.warnings.size() ? h.st.warnings[i].message.c_str() : nullptr;
  });
}

int bf_statement_warning_line(size_t* out, const bf_statement* st, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(st, "st")->st.warnings.size(), "warning");
    *out = st->st.warnings[i].line;
    return 0;
  });
}

int bf_statement_reconciliation(const bf_statement* st, int64_t* printed, int64_t* computed) {
  if (st == nullptr || !st->st.reconciliation) return BF_RECONCILIATION_NONE;
  const auto& c = st->st.reconciliation->total;
  if (printed != nullptr) *printed = c.printed.value_or(0);
  if (computed != nullptr) *computed = c.computed;
  switch (c.status) {
    case bankflow::reconciliation_status::ok: return BF_RECONCILIATION_OK;
    case bankflow::reconciliation_status::mismatch: return BF_RECONCILIATION_MISMATCH;
    case bankflow::reconciliation_status::not_printed: break;
  }
  return BF_RECONCILIATION_NOT_PRINTED;
}

size_t bf_statement_skipped_count(const bf_statement* st) {
  return st == nullptr ? 0 : st->st.skipped_rows.size();
}

int bf_statement_skipped_line(size_t* out, const bf_statement* st, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(st, "st")->st.skipped_rows.size(), "skipped row");
    *out = st->st.skipped_rows[i].line;
    return 0;
  });
}

const char* bf_statement_skipped_code(const bf_statement* st, size_t i) {
  // the names are string literals: NUL-terminated, static
  return skipped_text(st, i, [](const bf_statement&, const bankflow::skipped_row& r) {
    return bankflow::to_string(r.code).data();
  });
}

const char* bf_statement_skipped_field(const bf_statement* st, size_t i) {
  return skipped_text(st, i, [](const bf_statement&, const bankflow::skipped_row& r) { return r.field.c_str(); });
}

const char* bf_statement_skipped_message(const bf_statement* st, size_t i) {
  return skipped_text(st, i, [i](const bf_statement& h, const bankflow::skipped_row&) {
    return h.skipped_messages[i].c_str();
  });
}

const char* bf_statement_skipped_raw(const bf_statement* st, size_t i) {
  return skipped_text(st, i, [](const bf_statement&, const bankflow::skipped_row& r) { return r.raw.c_str(); });
}

const char* bf_statement_skipped_sheet(const bf_statement* st, size_t i) {
  return skipped_text(st, i, [](const bf_statement&, const bankflow::skipped_row& r) { return r.sheet.c_str(); });
}

const char* bf_statement_skipped_cell(const bf_statement* st, size_t i) {
  return skipped_text(st, i, [](const bf_statement&, const bankflow::skipped_row& r) { return r.cell.c_str(); });
}

// ---------------------------------------------------------------------------------------------
// Detection

int bf_detect(bf_detection** out, const void* data, size_t size) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    auto r = bankflow::detect(bytes(data, size));
    if (!r) fail(r.error());
    auto d = std::make_unique<bf_detection>();
    d->candidates = std::move(*r);
    for (const auto& c : d->candidates)
      d->rows.push_back({std::string(c.format), c.bank ? std::string(c.bank->id) : std::string(),
                         c.bank_code, c.confidence});
    *out = d.release();
    return 0;
  });
}

void bf_detection_free(bf_detection* d) { delete d; }

size_t bf_detection_count(const bf_detection* d) { return d == nullptr ? 0 : d->rows.size(); }

const char* bf_detection_format(const bf_detection* d, size_t i) {
  return field(d, [i](const bf_detection& h) { return i < h.rows.size() ? h.rows[i].format.c_str() : nullptr; });
}
const char* bf_detection_bank(const bf_detection* d, size_t i) {
  return field(d, [i](const bf_detection& h) { return i < h.rows.size() ? h.rows[i].bank.c_str() : nullptr; });
}
const char* bf_detection_bank_code(const bf_detection* d, size_t i) {
  return field(d, [i](const bf_detection& h) { return i < h.rows.size() ? h.rows[i].bank_code.c_str() : nullptr; });
}

int bf_detection_confidence(double* out, const bf_detection* d, size_t i) {
  return guard([&] {
    require(out, "out");
    check_index(i, require(d, "d")->rows.size(), "candidate");
    *out = d->rows[i].confidence;
    return 0;
  });
}

int bf_detection_to_json(bf_buf* out, const bf_detection* d) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    to_buf(out, bankflow::to_json(require(d, "d")->candidates));
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Export

int bf_statement_to_csv(bf_buf* out, const bf_statement* st, const bf_csv_options* options) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    require(st, "st");
    auto style = bankflow::csv_style::standard;
    if (options != nullptr) {
      check_version(options->version, BF_CSV_OPTIONS_VERSION, "bf_csv_options");
      const int s = enum_value(options->style);
      if (s == BF_CSV_EXCEL_BR)
        style = bankflow::csv_style::excel_br;
      else if (s != BF_CSV_STANDARD)
        fail(BF_EINVALID, "unknown CSV style " + std::to_string(s));
    }
    to_buf(out, bankflow::to_csv(st->st, style));
    return 0;
  });
}

int bf_statement_to_xlsx(bf_buf* out, const bf_statement* st) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    return buf_result(out, bankflow::to_xlsx(require(st, "st")->st));
  });
}

int bf_statement_skipped_to_csv(bf_buf* out, const bf_statement* st) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    to_buf(out, bankflow::skipped_rows_to_csv(require(st, "st")->st));
    return 0;
  });
}

int bf_statement_to_json(bf_buf* out, const bf_statement* st) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    to_buf(out, bankflow::to_json(require(st, "st")->st));
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Webhooks

int bf_webhook_verifier_new(bf_webhook_verifier** out, const bf_webhook_options* options) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    require(options, "options");
    check_version(options->version, BF_WEBHOOK_OPTIONS_VERSION, "bf_webhook_options");
    bankflow::webhook_options o;
    o.scheme = scheme_of(options->scheme);
    if (options->secret_count > 0) require(options->secrets, "options->secrets");
    for (size_t i = 0; i < options->secret_count; ++i)
      o.secrets.emplace_back(require(options->secrets[i], "a secret"));
    o.tolerance = std::chrono::seconds(options->tolerance_seconds);
    if (options->hmac_header != nullptr) o.hmac.header = options->hmac_header;
    o.hmac.encoding = encoding_of(options->hmac_encoding);
    o.hmac.prefix = opt_text(options->hmac_prefix);
    o.hmac.id_header = opt_text(options->hmac_id_header);
    if (options->now != 0) {
      const std::chrono::system_clock::time_point now{std::chrono::seconds(options->now)};
      o.clock = [now] { return now; };
    }
    auto h = std::make_unique<bf_webhook_verifier>();
    if (options->reject_replays != 0) {
      auto replay = bankflow::make_memory_replay_guard();
      if (!replay) fail(replay.error());
      h->replay = std::move(*replay);
      o.replay = h->replay.get();
    }
    auto v = bankflow::webhook_verifier::create(std::move(o));
    if (!v) fail(v.error());
    h->verifier.emplace(std::move(*v));
    *out = h.release();
    return 0;
  });
}

void bf_webhook_verifier_free(bf_webhook_verifier* v) { delete v; }

void bf_webhook_event_dispose(bf_webhook_event* event) {
  if (event == nullptr) return;
  bf_buf_dispose(&event->id);
  event->has_timestamp = 0;
  event->timestamp = 0;
  event->secret_index = 0;
}

int bf_webhook_verify(bf_webhook_event* out, const bf_webhook_verifier* v, const bf_header* headers,
                      size_t header_count, const void* body, size_t body_size) {
  return guard([&] {
    if (out != nullptr) check_version(out->version, BF_WEBHOOK_EVENT_VERSION, "bf_webhook_event");
    require(v, "v");
    if (header_count > 0) require(headers, "headers");
    std::vector<bankflow::header_view> hv;
    hv.reserve(header_count);
    for (size_t i = 0; i < header_count; ++i)
      hv.push_back({require(headers[i].name, "a header name"), require(headers[i].value, "a header value")});
    auto r = v->verifier->verify(std::span<const bankflow::header_view>(hv), bytes(body, body_size));
    if (!r) fail(r.error());
    if (out != nullptr) {
      bf_buf id = BF_BUF_INIT;
      to_buf(&id, r->id);
      bf_buf_dispose(&out->id);
      out->id = id;
      out->has_timestamp = r->timestamp ? 1 : 0;
      out->timestamp = r->timestamp ? r->timestamp->time_since_epoch().count() : 0;
      out->secret_index = r->secret_index;
    }
    return 0;
  });
}

int bf_webhook_sign_standard(bf_buf* out, const char* secret, const char* id, int64_t timestamp,
                             const void* body, size_t body_size) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    return buf_result(out, bankflow::sign_standard_webhook(require(secret, "secret"), require(id, "id"),
                                                            unix_seconds(timestamp), bytes(body, body_size)));
  });
}

int bf_webhook_sign_stripe(bf_buf* out, const char* secret, int64_t timestamp, const void* body,
                           size_t body_size) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    return buf_result(out, bankflow::sign_stripe_webhook(require(secret, "secret"), unix_seconds(timestamp),
                                                          bytes(body, body_size)));
  });
}

int bf_webhook_sign_github(bf_buf* out, const char* secret, const void* body, size_t body_size) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    return buf_result(out, bankflow::sign_github_webhook(require(secret, "secret"), bytes(body, body_size)));
  });
}

int bf_webhook_sign_hmac(bf_buf* out, const char* secret, const void* body, size_t body_size,
                         bf_signature_encoding encoding, const char* prefix) {
  clear_buf(out);
  return guard([&] {
    require(out, "out");
    return buf_result(out, bankflow::sign_hmac_webhook(require(secret, "secret"), bytes(body, body_size),
                                                        encoding_of(encoding), opt_text(prefix)));
  });
}

}  // extern "C"
