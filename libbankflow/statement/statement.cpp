#include <bankflow/statement.hpp>
#include <bankflow/text.hpp>

#include "core/hash.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace bankflow {

namespace {

constexpr std::array<bank_info, 11> banks{{
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
}};

std::string_view strip_code(std::string_view code) noexcept {
  code = trim(code);
  while (code.size() > 1 && code.front() == '0') code.remove_prefix(1);
  return code;
}

}  // namespace

std::span<const bank_info> known_banks() noexcept { return banks; }

const bank_info* find_bank(std::string_view id) noexcept {
  for (const auto& b : banks)
    if (b.id == id) return &b;
  return nullptr;
}

const bank_info* find_bank_by_compe(std::string_view code) noexcept {
  const auto wanted = strip_code(code);
  if (wanted.empty() || !std::all_of(wanted.begin(), wanted.end(),
                                     [](char c) { return c >= '0' && c <= '9'; }))
    return nullptr;
  for (const auto& b : banks)
    if (strip_code(b.compe) == wanted) return &b;
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

std::size_t statement::primary_account() const noexcept {
  if (accounts.size() <= 1) return 0;
  std::vector<std::size_t> counts(accounts.size(), 0);
  for (const auto& t : transactions)
    if (t.account_index < counts.size()) ++counts[t.account_index];
  return static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

std::string normalize_description(std::string_view description) { return fold(description); }

void compute_dedupe_keys(statement& st) {
  std::unordered_map<std::uint64_t, std::uint32_t> seen;
  seen.reserve(st.transactions.size());
  std::string buf;
  for (auto& t : st.transactions) {
    buf.clear();
    if (t.account_index < st.accounts.size())
      for (char c : st.accounts[t.account_index].number)
        if (c >= '0' && c <= '9') buf += c;
    buf += '|';
    buf += format_date(t.posted);
    buf += '|';
    buf += std::to_string(t.amount);
    buf += '|';
    buf += normalize_description(t.description);
    const std::uint64_t base = detail::fnv1a64(buf);
    const std::uint32_t occurrence = seen[base]++;
    buf += '|';
    buf += std::to_string(occurrence);
    t.dedupe_key = detail::hex64(detail::fnv1a64(buf));
  }
}

void compute_period(statement& st) {
  if (st.transactions.empty()) return;
  auto lo = st.transactions.front().posted;
  auto hi = lo;
  for (const auto& t : st.transactions) {
    lo = std::min(lo, t.posted);
    hi = std::max(hi, t.posted);
  }
  st.period_start = lo;
  st.period_end = hi;
}

}  // namespace bankflow
