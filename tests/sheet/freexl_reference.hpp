#pragma once
// Tests only: an XLS read by Debian's freexl, rendered like the library's own reader renders it.

#include "sheet/workbook.hpp"

namespace bankflow::test {

/// Every worksheet of a BIFF XLS through freexl (the reference for detail::read_xls).
[[nodiscard]] result<detail::workbook_text> read_xls_with_freexl(std::string_view bytes,
                                                               const detail::workbook_limits& limits);

}  // namespace bankflow::test
