// Amount and date parsing on any text: a value round-trips through formatting, or an error.
#include <bankflow/date.hpp>
#include <bankflow/money.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto style : {bankflow::number_style::automatic, bankflow::number_style::pt_br, bankflow::number_style::en}) {
    auto a = bankflow::parse_amount(text, style);
    if (a && a->has_value()) {
      auto back = bankflow::parse_amount(bankflow::format_amount(**a), bankflow::number_style::en);
      if (!back || !back->has_value() || **back != **a) std::abort();  // formatting must round-trip
    }
  }
  for (auto style : {bankflow::date_style::automatic, bankflow::date_style::ofx, bankflow::date_style::dmy}) {
    auto d = bankflow::parse_date(text, style);
    if (d && d->has_value() && !(**d).ok()) std::abort();  // only real calendar dates come out
  }
  return 0;
}
