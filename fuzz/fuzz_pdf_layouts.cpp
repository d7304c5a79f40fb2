// The PDF layouts on any words: bytes become positioned words (as poppler's text_list gives
// them), lines are rebuilt by geometry, and every PDF layout's probe and reader run on the pages.
// This is the code that sees hostile PDFs' text; poppler itself is fuzzed upstream.
#include "core/append_text.hpp"
#include "detect/registry.hpp"
#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace bankflow::detail;

namespace {

// Records: x, y (one byte each, scaled), width, text length, then the text.
std::vector<pdf::page> pages_of(std::string_view bytes) {
  std::vector<pdf::page> pages(1);
  std::vector<pdf::word> words;
  std::size_t i = 0;
  while (i + 4 <= bytes.size()) {
    const auto x = static_cast<unsigned char>(bytes[i]), y = static_cast<unsigned char>(bytes[i + 1]);
    const unsigned w = static_cast<unsigned char>(bytes[i + 2]);
    const std::size_t n = static_cast<unsigned char>(bytes[i + 3]) % 24u;
    i += 4;
    if (x == 0xFF && y == 0xFF) {  // a page break
      pages.back().lines = pdf::build_lines(std::move(words));
      words.clear();
      pages.emplace_back().number = static_cast<unsigned>(pages.size());
      continue;
    }
    const std::string_view text = bytes.substr(i, n);
    i += text.size();
    pdf::word word;
    word.text = bankflow::repair_utf8(text);
    word.x0 = x * 2.4;
    word.x1 = word.x0 + w;
    word.top = y * 3.3;
    word.bottom = word.top + 9;
    words.push_back(std::move(word));
  }
  pages.back().lines = pdf::build_lines(std::move(words));
  for (std::size_t p = 0; p < pages.size(); ++p) pages[p].number = static_cast<unsigned>(p + 1), pages[p].width = 612;
  return pages;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto pages = pages_of(bytes);
  pdf::head h;
  for (std::size_t p = 0; p < pages.size() && p < 3; ++p) h.pages.push_back(pages[p]);
  for (const auto& p : h.pages)
    for (const auto& l : p.lines) {
      bankflow::detail::append_fold(h.folded, l.text());
      h.folded += '\n';
    }
  for (const char c : h.folded)
    if (c != ' ') h.compact += c;
  for (const auto& f : format_table()) {
    if (!f.pdf) continue;
    (void)f.pdf->probe(h);
    for (const bool skip : {false, true}) {
      auto r = f.pdf->make({"fuzz.pdf", skip});
      r->begin(h);
      bool ok = true;
      for (const auto& p : pages) {
        if (!r->page(p)) {
          ok = false;
          break;
        }
        r->page_done(p);
      }
      if (ok) (void)r->finish();
    }
  }
  return 0;
}
