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

// y·512 + m·32 + d: ordered like the dates, cheap, and fixed forever (it is hashed)
std::int32_t day_number(date d) noexcept {
  return static_cast<std::int32_t>(static_cast<int>(d.year()) * 512 +
                                   static_cast<int>(static_cast<unsigned>(d.month())) * 32 +
                                   static_cast<int>(static_cast<unsigned>(d.day())));
}

// Each account's number as its digits and a '|', the prefix of its rows' hashed bytes.
std::vector<std::string> account_digit_prefixes(const statement& st) {
  std::vector<std::string> out;
  for (const auto& a : st.accounts) {
    std::string d;
    for (char c : a.number)
      if (c >= '0' && c <= '9') d += c;
    d += '|';
    out.push_back(std::move(d));
  }
  return out;
}

// The rows' working arrays. Every element is written before it is read: no zero-filling (it
// cost ~10 Ir per row).
struct row_keys {
  explicit row_keys(std::size_t n)
      : base(new std::uint64_t[n]), day(new std::int32_t[n]), order(new std::uint32_t[n]) {}
  std::unique_ptr<std::uint64_t[]> base;   // each row's key before its occurrence count
  std::unique_ptr<std::int32_t[]> day;     // day_number of its date
  std::unique_ptr<std::uint32_t[]> order;  // rows by date, file order within a date
};

// 1. Each row's base key: account digits, date and amount as fixed-width little-endian integers,
//    and the folded description.
void hash_rows(const statement& st, row_keys& rows) {
  const std::vector<std::string> account_digits = account_digit_prefixes(st);
  std::vector<char> buf(256);  // the hashed bytes; fold_to writes 16 bytes of slack past them
  std::size_t in_buf = static_cast<std::size_t>(-1);  // whose account digits buf starts with
  for (std::size_t i = 0; i < st.transactions.size(); ++i) {
    const transaction& t = st.transactions[i];
    rows.day[i] = day_number(t.posted);
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
    store_le(p, static_cast<std::uint64_t>(static_cast<std::int64_t>(rows.day[i])));
    store_le(p + 8, static_cast<std::uint64_t>(t.amount));
    // nearly every description is plain ASCII, folded inline; the rest by fold_to
    std::size_t done = 0;
    const char* end = detail::fold_plain_to(p + 16, t.description, done);
    if (end == nullptr) end = detail::fold_to(p + 16, t.description, done);  // from where it stopped
    rows.base[i] = detail::hash64(std::string_view(buf.data(), static_cast<std::size_t>(end - buf.data())));
  }
}

// 2. Rows grouped by date (a stable counting sort: file order within a date) into rows.order.
//    Returns the counting sort's ends (ends[d]: where day lo+d's rows end), empty when the dates
//    are decades apart and a sort did it instead.
std::vector<std::uint32_t> order_by_day(row_keys& rows, std::size_t n, std::int32_t lo, std::int32_t hi) {
  const std::size_t span = static_cast<std::size_t>(hi - lo) + 1;
  std::vector<std::uint32_t> start;
  if (span <= 4 * n + 1024) {
    start.assign(span + 1, 0);
    for (std::size_t i = 0; i < n; ++i) ++start[static_cast<std::size_t>(rows.day[i] - lo) + 1];
    for (std::size_t d = 1; d <= span; ++d) start[d] += start[d - 1];
    for (std::size_t i = 0; i < n; ++i)
      rows.order[start[static_cast<std::size_t>(rows.day[i] - lo)]++] = static_cast<std::uint32_t>(i);
  } else {
    for (std::size_t i = 0; i < n; ++i) rows.order[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(rows.order.get(), rows.order.get() + n,
                     [&](std::uint32_t a, std::uint32_t b) { return rows.day[a] < rows.day[b]; });
  }
  return start;
}

// The dates' row ranges in rows.order: from the counting sort's ends (one step per day of the
// span, not a compare per row), else found in the sorted order.
class day_groups {
 public:
  day_groups(const row_keys& rows, std::size_t n, const std::vector<std::uint32_t>& ends)
      : rows_(rows), n_(n), ends_(ends) {}

  // The end of the date group that begins at g.
  std::size_t end_of(std::size_t g) {
    if (!ends_.empty()) {
      while (ends_[next_day_] == g) ++next_day_;  // days without rows
      return static_cast<std::size_t>(ends_[next_day_++]);
    }
    std::size_t e = g + 1;
    while (e < n_ && rows_.day[rows_.order[e]] == rows_.day[rows_.order[g]]) ++e;
    return e;
  }

 private:
  const row_keys& rows_;
  std::size_t n_;
  const std::vector<std::uint32_t>& ends_;
  std::size_t next_day_ = 0;
};

// 3. Per date: count earlier rows with the same base key (its low bit set: keys are compared
//    that way). Open addressing in one table sized for the largest date; a slot belongs to the
//    date whose number it carries, any other is empty, so no date clears the table.
void key_occurrences(statement& st, const row_keys& rows, day_groups groups) {
  struct slot {
    std::uint64_t key;
    std::uint32_t count;
    std::uint32_t group;  // 0: never used
  };
  auto& ts = st.transactions;
  const std::size_t n = ts.size();
  std::vector<slot> table;
  std::uint32_t group = 0;
  for (std::size_t g = 0; g < n;) {
    const std::size_t e = groups.end_of(g);
    const std::size_t size = std::bit_ceil(std::max<std::size_t>(8, (e - g) * 2));
    if (table.size() < size) table.assign(size, slot{0, 0, 0});
    ++group;
    const std::size_t mask = size - 1;
    for (std::size_t k = g; k < e; ++k) {
      const std::uint32_t i = rows.order[k];
      const std::uint64_t key = rows.base[i] | 1;
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
      ts[i].dedupe_key = detail::mix64(rows.base[i] ^ ((occurrence + 1ULL) * 0x9E3779B97F4A7C15ULL));
    }
    g = e;
  }
}

// compute_dedupe_keys, and with `period` also compute_period from the dates it reads anyway:
// one pass over the transactions instead of two.
void dedupe_keys(statement& st, bool period) {
  const std::size_t n = st.transactions.size();
  if (n == 0) return;
  row_keys rows(n);
  hash_rows(st, rows);
  const auto [lo, hi] = std::minmax_element(rows.day.get(), rows.day.get() + n);
  if (period && !(st.period_start && st.period_end)) {  // a period the file declares stays
    st.period_start = st.transactions[static_cast<std::size_t>(lo - rows.day.get())].posted;
    st.period_end = st.transactions[static_cast<std::size_t>(hi - rows.day.get())].posted;
  }
  const std::vector<std::uint32_t> ends = order_by_day(rows, n, *lo, *hi);
  key_occurrences(st, rows, day_groups(rows, n, ends));
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
