// Words into lines by geometry: pure code, no poppler (pdf.hpp).

#include "pdf/pdf.hpp"

#include <algorithm>
#include <cmath>

namespace bankflow::detail::pdf {

double word::char_width() const noexcept {
  std::size_t chars = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  return chars == 0 ? 0 : (x1 - x0) / static_cast<double>(chars);
}

std::string line::text() const { return text(0, words.size()); }

std::string line::text(std::size_t first, std::size_t last) const {
  std::string out;
  last = std::min(last, words.size());
  for (std::size_t i = first; i < last; ++i) {
    if (!out.empty()) out += ' ';
    out += words[i].text;
  }
  return out;
}

namespace {

double middle(const word& w) noexcept { return (w.top + w.bottom) / 2; }

bool finite_box(const word& w) noexcept {
  return std::isfinite(w.x0) && std::isfinite(w.x1) && std::isfinite(w.top) && std::isfinite(w.bottom) &&
         w.x1 >= w.x0 && w.bottom >= w.top;
}

}  // namespace

std::vector<line> build_lines(std::vector<word> words) {
  std::erase_if(words, [](const word& w) { return w.text.empty() || !finite_box(w); });
  // top to bottom by the middle, then left to right
  std::stable_sort(words.begin(), words.end(), [](const word& a, const word& b) {
    const double ma = middle(a), mb = middle(b);
    if (ma != mb) return ma < mb;
    return a.x0 < b.x0;
  });
  std::vector<line> out;
  for (auto& w : words) {
    // A word joins the current line when its middle is inside the line's band, widened a little
    // for glyphs of another size on the same baseline (a bold amount, a superscript-free label).
    if (!out.empty()) {
      line& l = out.back();
      const double band = std::max(l.bottom - l.top, w.height());
      const double slack = band * 0.25;
      if (middle(w) >= l.top - slack && middle(w) <= l.bottom + slack) {
        l.top = std::min(l.top, w.top);
        l.bottom = std::max(l.bottom, w.bottom);
        l.words.push_back(std::move(w));
        continue;
      }
    }
    line& l = out.emplace_back();
    l.top = w.top;
    l.bottom = w.bottom;
    l.words.push_back(std::move(w));
  }
  for (auto& l : out)
    std::stable_sort(l.words.begin(), l.words.end(), [](const word& a, const word& b) { return a.x0 < b.x0; });
  return out;
}

std::vector<line> column(const std::vector<line>& lines, double x_from, double x_to) {
  std::vector<line> out;
  for (const auto& l : lines) {
    line part;
    for (const auto& w : l.words) {
      const double mid = (w.x0 + w.x1) / 2;
      if (mid >= x_from && mid < x_to) {
        if (part.words.empty()) part.top = w.top, part.bottom = w.bottom;
        part.top = std::min(part.top, w.top);
        part.bottom = std::max(part.bottom, w.bottom);
        part.words.push_back(w);
      }
    }
    if (!part.words.empty()) out.push_back(std::move(part));
  }
  return out;
}

error password_error(bool password_given) {
  if (password_given)
    return make_error(errc::encrypted, "the password is wrong: this PDF did not open with it");
  return make_error(errc::encrypted,
                    "this PDF is protected by a password (banks often use digits of the holder's CPF); "
                    "give it with --password (the API's password field); it is never stored");
}

}  // namespace bankflow::detail::pdf
