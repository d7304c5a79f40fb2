// PDFs: open (password, page range, page limit), refuse scans, probe the PDF layouts on the
// first pages, then feed the chosen layout's reader one page at a time.

#include "core/append_text.hpp"
#include "detect/registry.hpp"
#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

#include <algorithm>
#include <array>

namespace bankflow::detail {

namespace {

// Pages read to detect a layout.
constexpr unsigned head_pages = 3;

bankflow::error with_file(bankflow::error e, std::string_view file_name) {
  if (e.file.empty()) e.file = std::string(file_name);
  return e;
}

bool is_pdf_format(const format_entry& f) noexcept { return f.pdf != nullptr; }

std::string folded_lines(const std::vector<pdf::page>& pages) {
  std::string out;
  for (const auto& p : pages)
    for (const auto& l : p.lines) {
      append_fold(out, l.text());
      out += '\n';
    }
  return out;
}

// The first pages of the document (always from page 1: labels and the bill's dates live there),
// for the probes; and the scan check.
result<pdf::head> read_head(const pdf::document& doc) {
  pdf::head h;
  const unsigned last = std::min(doc.page_count(), head_pages);
  std::size_t words = 0;
  for (unsigned n = 1; n <= last; ++n) {
    h.pages.push_back(doc.read(n));
    for (const auto& l : h.pages.back().lines) words += l.words.size();
  }
  h.producer = doc.producer();
  h.creator = doc.creator();
  const std::string tools = fold(h.producer + " " + h.creator);
  if (words == 0)
    return make_error(errc::scanned_pdf,
                      "this PDF has no text layer: it is a scan or a photo of the document, and its amounts "
                      "cannot be read reliably; download the bank's digital PDF (from the app or internet "
                      "banking), or its OFX or CSV export");
  static constexpr std::array<std::string_view, 7> ocr_tools{"paper capture", "ocr",     "finereader", "tesseract",
                                                             "readiris",      "omnipage", "clearscan"};
  if (std::any_of(ocr_tools.begin(), ocr_tools.end(),
                  [&](std::string_view t) { return tools.find(t) != std::string::npos; }))
    return make_error(errc::scanned_pdf,
                      "this PDF is a scan with a text layer added by OCR (" + h.producer +
                          "), whose amounts cannot be trusted; download the bank's digital PDF (from the app or "
                          "internet banking), or its OFX or CSV export");
  h.folded = folded_lines(h.pages);
  h.compact.reserve(h.folded.size());
  for (const char c : h.folded)
    if (c != ' ') h.compact += c;
  return h;
}

std::vector<candidate> probe_all(const pdf::head& h, const format_entry* only) {
  std::vector<candidate> out;
  for (const auto& f : format_table()) {
    if (!is_pdf_format(f) || (only && &f != only)) continue;
    const double score = f.pdf->probe ? f.pdf->probe(h) : 0.0;
    if (score <= 0) continue;
    candidate c;
    c.format = f.info.id;
    c.bank = f.info.bank_id.empty() ? nullptr : find_bank(f.info.bank_id);
    c.confidence = std::min(score, 1.0);
    out.push_back(std::move(c));
  }
  sort_candidates(out);
  return out;
}

// Banks whose PDFs bankflow has no layout for, as they print their names (FORMATS-PDF.md §4.4),
// and the banks it knows: the refusal names the bank when it can.
std::string printed_bank_name(const pdf::head& h) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> names{{
      {"banco safra", "Banco Safra"},
      {"citibank", "Citibank"},
      {"daycoval", "Banco Daycoval"},
      {"banco abc brasil", "Banco ABC Brasil"},
      {"banco votorantim", "Banco Votorantim"},
      {"vortx", "Vórtx DTVM"},
      {"oliveira trust", "Oliveira Trust DTVM"},
      {"sicoob", "Sicoob"},
      {"sicredi", "Sicredi"},
      {"mercado pago", "Mercado Pago"},
      {"banrisul", "Banrisul"},
      {"banco original", "Banco Original"},
      {"pagbank", "PagBank"},
      {"picpay", "PicPay"},
  }};
  for (const auto& [key, name] : names)
    if (h.has(key)) return std::string(name);
  // "Banco Modelo Digital S.A.", "Banco Exemplo S/A": the name as printed
  for (const auto& p : h.pages)
    for (const auto& l : p.lines)
      for (std::size_t i = 0; i + 1 < l.words.size(); ++i) {
        if (fold(l.words[i].text) != "banco") continue;
        for (std::size_t j = i + 1; j < l.words.size() && j < i + 6; ++j) {
          const std::string f = fold(l.words[j].text);
          if (f == "s.a." || f == "s.a" || f == "s/a" || f == "sa") return l.text(i, j + 1);
        }
      }
  return {};
}

// A bank bankflow has layouts for, named in the text: its document is not a statement we read.
bool names_known_bank(std::string_view printed) {
  const std::string f = fold(printed);
  for (const auto& b : known_banks())
    if (b.id != "unknown" && f.find(fold(b.name)) != std::string::npos) return true;
  return false;
}

// The bank of a generic read: not one in the table (as OFX does for a bank it does not know).
const bank_info unknown_pdf_bank{"unknown", "", ""};

bool is_generic(const candidate& c) {
  const format_entry* f = find_format(c.format);
  return f && f->info.bank_id.empty();
}

}  // namespace

