// The one file that talks to poppler-cpp: open a PDF from memory, read a page's words.

#include "core/append_text.hpp"
#include "pdf/pdf.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <climits>
#include <mutex>

namespace bankflow::detail::pdf {

namespace {

// poppler reports every oddity of a damaged file on stderr; a library stays quiet.
void quiet(const std::string&, void*) {}

void silence_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(quiet, nullptr); });
}

// UTF-16 as poppler gives it, to UTF-8; a lone surrogate becomes U+FFFD, NUL and other C0
// controls are dropped (a word never holds them), blanks inside a word are kept out.
std::string to_utf8(const poppler::ustring& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c < 0xE000) {
      c = 0xFFFD;
    }
    if (c < 0x20 || c == 0x7F) continue;
    // ligatures some fonts map single glyphs to: "Tariﬁcação" reads as "Tarificação"
    if (c >= 0xFB00 && c <= 0xFB04) {
      static constexpr const char* expanded[] = {"ff", "fi", "fl", "ffi", "ffl"};
      out += expanded[c - 0xFB00];
      continue;
    }
    append_utf8(out, c);
  }
  return out;
}

}  // namespace

struct document::impl {
  std::unique_ptr<poppler::document> doc;
  unsigned pages = 0;
  unsigned first = 1;
  unsigned last = 0;
};

document::document(std::unique_ptr<impl> p) : p_(std::move(p)) {}
document::document(document&&) noexcept = default;
document& document::operator=(document&&) noexcept = default;
document::~document() = default;

result<document> document::open(std::string_view bytes, const open_options& options) {
  silence_poppler();
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    return make_error(errc::limit_exceeded, "the PDF is larger than 2 GiB");
  const std::string password(options.password);
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size()), password, password));
  if (!doc) {
    // poppler returns null both for a damaged file and for a wrong password; a file that opens
    // locked without a password tells them apart
    std::unique_ptr<poppler::document> probe(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (probe && probe->is_locked()) return password_error(!password.empty());
    return make_error(errc::damaged_container,
                      "the PDF is damaged or cut short (its structure cannot be read); download it again "
                      "from the bank, or export the statement as OFX or CSV");
  }
  // (poppler-cpp's unlock() answers whether the document is still locked)
  if (doc->is_locked() && (password.empty() || doc->unlock(password, password) || doc->is_locked()))
    return password_error(!password.empty());
  auto p = std::make_unique<impl>();
  const int n = doc->pages();
  if (n <= 0)
    return make_error(errc::damaged_container,
                      "the PDF has no pages; download it again from the bank, or export the statement as OFX or CSV");
  p->pages = static_cast<unsigned>(n);
  p->first = options.first_page == 0 ? 1 : options.first_page;
  p->last = options.last_page == 0 ? p->pages : options.last_page;
  if (p->first > p->pages || p->last < p->first)
    return make_error(errc::invalid_argument,
                      "the page range " + std::to_string(p->first) + "-" + std::to_string(p->last) +
                          " is outside the document, which has " + std::to_string(p->pages) + " pages");
  if (p->last > p->pages) p->last = p->pages;
  const unsigned reading = p->last - p->first + 1;
  if (reading > options.caps.max_pages)
    return make_error(errc::limit_exceeded,
                      "the PDF has " + std::to_string(reading) + " pages to read, more than the limit of " +
                          std::to_string(options.caps.max_pages) +
                          "; read part of it with --pages A-B, or export a shorter period");
  p->doc = std::move(doc);
  return document(std::move(p));
}

unsigned document::page_count() const noexcept { return p_->pages; }
unsigned document::first_page() const noexcept { return p_->first; }
unsigned document::last_page() const noexcept { return p_->last; }

std::string document::producer() const { return to_utf8(p_->doc->get_producer()); }
std::string document::creator() const { return to_utf8(p_->doc->get_creator()); }

page document::read(unsigned number) const {
  page out;
  out.number = number;
  if (number == 0 || number > p_->pages) return out;
  std::unique_ptr<poppler::page> pg(p_->doc->create_page(static_cast<int>(number - 1)));
  if (!pg) return out;
  const poppler::rectf box = pg->page_rect(poppler::media_box);
  out.width = box.width();
  out.height = box.height();
  std::vector<word> words;
  for (const poppler::text_box& t : pg->text_list()) {
    if (t.rotation() != 0) continue;  // vertical margin text (legal notes, control codes)
    word w;
    w.text = to_utf8(t.text());
    if (w.text.empty()) continue;
    const poppler::rectf r = t.bbox();
    w.x0 = r.left();
    w.x1 = r.right();
    w.top = r.top();
    w.bottom = r.bottom();
    words.push_back(std::move(w));
  }
  out.lines = build_lines(std::move(words));
  return out;
}

}  // namespace bankflow::detail::pdf
