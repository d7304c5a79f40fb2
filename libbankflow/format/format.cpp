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

void finish_statement(statement& st) {
  if (st.accounts.empty()) st.accounts.emplace_back();
  compute_dedupe_keys_and_period(st);  // compute_period + compute_dedupe_keys in one pass
}

}  // namespace bankflow::detail
