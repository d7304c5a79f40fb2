#pragma once
// Text cells as the normalized output wants them: trimmed, runs of blanks collapsed, HTML
// entities (&amp;) decoded. Most cells need none of it and are copied as they are.

#include <bankflow/text.hpp>

#include "core/append_text.hpp"
#include "core/scan.hpp"

#include <string>
#include <string_view>

namespace bankflow::detail {

/// append_clean_text for trimmed text whose cleaning_needed() the caller has already asked.
inline void append_cleaned(std::string& out, std::string_view t, unsigned needed) {
  switch (needed) {
    case 0: out.append(t); return;
    case blanks_to_collapse: append_collapse_blanks(out, t); return;
    case entities_to_decode: append_decode_entities(out, t); return;
    default: append_decode_entities(out, collapse_blanks(t)); return;  // blanks first, as always
  }
}

/// clean_text(raw) appended to out: parsers build descriptions in a buffer they reuse.
/// (append_cleaned's switch is written out again here on purpose: with a call to it GCC 12 inlined
/// less into the Ourocard parser's loop, +95 instructions per row by callgrind.)
inline void append_clean_text(std::string& out, std::string_view raw) {
  const std::string_view t = trim(raw);
  switch (cleaning_needed(t.data(), t.data() + t.size())) {
    case 0: out.append(t); return;
    case blanks_to_collapse: append_collapse_blanks(out, t); return;
    case entities_to_decode: append_decode_entities(out, t); return;
    default: append_decode_entities(out, collapse_blanks(t)); return;  // blanks first, as always
  }
}

[[nodiscard]] inline std::string clean_text(std::string_view raw) {
  std::string s;
  append_clean_text(s, raw);
  return s;
}

}  // namespace bankflow::detail
