// Any bytes through detection, every format's parser (forced, so each one sees every input),
// and both exports: never a crash, always a value or an error.
#include <bankflow/bankflow.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto candidates = bankflow::detect(bytes)) (void)bankflow::to_json(*candidates);
  auto detected = bankflow::parse(bytes, {});
  if (detected) (void)bankflow::to_json(*detected);
  for (const auto& format : bankflow::known_formats()) {
    auto st = bankflow::parse(bytes, {.format = format.id});
    if (st) {
      (void)bankflow::to_json(*st);
      (void)bankflow::to_csv(*st, bankflow::csv_style::excel_br);
    } else {
      (void)st.error().to_string();
    }
  }
  return 0;
}
