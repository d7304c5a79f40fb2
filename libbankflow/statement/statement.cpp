#include <bankflow/statement.hpp>
#include <bankflow/text.hpp>

#include "core/hash.hpp"

#include <algorithm>
#include <bit>
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

namespace {

// 8 bytes, least significant first, whatever the platform.
void append_le(std::string& out, std::uint64_t v) {
  char b[8];
  for (char& c : b) {
    c = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
  out.append(b, 8);
}

// Counts earlier occurrences of a (date, key) pair. Equal keys always share a date. When the
// dates run in order (nearly every statement, oldest or newest first), one small table serves
// each run of equal dates and is reused for the next, so it stays in cache. Otherwise every
// date gets its own region of one larger table.
class occurrence_counter {
 public:
  explicit occurrence_counter(const std::vector<transaction>& ts) : ts_(ts) {
    bool up = true, down = true;
    for (std::size_t i = 1; i < ts.size(); ++i) {
      up = up && !(ts[i].posted < ts[i - 1].posted);
      down = down && !(ts[i - 1].posted < ts[i].posted);
    }
    monotonic_ = up || down;
    if (monotonic_) return;
    for (const auto& t : ts) ++regions_[day_key(t.posted)].size;
    std::size_t total = 0;
    for (auto& [day, r] : regions_) {
      r.size = std::bit_ceil(std::max<std::size_t>(8, r.size * 2));
      r.offset = total;
      total += r.size;
    }
    slots_.assign(total, slot{});
  }

  /// How many transactions before ts[index] on the same date had the same key.
  std::uint32_t next(std::size_t index, std::uint64_t key) {
    const date day = ts_[index].posted;
    std::size_t offset = 0, size = 0;
    if (monotonic_) {
      if (index >= run_end_) {  // a new run of equal dates starts here
        run_end_ = index + 1;
        while (run_end_ < ts_.size() && ts_[run_end_].posted == day) ++run_end_;
        slots_.assign(std::bit_ceil(std::max<std::size_t>(8, (run_end_ - index) * 2)), slot{});
      }
      size = slots_.size();
    } else {
      if (!last_ || day != last_day_) {
        last_ = &regions_.at(day_key(day));
        last_day_ = day;
      }
      offset = last_->offset;
      size = last_->size;
    }
    key |= 1;  // 0 marks an empty slot
    const std::size_t mask = size - 1;
    for (std::size_t i = static_cast<std::size_t>(key ^ (key >> 29)) & mask;; i = (i + 1) & mask) {
      slot& s = slots_[offset + i];
      if (s.key == key) return s.count++;
      if (s.key == 0) {
        s = {key, 1};
        return 0;
      }
    }
  }

 private:
  static std::int64_t day_key(date d) noexcept {
    return std::chrono::sys_days(d).time_since_epoch().count();
  }
  struct region {
    std::size_t size = 0, offset = 0;
  };
  struct slot {
    std::uint64_t key = 0;
    std::uint32_t count = 0;
  };
  const std::vector<transaction>& ts_;
  bool monotonic_ = true;
  std::size_t run_end_ = 0;
  std::unordered_map<std::int64_t, region> regions_;
  std::vector<slot> slots_;
  const region* last_ = nullptr;
  date last_day_{};
};

}  // namespace

void compute_dedupe_keys(statement& st) {
  occurrence_counter seen(st.transactions);
  std::string buf;
  buf.reserve(256);
  // The key's input: account digits, then date and amount as fixed-width little-endian
  // integers (no decimal formatting on this path), then the folded description.
  std::vector<std::string> account_digits;
  for (const auto& a : st.accounts) {
    std::string d;
    for (char c : a.number)
      if (c >= '0' && c <= '9') d += c;
    d += '|';
    account_digits.push_back(std::move(d));
  }
  for (std::size_t index = 0; index < st.transactions.size(); ++index) {
    transaction& t = st.transactions[index];
    buf.clear();
    if (t.account_index < account_digits.size()) buf += account_digits[t.account_index];
    else buf += '|';
    append_le(buf, static_cast<std::uint64_t>(std::chrono::sys_days(t.posted).time_since_epoch().count()));
    append_le(buf, static_cast<std::uint64_t>(t.amount));
    append_fold(buf, t.description);
    const std::uint64_t base = detail::hash64(buf);
    const std::uint32_t occurrence = seen.next(index, base);
    t.dedupe_key = detail::mix64(base ^ ((occurrence + 1ULL) * 0x9E3779B97F4A7C15ULL));
  }
}

std::string format_dedupe_key(std::uint64_t key) { return detail::hex64(key); }

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
