// detect() and parse(): containers by magic bytes, then every format's probe over the head.

#include "detect/registry.hpp"

#include "banks/layout.hpp"
#include "format/resaved.hpp"
#include "sheet/workbook.hpp"

#include <bankflow/enrich.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/text.hpp>

#include <algorithm>
#include <bankflow/csv.hpp>
#include <cstdio>
#include <fstream>
#include <memory>

namespace bankflow {

namespace {

constexpr std::string_view export_advice =
    "export the statement from your bank's app or internet banking as OFX "
    "(\"Money\", \"Quicken\" or \"OFX\") or as CSV/TXT instead";

bool starts_with_bytes(std::string_view s, std::string_view magic) noexcept {
  return s.size() >= magic.size() && s.substr(0, magic.size()) == magic;
}

// Containers bankflow does not read: say what the file is and what to export instead.
// (XLSX, XLS and PDF are read: see read_spreadsheet below and parse_pdf.cpp.)
std::optional<std::string> container_problem(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (starts_with_bytes(bytes, "\x89PNG"sv) || starts_with_bytes(bytes, "\xFF\xD8\xFF"sv) ||
      starts_with_bytes(bytes, "GIF8"sv) ||
      (starts_with_bytes(bytes, "RIFF"sv) && bytes.size() >= 12 && bytes.substr(8, 4) == "WEBP") ||
      (starts_with_bytes(bytes, "BM"sv) && bytes.size() > 14 && bytes[14] == 40))
    return "this is an image (a screenshot or photo), not a statement file; " +
           std::string(export_advice);
  if (starts_with_bytes(bytes, "\x1F\x8B"sv) || starts_with_bytes(bytes, "Rar!"sv) ||
      starts_with_bytes(bytes, "7z\xBC\xAF"sv))
    return "this is a compressed archive; extract the statement file from it first";
  return std::nullopt;
}

bool is_workbook(std::string_view bytes) noexcept { return detail::is_zip(bytes) || detail::is_ole2(bytes); }

bool is_spreadsheet_format(const detail::format_entry& f) noexcept {
  return f.layout != nullptr && detail::is_spreadsheet_layout(*f.layout);
}

// The head of the file as UTF-8, without cutting a multi-byte character in half.
detail::probe_input make_probe(std::string_view bytes, std::string& storage) {
  detail::probe_input in;
  std::string_view head = bytes.substr(0, detect_head_bytes);
  in.truncated = head.size() < bytes.size();
  if (in.truncated) {
    // drop a trailing partial UTF-8 sequence (at most 3 bytes)
    std::size_t keep = head.size();
    for (std::size_t back = 1; back <= 3 && back <= head.size(); ++back) {
      const auto c = static_cast<unsigned char>(head[head.size() - back]);
      if ((c & 0xC0) == 0x80) continue;
      if (c >= 0xC0) keep = head.size() - back;
      break;
    }
    if (is_valid_utf8(head.substr(0, keep))) head = head.substr(0, keep);
  }
  decoded_text d = decode_text(head);
  if (detail::has_wrapped_records(d.text)) {  // re-saved by a spreadsheet program: see parse()
    std::string unwrapped;
    detail::unwrap_records(d.text, unwrapped);
    storage = std::move(unwrapped);
    in.head = storage;
  } else if (d.storage.empty()) {
    in.head = d.text;  // views the caller's bytes
  } else {
    storage = std::move(d.storage);
    in.head = storage;
  }
  return in;
}

std::string describe(const candidate& c) {
  std::string s(c.format);
  if (c.bank) s += " (" + std::string(c.bank->id) + ")";
  char buf[32];
  std::snprintf(buf, sizeof buf, " %.2f", c.confidence);
  return s + buf;
}

std::string list_candidates(const std::vector<candidate>& cs) {
  std::string s;
  for (const auto& c : cs) {
    if (!s.empty()) s += ", ";
    s += describe(c);
  }
  return s;
}

bankflow::error with_file(bankflow::error e, std::string_view file_name) {
  if (e.file.empty()) e.file = std::string(file_name);
  return e;
}

// Confident and clearly ahead of the runner-up (a different format).
constexpr double min_confidence = 0.5;
constexpr double min_lead = 0.15;

}  // namespace

void detail::sort_candidates(std::vector<candidate>& out) {
  out.erase(std::remove_if(out.begin(), out.end(), [](const candidate& c) { return c.confidence <= 0; }),
            out.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const candidate& a, const candidate& b) { return a.confidence > b.confidence; });
}

