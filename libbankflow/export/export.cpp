// The normalized CSV and JSON (ARCHITECTURE.md "Normalized JSON" / "Normalized CSV").

#include <bankflow/csv.hpp>
#include <bankflow/export.hpp>

#include <algorithm>
#include <bankflow/json.hpp>
#include <bankflow/money.hpp>

#include "core/hash.hpp"
#include "core/write_text.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>

namespace bankflow {

namespace {

void append_opt_amount(std::string& out, const std::optional<std::int64_t>& v) {
  if (!v) {
    out += "null";
    return;
  }
  out += '"';
  append_amount(out, *v);
  out += '"';
}

void append_opt_date(std::string& out, const std::optional<date>& d) {
  if (!d) {
    out += "null";
    return;
  }
  out += '"';
  append_date(out, *d);
  out += '"';
}

void append_account(std::string& out, const account& a, bool with_balances) {
  out += "{\"branch\": ";
  append_json_string(out, a.branch);
  out += ", \"number\": ";
  append_json_string(out, a.number);
  out += ", \"kind\": ";
  append_json_string(out, to_string(a.kind));
  if (!a.holder.empty()) {
    out += ", \"holder\": ";
    append_json_string(out, a.holder);
  }
  if (with_balances) {
    out += ", \"opening_balance\": ";
    append_opt_amount(out, a.opening_balance);
    out += ", \"closing_balance\": ";
    append_opt_amount(out, a.closing_balance);
  }
  out += '}';
}

// Spreadsheets run a cell that starts with one of these as a formula.
bool formula_like(std::string_view s) noexcept {
  if (s.empty()) return false;
  switch (s.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
    default: return false;
  }
}

void append_text_cell(std::string& out, std::string_view s, char sep) {
  if (formula_like(s)) {
    std::string guarded;
    guarded.reserve(s.size() + 1);
    guarded += '\'';
    guarded += s;
    append_csv_field(out, guarded, sep);
  } else {
    append_csv_field(out, s, sep);
  }
}

void append_br_date(std::string& out, date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(d.day()),
                static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
  out += buf;
}

// The enrichment columns, after the original eight (empty when the statement was not enriched).
void append_enrichment_cells(std::string& out, const statement& st, const transaction& t, char sep, char dec) {
  const row_details* d = st.details_of(t);
  const counterparty* p = st.counterparty_of(t);
  const installment* n = d && d->installment ? &*d->installment : nullptr;
  const foreign_amount* f = st.foreign_of(t);
  if (f != nullptr && f->currency.empty()) f = nullptr;
  auto cell = [&](std::string_view s) {
    out += sep;
    append_text_cell(out, s, sep);
  };
  cell(st.enriched ? to_string(t.kind) : std::string_view{});
  cell(st.enriched ? to_string(t.kind_from) : std::string_view{});
  cell(p ? p->name : std::string_view{});
  cell(p ? p->document : std::string_view{});
  cell(p ? p->bank.compe : std::string_view{});
  cell(n ? std::to_string(n->number) : std::string());
  cell(n ? std::to_string(n->count) : std::string());
  cell(f ? f->currency : std::string_view{});
  out += sep;
  if (f) append_amount(out, f->amount, dec);
  if (f != nullptr && dec != '.') {  // Excel-BR: the rate with its decimal comma, as the amounts
    std::string rate(f->rate);
    std::replace(rate.begin(), rate.end(), '.', dec);
    cell(rate);
  } else {
    cell(f ? f->rate : std::string_view{});
  }
  cell(d ? d->merchant : std::string_view{});
  cell(t.category);
}

}  // namespace

void append_csv_rows(std::string& out, const statement& st, csv_style style) {
  const bool br = style == csv_style::excel_br;
  const char sep = br ? ';' : ',';
  const char dec = br ? ',' : '.';
  const std::string_view eol = br ? "\r\n" : "\n";
  const std::string_view bank = st.bank ? st.bank->id : std::string_view{};
  for (const auto& t : st.transactions) {
    if (br) append_br_date(out, t.posted);
    else append_date(out, t.posted);
    out += sep;
    append_text_cell(out, t.description, sep);
    out += sep;
    append_amount(out, t.amount, dec);
    out += sep;
    if (t.balance) append_amount(out, *t.balance, dec);
    out += sep;
    append_text_cell(out, t.document, sep);
    out += sep;
    append_text_cell(out, t.fitid, sep);
    out += sep;
    append_text_cell(out, bank, sep);
    out += sep;
    if (t.account_index < st.accounts.size())
      append_text_cell(out, st.accounts[t.account_index].number, sep);
    append_enrichment_cells(out, st, t, sep, dec);
    out += eol;
  }
}

namespace {

// About what the rows of `st` take in an output whose rows hold their description and `plain`
// more bytes (`enriched` when the statement is): growing a string of tens of MB instead would copy
// it and hold both copies at its peak. Pages reserved and never written are never faulted in.
std::size_t output_estimate(const statement& st, std::size_t plain, std::size_t enriched) {
  std::size_t bytes = 0;
  for (const transaction& t : st.transactions) bytes += t.description.size() + (st.enriched ? enriched : plain);
  return bytes;
}

}  // namespace

std::string to_csv(const statement& st, csv_style style) {
  std::string out;
  out.reserve(512 + output_estimate(st, 70, 110));
  if (style == csv_style::excel_br)
    out += "\xEF\xBB\xBF"
           "date;description;amount;balance;document;fitid;bank;account;kind;kind_source;"
           "counterparty_name;counterparty_document;counterparty_bank;installment_number;"
           "installment_count;foreign_currency;foreign_amount;foreign_rate;merchant;category\r\n";
  else
    out += "date,description,amount,balance,document,fitid,bank,account,kind,kind_source,"
           "counterparty_name,counterparty_document,counterparty_bank,installment_number,"
           "installment_count,foreign_currency,foreign_amount,foreign_rate,merchant,category\n";
  append_csv_rows(out, st, style);
  return out;
}

namespace {

// {"status": …, "printed": …, "computed": …, "difference": …, "basis": …[, "account": …]}
void append_check(std::string& out, const reconciliation_check& c, const account* card) {
  out += "{\"status\": ";
  append_json_string(out, to_string(c.status));
  out += ", \"printed\": ";
  append_opt_amount(out, c.printed);
  out += ", \"computed\": \"";
  append_amount(out, c.computed);
  out += "\", \"difference\": ";
  append_opt_amount(out, c.difference());
  out += ", \"basis\": ";
  append_json_string(out, c.basis);
  if (card) {
    out += ", \"account\": ";
    append_json_string(out, card->number);
  }
  out += '}';
}

// "bank": {…}, "format" and "confidence", the document's first lines.
void append_source(std::string& out, const statement& st) {
  out += "{\"bank\": {\"id\": ";
  append_json_string(out, st.bank ? st.bank->id : "unknown");
  out += ", \"name\": ";
  append_json_string(out, st.bank && !st.bank->name.empty() ? st.bank->name : st.bank_name);
  out += ", \"compe\": ";
  append_json_string(out, st.bank && !st.bank->compe.empty() ? st.bank->compe : st.bank_code);
  out += "},\n \"format\": ";
  append_json_string(out, st.format);
  char conf[32];
  std::snprintf(conf, sizeof conf, "%.2f", st.confidence);
  out += ", \"confidence\": ";
  out += conf;
}

// {"start": …, "end": …}, or null when the statement has no period.
void append_period(std::string& out, const statement& st) {
  if (!st.period_start && !st.period_end) {
    out += "null";
    return;
  }
  out += "{\"start\": ";
  append_opt_date(out, st.period_start);
  out += ", \"end\": ";
  append_opt_date(out, st.period_end);
  out += '}';
}

// The bill's total check with "cards": one check per card.
void append_reconciliation(std::string& out, const statement& st) {
  append_check(out, st.reconciliation->total, nullptr);
  out.pop_back();
  out += ", \"cards\": [";
  for (std::size_t i = 0; i < st.reconciliation->cards.size(); ++i) {
    if (i) out += ", ";
    const auto& c = st.reconciliation->cards[i];
    append_check(out, c, c.account_index < st.accounts.size() ? &st.accounts[c.account_index] : nullptr);
  }
  out += "]}";
}

// One row's JSON is written through a pointer into room made for the most it can take (row_room),
// then appended to the output at once: no bounds check or library call per piece.
class row_writer {
 public:
  explicit row_writer(char* at) noexcept : p_(at) {}
  [[nodiscard]] char* end() const noexcept { return p_; }
  template <std::size_t N>
  void lit(const char (&s)[N]) noexcept {  // a literal, without its terminating zero
    std::memcpy(p_, s, N - 1);
    p_ += N - 1;
  }
  void ch(char c) noexcept { *p_++ = c; }
  void text(std::string_view s) noexcept { p_ = detail::write_json_string(p_, s); }
  void opt_text(std::string_view s) noexcept {  // "…" or null for an empty text
    if (s.empty()) lit("null");
    else text(s);
  }
  void number(std::uint64_t v) noexcept { p_ = std::to_chars(p_, p_ + 20, v).ptr; }
  void amount(std::int64_t minor) noexcept {  // "-12.34"
    ch('"');
    p_ = detail::write_amount(p_, minor, '.');
    ch('"');
  }
  void opt_amount(const std::optional<std::int64_t>& v) noexcept {
    if (v) amount(*v);
    else lit("null");
  }
  void date(bankflow::date d) noexcept {  // "2025-04-01"
    ch('"');
    p_ = detail::write_date(p_, d);
    ch('"');
  }
  void opt_date(const std::optional<bankflow::date>& d) noexcept {
    if (d) date(*d);
    else lit("null");
  }
  void dedupe_key(std::uint64_t key) noexcept {  // as format_dedupe_key writes it
    ch('"');
    p_ = detail::write_hex64(p_, key);
    ch('"');
  }

