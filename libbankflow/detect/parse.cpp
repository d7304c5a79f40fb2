// detect() and parse(): containers by magic bytes, then every format's probe over the head.

#include "detect/registry.hpp"

#include "core/resaved.hpp"

#include <bankflow/parse.hpp>
#include <bankflow/text.hpp>

#include <algorithm>
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

// Containers that are not text exports: say what the file is and what to export instead.
std::optional<std::string> container_problem(std::string_view bytes) {
  using namespace std::string_view_literals;
  if (starts_with_bytes(bytes, "PK\x03\x04"sv))
    return "this is an Excel XLSX (or another ZIP) file, not a text export; " +
           std::string(export_advice);
  if (starts_with_bytes(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv)) {
    // "EncryptedPackage" in UTF-16LE: a password-protected OOXML inside OLE2 (C6 "xlsx")
    static constexpr char encrypted[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    const bool is_encrypted =
        bytes.find(std::string_view(encrypted, sizeof encrypted - 1)) != std::string_view::npos;
    return std::string(is_encrypted ? "this is a password-protected Excel file"
                                    : "this is an Excel XLS file") +
           ", not a text export; " + std::string(export_advice);
  }
  if (starts_with_bytes(bytes, "%PDF"sv))
    return "this is a PDF, which holds no reliable table of transactions; " +
           std::string(export_advice);
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

result<std::vector<candidate>> detect(std::string_view bytes) {
  if (trim(bytes.substr(0, 4096)).empty() && trim(bytes).empty())
    return make_error(errc::empty_input, "the file is empty");
  if (auto problem = container_problem(bytes))
    return make_error(errc::unsupported_container, *problem);
  if (looks_binary(bytes.substr(0, 8192)))
    return make_error(errc::binary_input,
                      "the file holds binary data, not text; " + std::string(export_advice));
  std::string storage;
  const detail::probe_input in = make_probe(bytes, storage);
  std::vector<candidate> out;
  for (const auto& f : detail::format_table()) detail::run_probe(f, in, out);
  out.erase(std::remove_if(out.begin(), out.end(), [](const candidate& c) { return c.confidence <= 0; }),
            out.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const candidate& a, const candidate& b) { return a.confidence > b.confidence; });
  return out;
}

result<statement> parse(std::string_view bytes, const parse_options& options) {
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
  double confidence = 1.0;
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
    if (auto problem = container_problem(bytes))
      return with_file(make_error(errc::unsupported_container, *problem), options.file_name);
  } else {
    auto found = detect(bytes);
    if (!found) return with_file(std::move(found).error(), options.file_name);
    std::vector<candidate> cs = std::move(*found);
    if (forced_bank) {
      // keep formats of that bank and the bank-neutral ones (OFX)
      std::erase_if(cs, [&](const candidate& c) {
        const auto* f = detail::find_format(c.format);
        return f && !f->info.bank_id.empty() && f->info.bank_id != forced_bank->id;
      });
    }
    if (cs.empty() || cs.front().confidence < min_confidence) {
      std::string msg = "bankflow does not recognise this file as any bank's OFX or CSV/TXT export";
      if (!cs.empty()) msg += " (weak candidates: " + list_candidates(cs) + ")";
      msg += "; run `bankflow banks` for the supported formats, or force one with --format ID";
      return with_file(make_error(errc::unknown_format, std::move(msg)), options.file_name);
    }
    const candidate& best = cs.front();
    for (std::size_t i = 1; i < cs.size(); ++i) {
      if (cs[i].format != best.format && cs[i].confidence > best.confidence - min_lead) {
        return with_file(
            make_error(errc::ambiguous_format,
                       "the file matches several formats equally well (" + list_candidates(cs) +
                           "); force one with --format ID or --bank ID"),
            options.file_name);
      }
    }
    entry = detail::find_format(best.format);
    confidence = best.confidence;
  }

  const decoded_text text = decode_text(bytes);
  detail::parse_input in{text.text, options.file_name, forced_bank};
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
