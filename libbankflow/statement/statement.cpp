#include <bankflow/statement.hpp>
#include <bankflow/text.hpp>

#include "core/memory.hpp"

#include <algorithm>
#include <array>
#include <memory>

namespace bankflow {

namespace {

constexpr std::array<bank_info, 14> banks{{
    {"itau", "Itaú Unibanco", "341"},
    {"bradesco", "Bradesco", "237"},
    {"santander", "Santander Brasil", "033"},
    {"bb", "Banco do Brasil", "001"},
    {"caixa", "Caixa Econômica Federal", "104"},
    {"nubank", "Nubank", "260"},
    {"inter", "Banco Inter", "077"},
    {"c6", "C6 Bank", "336"},
    {"sicoob", "Sicoob", "756"},
    {"sicredi", "Sicredi", "748"},
    {"btg", "BTG Pactual", "208"},
    {"mercadopago", "Mercado Pago", "323"},
    {"unicred", "Unicred", "136"},
    {"pan", "Banco Pan", "623"},
}};

// A bank code's number ("0033", "033" and "33" are 33); -1 when it is not one.
constexpr int code_number(std::string_view s) noexcept {
  int n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9' || n > 99999) return -1;
    n = n * 10 + (c - '0');
  }
  return s.empty() ? -1 : n;
}

constexpr auto code_numbers = [] {
  std::array<int, banks.size()> out{};
  for (std::size_t i = 0; i < banks.size(); ++i) out[i] = code_number(banks[i].compe);
  return out;
}();

}  // namespace

std::span<const bank_info> known_banks() noexcept { return banks; }

const bank_info* find_bank(std::string_view id) noexcept {
  for (const auto& b : banks)
    if (b.id == id) return &b;
  return nullptr;
}

const bank_info* find_bank_by_compe(std::string_view code) noexcept {
  // compared as numbers: enrichment asks once per transfer row
  const int wanted = code_number(trim(code));
  if (wanted < 0) return nullptr;
  for (std::size_t i = 0; i < banks.size(); ++i)
    if (code_numbers[i] == wanted) return &banks[i];
  return nullptr;
}

std::string_view to_string(account_kind k) noexcept {
  switch (k) {
    case account_kind::checking: return "checking";
    case account_kind::savings: return "savings";
    case account_kind::credit_card: return "credit_card";
    case account_kind::unknown: break;
  }
  return "unknown";
}

std::string_view to_string(reconciliation_status s) noexcept {
  switch (s) {
    case reconciliation_status::ok: return "ok";
    case reconciliation_status::mismatch: return "mismatch";
    case reconciliation_status::not_printed: break;
  }
  return "not_printed";
}

namespace {

constexpr std::array<std::string_view, 21> kind_ids{
    "other",  "pix",        "ted",     "doc",       "tef",   "boleto",      "card_purchase",
    "card_payment", "debit_card", "withdrawal", "deposit", "salary", "yield", "investment",
    "redemption",   "fee",        "tax",        "interest", "refund", "loan",  "direct_debit"};

constexpr std::array<std::string_view, 19> trntype_ids{
    "",    "CREDIT", "DEBIT",   "INT",     "DIV",         "FEE",       "SRVCHG",
    "DEP", "ATM",    "POS",     "XFER",    "CHECK",       "PAYMENT",   "CASH",
    "DIRECTDEP", "DIRECTDEBIT", "REPEATPMT", "HOLD", "OTHER"};

}  // namespace

std::string_view to_string(transaction_kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < kind_ids.size() ? kind_ids[i] : kind_ids[0];
}

std::optional<transaction_kind> parse_transaction_kind(std::string_view id) noexcept {
  for (std::size_t i = 0; i < kind_ids.size(); ++i)
    if (kind_ids[i] == id) return static_cast<transaction_kind>(i);
  return std::nullopt;
}

std::string_view to_string(kind_source s) noexcept {
  switch (s) {
    case kind_source::ofx_trntype: return "ofx_trntype";
    case kind_source::bank_table: return "bank_table";
    case kind_source::rule: return "rule";
    case kind_source::none: break;
  }
  return "none";
}

ofx_trntype parse_ofx_trntype(std::string_view text) noexcept {
  text = trim(text);
  char upper[16];
  if (text.empty() || text.size() > sizeof upper) return ofx_trntype::none;
  for (std::size_t i = 0; i < text.size(); ++i)
    upper[i] = text[i] >= 'a' && text[i] <= 'z' ? static_cast<char>(text[i] - 32) : text[i];
  const std::string_view u(upper, text.size());
  for (std::size_t i = 1; i < trntype_ids.size(); ++i)
    if (trntype_ids[i] == u) return static_cast<ofx_trntype>(i);
  return ofx_trntype::none;
}

void text_arena::grow(std::size_t at_least) {
  // blocks grow with what is kept (a file's descriptions come to a fraction of its size), from
  // 4 KiB up to 4 MiB, so a small statement stays small and a large one makes few blocks
  constexpr std::size_t min_block = 4096, max_block = std::size_t{4} << 20;
  const std::size_t block = std::max(at_least, std::clamp(size_, min_block, max_block));
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(block));
  // a block for a large file's text is touched from end to end: fault it in 2 MiB at a time
  if (block >= (std::size_t{4} << 20)) detail::advise_huge_pages(blocks_.back().get(), block);
  next_ = blocks_.back().get();
  left_ = block;
}

void text_arena::reserve(std::size_t bytes) {
  if (bytes > left_) grow(bytes);
}

statement statement::clone() const {
  statement c;
  c.bank = bank;
  c.bank_code = bank_code;
  c.bank_name = bank_name;
  c.format = format;
  c.confidence = confidence;
  c.accounts = accounts;
  c.currency = currency;
  c.period_start = period_start;
  c.period_end = period_end;
  c.warnings = warnings;
  c.skipped_rows = skipped_rows;
  c.due_date = due_date;
  c.reconciliation = reconciliation;
  c.pages = pages;
  std::size_t bytes = 0;
  for (const transaction& t : transactions) bytes += t.description.size() + t.document.size() + t.fitid.size();
  c.text_.reserve(bytes);
  c.transactions = transactions;
  for (transaction& t : c.transactions) {
    t.description = c.keep(t.description);
    t.document = c.keep(t.document);
    t.fitid = c.keep(t.fitid);
    t.category = c.keep(t.category);
  }
  c.enriched = enriched;
  c.details = details;
  for (row_details& d : c.details) d.merchant = c.keep(d.merchant);
  c.counterparties = counterparties;
  for (counterparty& p : c.counterparties)
    for (std::string_view* v : {&p.name, &p.document, &p.bank.compe, &p.bank.name, &p.branch, &p.account})
      *v = c.keep(*v);
  c.foreign_amounts = foreign_amounts;
  for (foreign_amount& f : c.foreign_amounts) {
    f.currency = c.keep(f.currency);
    f.rate = c.keep(f.rate);
  }
  return c;
}

std::size_t statement::primary_account() const noexcept {
  if (accounts.size() <= 1) return 0;
  std::vector<std::size_t> counts(accounts.size(), 0);
  for (const auto& t : transactions)
    if (t.account_index < counts.size()) ++counts[t.account_index];
  return static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

std::string normalize_description(std::string_view description) { return fold(description); }

}  // namespace bankflow
