#pragma once
// Text cells as the normalized output wants them: trimmed, runs of blanks collapsed, HTML
// entities (&amp;) decoded. Most cells need none of it and are copied as they are.

#include <bankflow/text.hpp>

#include "core/scan.hpp"

#include <string>
#include <string_view>

namespace bankflow::detail {

[[nodiscard]] inline std::string clean_text(std::string_view raw) {
  const std::string_view t = trim(raw);
  if (!needs_cleaning(t.data(), t.data() + t.size())) return std::string(t);
  std::string s = collapse_blanks(t);
  if (s.find('&') != std::string::npos) s = decode_entities(s);
  return s;
}

}  // namespace bankflow::detail
