// Dedupe keys: a hash of account digits, date, amount and folded description, mixed with how
// many earlier rows of the same date had the same hash (two equal purchases on one day keep two
// keys). Counted per date so that the table stays in cache whatever order the file is in.

#include "statement/dedupe.hpp"

#include "core/fast_paths.hpp"
#include "core/hash.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace bankflow {

namespace {

// 8 bytes, least significant first, whatever the platform.
void store_le(char* out, std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, &v, 8);
    return;
  }
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
}

}  // namespace

namespace {

// compute_dedupe_keys, and with `period` also compute_period from the dates it reads anyway:
// one pass over the transactions instead of two.
void dedupe_keys(statement& st, bool period) {
  auto& ts = st.transactions;
  const std::size_t n = ts.size();
  if (n == 0) return;

  // 1. Each row's base key: account digits, date and amount as fixed-width little-endian
  //    integers, and the folded description.
  std::vector<std::string> account_digits;
  for (const auto& a : st.accounts) {
    std::string d;
    for (char c : a.number)
      if (c >= '0' && c <= '9') d += c;
    d += '|';
    account_digits.push_back(std::move(d));
  }
  // Every element is written before it is read: no zero-filling (it cost ~10 Ir per row).
  const std::unique_ptr<std::uint64_t[]> base(new std::uint64_t[n]);
  const std::unique_ptr<std::int32_t[]> day(new std::int32_t[n]);
  std::vector<char> buf(256);  // the hashed bytes; fold_to writes 16 bytes of slack past them
  std::size_t in_buf = static_cast<std::size_t>(-1);  // whose account digits buf starts with
  for (std::size_t i = 0; i < n; ++i) {
    const transaction& t = ts[i];
    // y·512 + m·32 + d: ordered like the dates, cheap, and fixed forever (it is hashed)
    day[i] = static_cast<std::int32_t>(static_cast<int>(t.posted.year()) * 512 +
                                       static_cast<int>(static_cast<unsigned>(t.posted.month())) * 32 +
                                       static_cast<int>(static_cast<unsigned>(t.posted.day())));
    const std::size_t account = t.account_index < account_digits.size() ? t.account_index : account_digits.size();
    const std::string_view digits = account < account_digits.size() ? std::string_view(account_digits[account]) : "|";
    const std::size_t need = digits.size() + 16 + t.description.size() + 16;
    if (buf.size() < need) buf.resize(std::max(need, 2 * buf.size()));  // keeps the digits
    char* p = buf.data();
    if (account != in_buf) {  // rows of one account follow each other: copy its digits once
      std::memcpy(p, digits.data(), digits.size());
      in_buf = account;
    }
    p += digits.size();
    store_le(p, static_cast<std::uint64_t>(static_cast<std::int64_t>(day[i])));
    store_le(p + 8, static_cast<std::uint64_t>(t.amount));
    // nearly every description is plain ASCII, folded inline; the rest by fold_to
    std::size_t done = 0;
    const char* end = detail::fold_plain_to(p + 16, t.description, done);
    if (end == nullptr) end = detail::fold_to(p + 16, t.description, done);  // from where it stopped
    base[i] = detail::hash64(std::string_view(buf.data(), static_cast<std::size_t>(end - buf.data())));
  }

  // 2. Rows grouped by date (a stable counting sort: file order within a date), so that the
  //    occurrence count of equal keys uses one small table per date, which stays in cache
  //    whatever order the file is in.
  const auto [lo, hi] = std::minmax_element(day.get(), day.get() + n);
  if (period && !(st.period_start && st.period_end)) {  // a period the file declares stays
    st.period_start = ts[static_cast<std::size_t>(lo - day.get())].posted;
    st.period_end = ts[static_cast<std::size_t>(hi - day.get())].posted;
  }
  const std::size_t span = static_cast<std::size_t>(*hi - *lo) + 1;
  const std::unique_ptr<std::uint32_t[]> order(new std::uint32_t[n]);
  std::vector<std::uint32_t> start;  // counting sort: after it, start[d] is where date d's rows end
  if (span <= 4 * n + 1024) {
    start.assign(span + 1, 0);
    for (std::size_t i = 0; i < n; ++i) ++start[static_cast<std::size_t>(day[i] - *lo) + 1];
    for (std::size_t d = 1; d <= span; ++d) start[d] += start[d - 1];
    for (std::size_t i = 0; i < n; ++i) order[start[static_cast<std::size_t>(day[i] - *lo)]++] = static_cast<std::uint32_t>(i);
  } else {  // dates decades apart: sort instead
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(order.get(), order.get() + n, [&](std::uint32_t a, std::uint32_t b) { return day[a] < day[b]; });
  }

  // 3. Per date: count earlier rows with the same base key (its low bit set: keys are compared
  //    that way). Open addressing in one table sized for the largest date; a slot belongs to the
  //    date whose number it carries, any other is empty, so no date clears the table.
  struct slot {
    std::uint64_t key;
    std::uint32_t count;
    std::uint32_t group;  // 0: never used
  };
  std::vector<slot> table;
  std::uint32_t group = 0;
  // the dates' row ranges: from the counting sort's ends (one step per day of the span, not a
  // compare per row), else found in the sorted order
  std::size_t next_day = 0;
  const auto group_end = [&](std::size_t g) {
    if (!start.empty()) {
      while (start[next_day] == g) ++next_day;  // days without rows
      return static_cast<std::size_t>(start[next_day++]);
    }
    std::size_t e = g + 1;
    while (e < n && day[order[e]] == day[order[g]]) ++e;
    return e;
  };
  for (std::size_t g = 0; g < n;) {
    const std::size_t e = group_end(g);
    const std::size_t size = std::bit_ceil(std::max<std::size_t>(8, (e - g) * 2));
    if (table.size() < size) table.assign(size, slot{0, 0, 0});
    ++group;
    const std::size_t mask = size - 1;
    for (std::size_t k = g; k < e; ++k) {
      const std::uint32_t i = order[k];
      const std::uint64_t key = base[i] | 1;
      std::uint32_t occurrence = 0;
      for (std::size_t h = static_cast<std::size_t>(key ^ (key >> 29)) & mask;; h = (h + 1) & mask) {
        slot& sl = table[h];
        if (sl.group != group) {
          sl = {key, 1, group};
          break;
        }
        if (sl.key == key) {
          occurrence = sl.count++;
          break;
        }
      }
      ts[i].dedupe_key = detail::mix64(base[i] ^ ((occurrence + 1ULL) * 0x9E3779B97F4A7C15ULL));
    }
    g = e;
  }
}

}  // namespace

void compute_dedupe_keys(statement& st) { dedupe_keys(st, false); }

namespace detail {
void compute_dedupe_keys_and_period(statement& st) { dedupe_keys(st, true); }
}  // namespace detail

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