 private:
  char* p_;
};

// The most bytes a row's JSON takes: its keys and numbers, and every text at its escaped worst.
std::size_t row_room(const statement& st, const transaction& t) {
  std::size_t texts = t.description.size() + t.document.size() + t.fitid.size() + t.category.size();
  if (t.account_index < st.accounts.size()) texts += st.accounts[t.account_index].number.size();
  if (const row_details* d = st.details_of(t)) texts += d->merchant.size();
  if (const counterparty* p = st.counterparty_of(t))
    texts += p->name.size() + p->document.size() + p->bank.compe.size() + p->bank.name.size() + p->branch.size() +
             p->account.size();
  if (const foreign_amount* f = st.foreign_of(t)) texts += f->currency.size() + f->rate.size();
  return 1024 + 6 * texts;
}

void write_counterparty(row_writer& w, const counterparty& p) {
  w.lit("{\"name\": ");
  w.opt_text(p.name);
  w.lit(", \"document\": ");
  w.opt_text(p.document);
  w.lit(", \"bank\": ");
  if (p.bank.compe.empty() && p.bank.name.empty()) {
    w.lit("null");
  } else {
    w.lit("{\"compe\": ");
    w.opt_text(p.bank.compe);
    w.lit(", \"name\": ");
    w.opt_text(p.bank.name);
    w.ch('}');
  }
  w.lit(", \"branch\": ");
  w.opt_text(p.branch);
  w.lit(", \"account\": ");
  w.opt_text(p.account);
  w.ch('}');
}

void write_foreign(row_writer& w, const foreign_amount& f) {
  w.lit("{\"currency\": ");
  w.opt_text(f.currency);
  w.lit(", \"amount\": ");
  if (f.currency.empty()) w.lit("null");
  else w.amount(f.amount);
  w.lit(", \"rate\": ");
  w.opt_text(f.rate);
  w.lit(", \"iof_of\": ");
  if (f.iof_of) w.number(*f.iof_of);
  else w.lit("null");
  w.ch('}');
}

// "kind", "kind_source", "counterparty", "installment", "foreign", "merchant", "category".
void write_enrichment(row_writer& w, const statement& st, const transaction& t) {
  const row_details* d = st.details_of(t);
  w.lit(", \"kind\": ");
  w.text(to_string(t.kind));
  w.lit(", \"kind_source\": ");
  w.text(to_string(t.kind_from));
  w.lit(", \"counterparty\": ");
  if (const counterparty* p = st.counterparty_of(t)) write_counterparty(w, *p);
  else w.lit("null");
  w.lit(", \"installment\": ");
  if (d && d->installment) {
    w.lit("{\"number\": ");
    w.number(d->installment->number);
    w.lit(", \"count\": ");
    w.number(d->installment->count);
    w.lit(", \"purchase_date\": ");
    w.opt_date(d->installment->purchase_date);
    w.ch('}');
  } else {
    w.lit("null");
  }
  w.lit(", \"foreign\": ");
  if (const foreign_amount* f = st.foreign_of(t)) write_foreign(w, *f);
  else w.lit("null");
  w.lit(", \"merchant\": ");
  w.opt_text(d ? d->merchant : std::string_view{});
  w.lit(", \"category\": ");
  w.opt_text(t.category);
}

void write_transaction(row_writer& w, const statement& st, const transaction& t, bool multi) {
  w.lit("{\"date\": ");
  w.date(t.posted);
  w.lit(", \"description\": ");
  w.text(t.description);
  w.lit(", \"amount\": ");
  w.amount(t.amount);
  w.lit(", \"balance\": ");
  w.opt_amount(t.balance);
  w.lit(", \"document\": ");
  w.text(t.document);
  w.lit(", \"fitid\": ");
  w.text(t.fitid);
  w.lit(", \"dedupe_key\": ");
  w.dedupe_key(t.dedupe_key);
  if (st.enriched) write_enrichment(w, st, t);
  if (multi) {
    w.lit(", \"account\": ");
    w.text(t.account_index < st.accounts.size() ? std::string_view(st.accounts[t.account_index].number)
                                                 : std::string_view{});
  }
  w.ch('}');
}

// A row's JSON appended to out: through a buffer on the stack, or for a row of very long texts
// one of its own.
void append_transaction(std::string& out, const statement& st, const transaction& t, bool multi) {
  char small[4096];
  std::string large;
  char* room = small;
  if (const std::size_t need = row_room(st, t); need > sizeof small) {
    large.resize(need);
    room = large.data();
  }
  row_writer w(room);
  write_transaction(w, st, t, multi);
  out.append(room, w.end());
}

void append_skipped_row(std::string& out, const skipped_row& s) {
  out += "{\"line\": ";
  out += std::to_string(s.line);
  if (!s.sheet.empty()) {
    out += ", \"sheet\": ";
    append_json_string(out, s.sheet);
  }
  if (!s.cell.empty()) {
    out += ", \"cell\": ";
    append_json_string(out, s.cell);
  }
  out += ", \"code\": ";
  append_json_string(out, to_string(s.code));
  out += ", \"field\": ";
  append_json_string(out, s.field);
  out += ", \"message\": ";
  append_json_string(out, skipped_row_message(s));
  out += ", \"raw\": ";
  append_json_string(out, s.raw);
  out += '}';
}

// The items of a list, one per line: "[" alone when it is empty, else "[\n  a,\n  b\n ]".
// Returns false for an empty list (the caller closes it).
template <class Items, class Append>
bool append_lines(std::string& out, const Items& items, Append append_item) {
  bool first = true;
  for (const auto& item : items) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    append_item(item);
  }
  return !first;
}

}  // namespace