result<candidate> detail::choose(std::vector<candidate> cs, const bank_info* forced_bank, std::string_view what) {
  if (forced_bank) {
    // keep formats of that bank and the bank-neutral ones (OFX)
    std::erase_if(cs, [&](const candidate& c) {
      const auto* f = detail::find_format(c.format);
      return f && !f->info.bank_id.empty() && f->info.bank_id != forced_bank->id;
    });
  }
  if (cs.empty() || cs.front().confidence < min_confidence) {
    std::string msg = "bankflow does not recognise this " + std::string(what);
    if (!cs.empty()) msg += " (weak candidates: " + list_candidates(cs) + ")";
    msg += "; run `bankflow banks` for the supported formats, or force one with --format ID";
    return make_error(errc::unknown_format, std::move(msg));
  }
  const candidate& best = cs.front();
  for (std::size_t i = 1; i < cs.size(); ++i) {
    if (cs[i].format != best.format && cs[i].confidence > best.confidence - min_lead) {
      return make_error(errc::ambiguous_format,
                        "the file matches several formats equally well (" + list_candidates(cs) +
                            "); force one with --format ID or --bank ID");
    }
  }
  return best;
}

namespace {

using detail::choose;
using detail::sort_candidates;

// ---- spreadsheets: every worksheet is probed with the spreadsheet layouts ----

detail::probe_input sheet_probe(const detail::sheet_text& sheet) {
  detail::probe_input in;
  in.head = std::string_view(sheet.text).substr(0, detect_head_bytes);
  in.truncated = in.head.size() < sheet.text.size();
  return in;
}

// Candidates per sheet: (sheet index, candidate), every spreadsheet layout on every sheet.
std::vector<std::pair<std::size_t, candidate>> probe_sheets(const detail::workbook_text& book,
                                                            const detail::format_entry* only) {
  std::vector<std::pair<std::size_t, candidate>> out;
  std::vector<candidate> cs;
  for (std::size_t i = 0; i < book.sheets.size(); ++i) {
    const detail::probe_input in = sheet_probe(book.sheets[i]);
    cs.clear();
    if (only) {
      detail::run_probe(*only, in, cs);
    } else {
      for (const auto& f : detail::format_table())
        if (is_spreadsheet_format(f)) detail::run_probe(f, in, cs);
    }
    for (auto& c : cs) out.emplace_back(i, std::move(c));
  }
  return out;
}

// One candidate per format (its best sheet), best first.
std::vector<candidate> merge_sheet_candidates(const std::vector<std::pair<std::size_t, candidate>>& per_sheet) {
  std::vector<candidate> out;
  for (const auto& entry : per_sheet) {
    const candidate& c = entry.second;
    auto it = std::find_if(out.begin(), out.end(), [&](const candidate& o) { return o.format == c.format; });
    if (it == out.end()) out.push_back(c);
    else if (c.confidence > it->confidence) *it = c;
  }
  sort_candidates(out);
  return out;
}

std::string sheet_names(const detail::workbook_text& book) {
  std::string s;
  for (const auto& sh : book.sheets) s += (s.empty() ? "\"" : ", \"") + sh.name + "\"";
  return s;
}

// Where in the sheet a row error of the layout engine points: its line is the row; its column
// is the one whose header cell (the last one above the row) reads as the error's field. A number
// that was not a whole number of centavos is reported as such (bad_amount).
struct sheet_place {
  std::optional<std::uint32_t> col;
  const detail::inexact_cell* inexact = nullptr;
};

sheet_place place_in_sheet(std::size_t line, std::string_view field, const detail::sheet_text& sheet) {
  sheet_place p;
  if (line == 0 || field.empty()) return p;
  csv_reader reader(sheet.text, {';', csv_quoting::rfc4180});
  csv_row row;
  while (true) {
    auto more = reader.next(row);
    if (!more || !*more || row.line >= line) break;
    for (std::size_t i = 0; i < row.size(); ++i)
      if (trim(row[i]) == field) p.col = static_cast<std::uint32_t>(i);
  }
  if (p.col)
    for (const auto& x : sheet.inexact)
      if (x.row == line && x.col == *p.col) p.inexact = &x;
  return p;
}

std::string inexact_message(const detail::inexact_cell& x) {
  return "the number " + x.value + " is not a whole number of centavos";
}

void locate_in_sheet(bankflow::error& e, const detail::sheet_text& sheet) {
  if (e.line == 0) return;
  const sheet_place p = place_in_sheet(e.line, e.field, sheet);
  const std::string row = std::to_string(e.line);
  e.cell = sheet.name + "!" + (p.col ? detail::column_letters(*p.col) + row : row);
  if (p.inexact) {
    e.code = errc::bad_amount;
    e.message = inexact_message(*p.inexact);
  }
}

void locate_in_sheet(skipped_row& s, const detail::sheet_text& sheet) {
  s.sheet = sheet.name;
  const sheet_place p = place_in_sheet(s.line, s.field, sheet);
  if (p.col) s.cell = detail::column_letters(*p.col) + std::to_string(s.line);
  if (p.inexact) {
    s.code = errc::bad_amount;
    s.message = inexact_message(*p.inexact);
  }
}

result<detail::workbook_text> read_spreadsheet(std::string_view bytes, std::uint32_t max_rows) {
  detail::workbook_limits limits;
  limits.max_rows = max_rows;
  return detail::read_workbook(bytes, limits);
}

// Rows read to detect a workbook's layout: its preamble and first rows.
constexpr std::uint32_t detect_rows = 200;

result<statement> parse_spreadsheet(std::string_view bytes, const parse_options& options,
                                    const detail::format_entry* forced, const bank_info* forced_bank) {
  auto book = read_spreadsheet(bytes, 0);
  if (!book) return with_file(std::move(book).error(), options.file_name);
  const auto per_sheet = probe_sheets(*book, forced);
  std::size_t sheet = 0;
  const detail::format_entry* entry = forced;
  double confidence = 1.0;
  if (forced) {
    double best = -1;
    for (const auto& [i, c] : per_sheet)
      if (c.confidence > best) best = c.confidence, sheet = i;
  } else {
    auto chosen = choose(merge_sheet_candidates(per_sheet), forced_bank,
                         "workbook (sheets " + sheet_names(*book) + ") as any bank's Excel export");
    if (!chosen) return with_file(std::move(chosen).error(), options.file_name);
    entry = detail::find_format(chosen->format);
    confidence = chosen->confidence;
    for (const auto& [i, c] : per_sheet)
      if (c.format == chosen->format && c.confidence == chosen->confidence) {
        sheet = i;
        break;
      }
  }
  const detail::sheet_text& text = book->sheets[sheet];
  detail::parse_input in{text.text, options.file_name, forced_bank, options.skip_bad_rows};
  auto st = detail::run_parse(*entry, in);
  if (!st) {
    bankflow::error e = std::move(st).error();
    locate_in_sheet(e, text);
    return with_file(std::move(e), options.file_name);
  }
  for (auto& skipped : st->skipped_rows) locate_in_sheet(skipped, text);
  st->confidence = confidence;
  if (st->format.empty()) st->format = std::string(entry->info.id);
  return st;
}

}  // namespace

