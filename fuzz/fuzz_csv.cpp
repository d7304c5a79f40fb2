// The CSV reader on any bytes, with both separators and both quoting modes.
#include <bankflow/csv.hpp>
#include <bankflow/text.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const bankflow::decoded_text text = bankflow::decode_text(bytes);
  for (char sep : {';', ','}) {
    for (auto q : {bankflow::csv_quoting::rfc4180, bankflow::csv_quoting::none}) {
      bankflow::csv_reader reader(text.text, {sep, q});
      bankflow::csv_row row;
      while (true) {
        auto r = reader.next(row);
        if (!r || !*r) break;
        for (auto f : row.fields) (void)bankflow::fold(f);
      }
    }
  }
  (void)bankflow::split_lines(text.text);
  return 0;
}