std::string to_json(const statement& st) {
  std::string out;
  out.reserve(512 + output_estimate(st, 190, 360));
  const std::size_t primary = st.primary_account();
  const account empty_account;
  const account& acct = primary < st.accounts.size() ? st.accounts[primary] : empty_account;
  const bool multi = st.accounts.size() > 1;

  append_source(out, st);
  out += ",\n \"account\": ";
  append_account(out, acct, false);
  if (multi) {
    out += ",\n \"accounts\": [";
    for (std::size_t i = 0; i < st.accounts.size(); ++i) {
      if (i) out += ", ";
      append_account(out, st.accounts[i], true);
    }
    out += ']';
  }
  out += ",\n \"currency\": ";
  append_json_string(out, st.currency);
  out += ", \"period\": ";
  append_period(out, st);
  out += ",\n \"opening_balance\": ";
  append_opt_amount(out, acct.opening_balance);
  out += ", \"closing_balance\": ";
  append_opt_amount(out, acct.closing_balance);
  if (st.pages != 0) {
    out += ",\n \"pages\": ";
    out += std::to_string(st.pages);
  }
  if (st.due_date) {
    out += ",\n \"due_date\": ";
    append_opt_date(out, st.due_date);
  }
  if (st.reconciliation) {
    out += ",\n \"reconciliation\": ";
    append_reconciliation(out, st);
  }
  out += ",\n \"transactions\": [";
  const bool any_transaction = append_lines(out, st.transactions, [&](const transaction& t) {
    append_transaction(out, st, t, multi);
  });
  out += any_transaction ? "\n ],\n" : "],\n";
  out += " \"warnings\": [";
  const bool any_warning = append_lines(out, st.warnings, [&](const warning& w) {
    out += "{\"line\": ";
    out += std::to_string(w.line);
    out += ", \"message\": ";
    append_json_string(out, w.message);
    out += '}';
  });
  out += any_warning ? "\n ]" : "]";
  if (!st.skipped_rows.empty()) {
    out += ",\n \"skipped_rows\": [";
    append_lines(out, st.skipped_rows, [&](const skipped_row& s) { append_skipped_row(out, s); });
    out += "\n ]";
  }
  out += "}\n";
  return out;
}

