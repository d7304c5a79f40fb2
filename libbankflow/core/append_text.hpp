#pragma once
// The appending forms of text.hpp's functions, for readers that build text without temporaries
// (parsing plumbing, not public API).

#include <string>
#include <string_view>

namespace bankflow::detail {

/// collapse_blanks(s) appended to out, without a temporary.
void append_collapse_blanks(std::string& out, std::string_view s);

/// fold(s) appended to out, without a temporary.
void append_fold(std::string& out, std::string_view s);

/// decode_entities(s) appended to out, without a temporary.
void append_decode_entities(std::string& out, std::string_view s);

/// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string& out, char32_t cp);

}  // namespace bankflow::detail
