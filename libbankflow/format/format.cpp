#include "format/format.hpp"

#include "statement/dedupe.hpp"

namespace bankflow::detail {

bool skip_bad_row(const parse_input& in, statement& st, bankflow::error& e, std::string_view raw) {
  if (!in.skip_bad_rows) {
    e.row_error = true;
    return false;
  }
  skipped_row& s = st.skipped_rows.emplace_back();
  s.line = e.line;
  s.code = e.code;
  s.message = std::move(e.message);
  s.field = std::move(e.field);
  // without the line break that ends it (CRLF files keep a CR on the last field)
  while (!raw.empty() && (raw.back() == '\r' || raw.back() == '\n')) raw.remove_suffix(1);
  s.raw = std::string(raw);
  return true;
}

namespace {

// A foreign amount's rate written as amounts are, with a dot (`5,76` on a bill is "5.76"), so a
// client reads every bank's rate the same way; a rate printed any other way stays as printed.
void dot_decimal_rates(statement& st) {
  for (foreign_amount& f : st.foreign_amounts) {
    const std::string_view r = f.rate;
    const std::size_t comma = r.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == r.size() ||
        r.find_first_not_of("0123456789,") != std::string_view::npos || r.find(',', comma + 1) != std::string_view::npos)
      continue;
    std::string dotted(r);
    dotted[comma] = '.';
    f.rate = st.keep(dotted);
  }
}

}  // namespace

void finish_statement(statement& st) {
  if (st.accounts.empty()) st.accounts.emplace_back();
  dot_decimal_rates(st);
  compute_dedupe_keys_and_period(st);  // compute_period + compute_dedupe_keys in one pass
}

}  // namespace bankflow::detail