std::string skipped_row_message(const skipped_row& row) {
  return row.field.empty() ? row.message : row.field + ": " + row.message;
}

std::string skipped_rows_to_csv(const statement& st) {
  std::string out = "line,sheet,cell,code,message,raw\n";
  append_skipped_rows_csv(out, st);
  return out;
}

void append_skipped_rows_csv(std::string& out, const statement& st) {
  for (const auto& s : st.skipped_rows) {
    out += std::to_string(s.line);
    out += ',';
    append_text_cell(out, s.sheet, ',');
    out += ',';
    append_text_cell(out, s.cell, ',');
    out += ',';
    out += to_string(s.code);
    out += ',';
    append_text_cell(out, skipped_row_message(s), ',');
    out += ',';
    append_text_cell(out, s.raw, ',');
    out += '\n';
  }
}

namespace {

// "fatura", "extrato" or "any" (OFX holds either).
std::string_view kind_of_format(std::string_view id) {
  for (const auto& f : known_formats())
    if (f.id == id) return f.kind == document_kind::fatura ? "fatura" : f.kind == document_kind::extrato ? "extrato" : "any";
  return "any";
}

void append_candidate(std::string& out, const candidate& c) {
  out += "\"bank\": ";
  if (c.bank) append_json_string(out, c.bank->id);
  else out += "null";
  out += ", \"bank_code\": ";
  append_json_string(out, c.bank_code);
  out += ", \"format\": ";
  append_json_string(out, c.format);
  out += ", \"kind\": ";
  append_json_string(out, kind_of_format(c.format));
  char conf[32];
  std::snprintf(conf, sizeof conf, "%.2f", c.confidence);
  out += ", \"confidence\": ";
  out += conf;
}

}  // namespace

std::string to_json(const std::vector<candidate>& candidates) {
  std::string out = "{";
  if (candidates.empty()) {
    out += "\"bank\": null, \"bank_code\": \"\", \"format\": null, \"confidence\": 0.00";
  } else {
    append_candidate(out, candidates.front());
  }
  out += ", \"candidates\": [";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    out += i ? ", {" : "{";
    append_candidate(out, candidates[i]);
    out += '}';
  }
  out += "]}";
  return out;
}

std::string banks_to_json() {
  std::string out = "[";
  bool first = true;
  for (const auto& b : known_banks()) {
    out += first ? "\n " : ",\n ";
    first = false;
    out += "{\"id\": ";
    append_json_string(out, b.id);
    out += ", \"name\": ";
    append_json_string(out, b.name);
    out += ", \"compe\": ";
    append_json_string(out, b.compe);
    out += ", \"formats\": [";
    bool first_format = true;
    for (const auto& f : known_formats()) {
      if (!bank_offers(f, b.id)) continue;
      if (!first_format) out += ", ";
      first_format = false;
      append_json_string(out, f.id);
    }
    out += "]}";
  }
  out += "\n]\n";
  return out;
}

}  // namespace bankflow