bool is_pdf(std::string_view bytes) noexcept {
  // readers accept a little junk before the header; so do we, within the first KiB
  const std::string_view head = bytes.substr(0, 1024);
  return head.find("%PDF-") != std::string_view::npos;
}

result<std::vector<candidate>> detect_pdf(std::string_view bytes, std::string_view password) {
  pdf::open_options o;
  o.password = password;
  auto doc = pdf::document::open(bytes, o);
  if (!doc) return std::move(doc).error();
  auto h = read_head(*doc);
  if (!h) return std::move(h).error();
  return probe_all(*h, nullptr);
}

namespace {

// The chosen layout and how sure detection is of it.
struct chosen_layout {
  const format_entry* entry = nullptr;
  double confidence = 1.0;
};

// The layout for a PDF no one forced: the best bank layout, or the generic fallback when no bank's
// layout is a candidate. Errors: unknown_format (it names a bank without layouts, or candidates
// tie), not_a_statement, ambiguous_format.
result<chosen_layout> detect_layout(const pdf::head& h, const bank_info* forced_bank) {
  std::vector<candidate> cs = probe_all(h, nullptr);
  const bool specific = std::any_of(cs.begin(), cs.end(), [](const candidate& c) { return !is_generic(c); });
  if (!specific && !cs.empty()) return chosen_layout{find_format(cs.front().format), cs.front().confidence};
  std::erase_if(cs, is_generic);
  if (cs.empty()) {
    const std::string bank = printed_bank_name(h);
    if (!bank.empty() && !names_known_bank(bank))
      return make_error(errc::unknown_format,
                        bank + ": bankflow has no PDF layout for this bank's documents, and it holds no "
                               "plain date, description and amount table to read; export the statement "
                               "as OFX or CSV instead");
    return make_error(errc::not_a_statement,
                      "this PDF is not an account statement or card bill that bankflow reads: no page "
                      "holds dated rows with amounts; run `bankflow banks` for the PDF layouts");
  }
  auto chosen = choose(std::move(cs), forced_bank, "PDF as any bank's statement or card bill");
  if (!chosen) return std::move(chosen).error();
  return chosen_layout{find_format(chosen->format), chosen->confidence};
}

// Every page through the layout's reader (the head's pages are read already).
result<statement> read_pages(pdf::document& doc, pdf::head& h, const format_entry& entry,
                             const parse_options& options) {
  pdf::reader_options ro;
  ro.file_name = options.file_name;
  ro.skip_bad_rows = options.skip_bad_rows;
  std::unique_ptr<pdf::reader> r = entry.pdf->make(ro);
  r->begin(h);
  const unsigned first = doc.first_page(), last = doc.last_page();
  const unsigned total = last - first + 1;
  for (unsigned n = first; n <= last; ++n) {
    pdf::page p = n <= h.pages.size() ? std::move(h.pages[n - 1]) : doc.read(n);
    auto ok = r->page(p);
    if (!ok) return std::move(ok).error();
    r->page_done(p);
    if (options.progress) options.progress(n - first + 1, total);
  }
  if (auto done = r->finish(); !done) return std::move(done).error();
  statement st = std::move(r->st);
  st.pages = total;
  return st;
}

}  // namespace

result<statement> parse_pdf(std::string_view bytes, const parse_options& options, const format_entry* forced,
                            const bank_info* forced_bank) {
  pdf::open_options o;
  o.password = options.password;
  o.first_page = options.first_page;
  o.last_page = options.last_page;
  o.caps.max_pages = options.max_pages;
  auto doc = pdf::document::open(bytes, o);
  if (!doc) return with_file(std::move(doc).error(), options.file_name);
  auto h = read_head(*doc);
  if (!h) return with_file(std::move(h).error(), options.file_name);
  chosen_layout layout{forced};
  if (!forced) {
    auto detected = detect_layout(*h, forced_bank);
    if (!detected) return with_file(std::move(detected).error(), options.file_name);
    layout = *detected;
  }
  const format_entry* entry = layout.entry;
  auto read = read_pages(*doc, *h, *entry, options);
  if (!read) return with_file(std::move(read).error(), options.file_name);
  statement& st = *read;
  if (!st.bank) st.bank = entry->info.bank_id.empty() ? &unknown_pdf_bank : find_bank(entry->info.bank_id);
  if (entry->info.bank_id.empty() && st.bank_name.empty()) st.bank_name = printed_bank_name(*h);
  if (forced_bank && entry->info.bank_id.empty()) st.bank = forced_bank;
  st.format = std::string(entry->info.id);
  st.confidence = layout.confidence;
  if (entry->info.bank_id.empty()) {
    const std::string bank = printed_bank_name(*h);
    st.warnings.insert(st.warnings.begin(),
                       {0, "read by the generic PDF fallback" + (bank.empty() ? std::string() : " (" + bank + ")") +
                               ", not a layout known for this bank: check every row against the document"});
  }
  if (st.transactions.empty() && st.skipped_rows.empty() && entry->info.bank_id.empty())
    return with_file(make_error(errc::not_a_statement,
                                "this PDF holds no account or card transactions that bankflow can read"),
                     options.file_name);
  finish_statement(st);
  return std::move(st);
}

}  // namespace bankflow::detail

namespace bankflow {
bool looks_like_pdf(std::string_view bytes) noexcept { return detail::is_pdf(bytes); }
}  // namespace bankflow
