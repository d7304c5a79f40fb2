// Any bytes as an XLS: the BIFF8 reader (the OLE2 container, its chains and the records) and
// every Excel layout on what it renders.
#include "sheet/workbook.hpp"

#include <bankflow/bankflow.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)bankflow::detail::read_xls(bytes, {});
  if (!bankflow::detail::is_ole2(bytes)) return 0;
  auto st = bankflow::parse(bytes, {.skip_bad_rows = true});
  if (st) (void)bankflow::to_json(*st);
  else (void)st.error().to_string();
  return 0;
}