result<std::vector<candidate>> detect(std::string_view bytes, std::string_view password) {
  if (detail::is_pdf(bytes)) return detail::detect_pdf(bytes, password);
  return detect(bytes);
}

result<std::vector<candidate>> detect(std::string_view bytes) {
  if (trim(bytes.substr(0, 4096)).empty() && trim(bytes).empty())
    return make_error(errc::empty_input, "the file is empty");
  if (detail::is_pdf(bytes)) return detail::detect_pdf(bytes, {});
  if (is_workbook(bytes)) {
    auto book = read_spreadsheet(bytes, detect_rows);
    if (!book) return std::move(book).error();
    return merge_sheet_candidates(probe_sheets(*book, nullptr));
  }
  if (auto problem = container_problem(bytes))
    return make_error(errc::unsupported_container, *problem);
  if (looks_binary(bytes.substr(0, 8192)))
    return make_error(errc::binary_input,
                      "the file holds binary data, not text; " + std::string(export_advice));
  std::string storage;
  const detail::probe_input in = make_probe(bytes, storage);
  std::vector<candidate> out;
  for (const auto& f : detail::format_table())
    if (!is_spreadsheet_format(f)) detail::run_probe(f, in, out);
  sort_candidates(out);
  return out;
}

namespace {

result<statement> parse_text_or_container(std::string_view bytes, const parse_options& options) {
  const bank_info* forced_bank = nullptr;
  if (!options.bank.empty()) {
    forced_bank = find_bank(options.bank);
    if (!forced_bank) {
      std::string ids;
      for (const auto& b : known_banks()) ids += (ids.empty() ? "" : ", ") + std::string(b.id);
      return with_file(make_error(errc::unknown_bank, "unknown bank \"" + std::string(options.bank) +
                                                          "\"; known banks: " + ids),
                       options.file_name);
    }
  }

  const detail::format_entry* entry = nullptr;
  if (!options.format.empty()) {
    entry = detail::find_format(options.format);
    if (!entry) {
      std::string ids;
      for (const auto& f : known_formats()) ids += (ids.empty() ? "" : ", ") + std::string(f.id);
      return with_file(make_error(errc::unknown_format, "unknown format \"" +
                                                            std::string(options.format) +
                                                            "\"; known formats: " + ids),
                       options.file_name);
    }
    if (detail::is_pdf(bytes) != (entry->pdf != nullptr))
      return with_file(make_error(errc::unsupported_container,
                                  entry->pdf ? "format \"" + std::string(entry->info.id) +
                                                   "\" reads PDF documents, and this is not one"
                                             : "this is a PDF; format \"" + std::string(entry->info.id) +
                                                   "\" reads other files (run `bankflow banks` for the PDF formats)"),
                       options.file_name);
    if (is_workbook(bytes) != is_spreadsheet_format(*entry))
      return with_file(make_error(errc::unsupported_container,
                                  is_workbook(bytes)
                                      ? "this is an Excel workbook; format \"" + std::string(entry->info.id) +
                                            "\" reads text files (run `bankflow banks` for the Excel formats)"
                                      : "format \"" + std::string(entry->info.id) +
                                            "\" reads Excel workbooks, and this is not one"),
                       options.file_name);
    if (auto problem = container_problem(bytes))
      return with_file(make_error(errc::unsupported_container, *problem), options.file_name);
  }
  if (detail::is_pdf(bytes)) return detail::parse_pdf(bytes, options, entry, forced_bank);
  if (is_workbook(bytes)) return parse_spreadsheet(bytes, options, entry, forced_bank);

  double confidence = 1.0;
  if (!entry) {
    auto found = detect(bytes);
    if (!found) return with_file(std::move(found).error(), options.file_name);
    auto chosen = choose(std::move(*found), forced_bank, "file as any bank's OFX or CSV/TXT export");
    if (!chosen) return with_file(std::move(chosen).error(), options.file_name);
    entry = detail::find_format(chosen->format);
    confidence = chosen->confidence;
  }

  const decoded_text text = decode_text(bytes);
  detail::parse_input in{text.text, options.file_name, forced_bank, options.skip_bad_rows};
  // records a spreadsheet program wrapped in quotes are read as the bank wrote them
  std::string unwrapped;
  std::size_t wrapped_line = 0;
  if (detail::has_wrapped_records(text.text.substr(0, detect_head_bytes))) {
    wrapped_line = detail::unwrap_records(text.text, unwrapped);
    in.text = unwrapped;
  }
  auto st = detail::run_parse(*entry, in);
  if (!st) return with_file(std::move(st).error(), options.file_name);
  if (wrapped_line != 0) detail::warn_resaved(*st, wrapped_line, "each record wrapped in quotes");
  st->confidence = confidence;
  if (st->format.empty()) st->format = std::string(entry->info.id);
  return st;
}

}  // namespace

result<statement> parse(std::string_view bytes, const parse_options& options) {
  auto st = parse_text_or_container(bytes, options);
  if (st && options.enrich) enrich(*st, {.rules = options.category_rules});
  return st;
}

result<std::string> read_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    auto e = make_error(errc::io_error, "cannot open the file: " +
                                            std::make_error_code(std::errc(errno)).message());
    e.file = path.string();
    return e;
  }
  std::string data;
  char buf[1 << 16];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) data.append(buf, got);
  if (std::ferror(f.get())) {
    auto e = make_error(errc::io_error, "read error");
    e.file = path.string();
    return e;
  }
  return data;
}

result<statement> parse_file(const std::filesystem::path& path, parse_options options) {
  const std::string name = path.string();
  if (options.file_name.empty()) options.file_name = name;
  auto bytes = read_file(path);
  if (!bytes) return std::move(bytes).error();
  return parse(*bytes, options);
}

}  // namespace bankflow
