// XLSX: a ZIP (libzip, read from memory) of XML parts (expat, streamed part by part). The parts
// read: _rels/.rels → the workbook, its rels → worksheets, shared strings and styles; then each
// worksheet's <sheetData>, rendered row by row through sheet_writer.

#include "sheet/workbook.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace bankflow::detail {

namespace {

// The local part of a name: "x:c" → "c". Namespace processing is off (it costs a lookup per
// element and attribute); OOXML parts use fixed prefixes, so the local name decides.
std::string_view local(const XML_Char* name) {
  const char* start = name;
  const char* p = name;
  for (; *p != '\0'; ++p)
    if (*p == ':') start = p + 1;
  return {start, static_cast<std::size_t>(p - start)};
}

std::string_view attr(const XML_Char** attrs, std::string_view name) {
  for (int i = 0; attrs[i] != nullptr; i += 2)
    if (local(attrs[i]) == name) return attrs[i + 1];
  return {};
}

// OOXML escapes control characters as _xHHHH_; "_x005F_" is a literal underscore.
void append_unescaped(std::string& out, std::string_view s) {
  if (s.find("_x") == std::string_view::npos) {
    out += s;
    return;
  }
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '_' && i + 7 <= s.size() && s[i + 1] == 'x' && s[i + 6] == '_' &&
        std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i + 2), s.begin() + static_cast<std::ptrdiff_t>(i + 6),
                    [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
      const unsigned long cp = std::strtoul(std::string(s.substr(i + 2, 4)).c_str(), nullptr, 16);
      if (cp < 0x20) out += ' ';
      else if (cp < 0x80) out += static_cast<char>(cp);
      else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
      i += 7;
    } else {
      out += s[i++];
    }
  }
}

// "AB12" → column 27 (0-based), row 12; false when it is not a cell reference.
bool parse_ref(std::string_view r, std::uint32_t& col, std::uint32_t& row) {
  std::size_t i = 0;
  std::uint32_t c = 0;
  while (i < r.size() && r[i] >= 'A' && r[i] <= 'Z') {
    c = c * 26 + static_cast<std::uint32_t>(r[i] - 'A' + 1);
    if (c > 16384) return false;
    ++i;
  }
  if (i == 0 || i == r.size()) return false;
  std::uint32_t n = 0;
  for (; i < r.size(); ++i) {
    if (r[i] < '0' || r[i] > '9') return false;
    n = n * 10 + static_cast<std::uint32_t>(r[i] - '0');
    if (n > 1048576) return false;
  }
  col = c - 1;
  row = n;
  return n > 0;
}

bool parse_uint(std::string_view s, std::uint32_t& out) {
  if (s.empty() || s.size() > 9) return false;
  std::uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  out = v;
  return true;
}

class zip_reader {
 public:
  zip_reader() = default;
  zip_reader(const zip_reader&) = delete;
  zip_reader& operator=(const zip_reader&) = delete;
  ~zip_reader() {
    if (za_ != nullptr) zip_discard(za_);
  }

  result<void> open(std::string_view bytes, std::size_t budget) {
    budget_ = budget;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src == nullptr) return damaged("cannot read the ZIP container");
    za_ = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (za_ == nullptr) {
      zip_source_free(src);
      const int code = zip_error_code_zip(&err);
      zip_error_fini(&err);
      if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_READ || code == ZIP_ER_EOF ||
          code == ZIP_ER_SEEK)
        return damaged("the XLSX file is damaged or cut short (its ZIP directory cannot be read)");
      return damaged("the XLSX file cannot be opened as a ZIP archive");
    }
    zip_error_fini(&err);
    return {};
  }

  /// The entry's index, or nullopt. Names in OOXML are case-insensitive.
  std::optional<zip_uint64_t> find(const std::string& name) const {
    zip_int64_t i = zip_name_locate(za_, name.c_str(), 0);
    if (i < 0) i = zip_name_locate(za_, name.c_str(), ZIP_FL_NOCASE);
    if (i < 0) return std::nullopt;
    return static_cast<zip_uint64_t>(i);
  }

  /// Streams one entry through `parser`; counts every inflated byte against the budget.
  result<void> parse(zip_uint64_t index, std::string_view part, XML_Parser parser,
                     const std::function<std::optional<error>()>& stopped) {
    zip_file_t* zf = zip_fopen_index(za_, index, 0);
    if (zf == nullptr)
      return damaged("the part " + std::string(part) + " of the XLSX file cannot be read (" +
                     zip_strerror(za_) + ")");
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> guard(zf, &zip_fclose);
    constexpr int chunk = 1 << 16;
    for (;;) {
      void* buf = XML_GetBuffer(parser, chunk);
      if (buf == nullptr) return damaged("out of memory reading " + std::string(part));
      const zip_int64_t n = zip_fread(zf, buf, chunk);
      if (n < 0)
        return damaged("the part " + std::string(part) + " of the XLSX file is damaged (" +
                       zip_file_strerror(zf) + ")");
      inflated_ += static_cast<std::size_t>(n);
      if (inflated_ > budget_)
        return make_error(errc::limit_exceeded,
                          "the XLSX file expands to more than " + std::to_string(budget_ / (1024 * 1024)) +
                              " MB of data (the limit is 64 times the file, at most 200 MB): it looks "
                              "like a zip bomb, not a bank's export");
      if (XML_ParseBuffer(parser, static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
        if (auto e = stopped()) return *e;
        if (XML_GetErrorCode(parser) == XML_ERROR_ABORTED) return {};  // a handler had read enough
        return damaged("the part " + std::string(part) + " of the XLSX file is not well-formed XML (line " +
                       std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
                       XML_ErrorString(XML_GetErrorCode(parser)) + ")");
      }
      if (auto e = stopped()) return *e;
      if (n == 0) break;
    }
    return {};
  }

 private:
  static error damaged(std::string message) { return make_error(errc::damaged_container, std::move(message)); }

  zip_t* za_ = nullptr;
  std::size_t budget_ = 0;
  std::size_t inflated_ = 0;
};

// One expat parser with the handlers of a part; a DOCTYPE stops it (no entity can be declared).
class xml_part {
 public:
  xml_part() : p_(XML_ParserCreate(nullptr)) {
    XML_SetUserData(p_, this);
    XML_SetStartDoctypeDeclHandler(p_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
      auto* x = static_cast<xml_part*>(self);
      x->fail(make_error(errc::limit_exceeded,
                         "the XLSX file declares an XML document type (DOCTYPE), which Excel never "
                         "writes and which can hide an entity bomb; refused"));
    });
    XML_SetElementHandler(
        p_, [](void* self, const XML_Char* name, const XML_Char** attrs) {
          static_cast<xml_part*>(self)->start(local(name), attrs);
        },
        [](void* self, const XML_Char* name) { static_cast<xml_part*>(self)->end(local(name)); });
    XML_SetCharacterDataHandler(p_, [](void* self, const XML_Char* s, int len) {
      auto* x = static_cast<xml_part*>(self);
      if (x->collect_) x->text_.append(s, static_cast<std::size_t>(len));
    });
  }
  xml_part(const xml_part&) = delete;
  xml_part& operator=(const xml_part&) = delete;
  virtual ~xml_part() { XML_ParserFree(p_); }

  XML_Parser parser() { return p_; }
  std::optional<error> stopped() const { return error_; }

 protected:
  virtual void start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void end(std::string_view name) = 0;
  void fail(error e) {
    if (!error_) error_ = std::move(e);
    XML_StopParser(p_, XML_FALSE);
  }

  bool collect_ = false;
  std::string text_;

 private:
  XML_Parser p_;
  std::optional<error> error_;
};

result<void> run_part(zip_reader& zip, const std::string& name, xml_part& part) {
  const auto index = zip.find(name);
  if (!index)
    return make_error(errc::damaged_container, "the XLSX file has no part " + name + " (it is damaged)");
  return zip.parse(*index, name, part.parser(), [&] { return part.stopped(); });
}

// _rels/.rels and xl/_rels/workbook.xml.rels: id → (type, target)
struct relationship {
  std::string type, target;
};

class rels_part final : public xml_part {
 public:
  std::unordered_map<std::string, relationship> rels;

 protected:
  void start(std::string_view name, const XML_Char** attrs) override {
    if (name == "Relationship")
      rels[std::string(attr(attrs, "Id"))] = {std::string(attr(attrs, "Type")), std::string(attr(attrs, "Target"))};
  }
  void end(std::string_view) override {}
};

struct sheet_ref {
  std::string name, rel_id;
};

class workbook_part final : public xml_part {
 public:
  std::vector<sheet_ref> sheets;
  bool date1904 = false;

 protected:
  void start(std::string_view name, const XML_Char** attrs) override {
    if (name == "sheet") sheets.push_back({std::string(attr(attrs, "name")), std::string(attr(attrs, "id"))});
    else if (name == "workbookPr") {
      const std::string_view v = attr(attrs, "date1904");
      date1904 = v == "1" || v == "true";
    }
  }
  void end(std::string_view) override {}
};

class strings_part final : public xml_part {
 public:
  std::string all;                 // every string, one after the other
  std::vector<std::uint32_t> ends;  // where string i ends in `all`

  std::string_view get(std::uint32_t i) const {
    if (i >= ends.size()) return {};
    const std::uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(all).substr(begin, ends[i] - begin);
  }

 protected:
  void start(std::string_view name, const XML_Char**) override {
    if (name == "rPh") ++phonetic_;
    else if (name == "t" && phonetic_ == 0) {
      collect_ = true;
      text_.clear();
    }
  }
  void end(std::string_view name) override {
    if (name == "rPh") --phonetic_;
    else if (name == "t" && collect_) {
      append_unescaped(all, text_);
      collect_ = false;
    } else if (name == "si") {
      if (all.size() > 0xFFFFFFF0u) fail(make_error(errc::limit_exceeded, "the shared strings exceed 4 GB"));
      ends.push_back(static_cast<std::uint32_t>(all.size()));
    }
  }

 private:
  int phonetic_ = 0;
};

class styles_part final : public xml_part {
 public:
  std::vector<bool> date_style;  // per cellXfs index

 protected:
  void start(std::string_view name, const XML_Char** attrs) override {
    if (name == "numFmt") {
      std::uint32_t id = 0;
      if (parse_uint(attr(attrs, "numFmtId"), id)) codes_[id] = std::string(attr(attrs, "formatCode"));
    } else if (name == "cellXfs") {
      in_xfs_ = true;
    } else if (name == "xf" && in_xfs_) {
      std::uint32_t id = 0;
      parse_uint(attr(attrs, "numFmtId"), id);
      const auto it = codes_.find(id);
      date_style.push_back(is_date_format(id, it == codes_.end() ? std::string_view{} : it->second));
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_xfs_ = false;
  }

 private:
  std::unordered_map<std::uint32_t, std::string> codes_;
  bool in_xfs_ = false;
};

class sheet_part final : public xml_part {
 public:
  sheet_part(sheet_text& out, const strings_part& strings, const styles_part& styles, bool date1904,
             std::uint32_t max_rows)
      : w_(out, max_rows), strings_(strings), styles_(styles), date1904_(date1904) {}

  sheet_writer& writer() { return w_; }

 protected:
  void start(std::string_view name, const XML_Char** attrs) override {
    if (name == "row") {
      std::uint32_t r = 0;
      if (!parse_uint(attr(attrs, "r"), r)) r = w_.row() + 1;
      if (!w_.begin_row(r)) XML_StopParser(parser(), XML_FALSE);  // the head was asked for
      col_ = 0;
    } else if (name == "c") {
      std::uint32_t c = col_, r = 0;
      const std::string_view ref = attr(attrs, "r");
      if (!ref.empty() && parse_ref(ref, c, r) && r != w_.row() && r > w_.row()) w_.begin_row(r);
      cell_col_ = c;
      col_ = c + 1;
      type_ = attr(attrs, "t");
      std::uint32_t s = 0;
      date_ = parse_uint(attr(attrs, "s"), s) && s < styles_.date_style.size() && styles_.date_style[s];
      value_.clear();
      have_value_ = false;
    } else if (name == "v") {
      collect_ = true;
      text_.clear();
    } else if (name == "is") {
      in_inline_ = true;
      value_.clear();
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t" && in_inline_ && phonetic_ == 0) {
      collect_ = true;
      text_.clear();
    }
  }
  void end(std::string_view name) override {
    if (name == "v") {
      value_ = text_;
      have_value_ = true;
      collect_ = false;
    } else if (name == "t" && in_inline_ && collect_) {
      append_unescaped(value_, text_);
      have_value_ = true;
      collect_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "c") {
      emit();
    }
  }

 private:
  void emit() {
    if (!have_value_) return;
    if (type_ == "s") {
      std::uint32_t i = 0;
      if (parse_uint(value_, i)) {
        w_.text(cell_col_, strings_.get(i));  // unescaped when read
      }
    } else if (type_ == "inlineStr") {
      w_.text(cell_col_, value_);
    } else if (type_ == "str" || type_ == "e") {
      scratch_.clear();
      append_unescaped(scratch_, value_);
      w_.text(cell_col_, scratch_);
    } else if (type_ == "b") {
      w_.text(cell_col_, value_ == "1" ? "TRUE" : "FALSE");
    } else if (type_ == "d") {
      w_.iso_date(cell_col_, value_);
    } else if (date_) {
      w_.date_serial(cell_col_, value_, date1904_);
    } else {
      w_.number(cell_col_, value_);
    }
  }

  sheet_writer w_;
  const strings_part& strings_;
  const styles_part& styles_;
  bool date1904_;
  std::uint32_t col_ = 0, cell_col_ = 0;
  std::string type_, value_, scratch_;
  bool date_ = false, have_value_ = false, in_inline_ = false;
  int phonetic_ = 0;
};

// "worksheets/sheet1.xml" relative to "xl/workbook.xml" → "xl/worksheets/sheet1.xml";
// "/xl/worksheets/sheet1.xml" is absolute.
std::string resolve(std::string_view base_part, std::string_view target) {
  if (target.starts_with('/')) return std::string(target.substr(1));
  std::string dir(base_part.substr(0, base_part.rfind('/') + 1));
  std::string t(target);
  while (t.starts_with("../")) {
    t.erase(0, 3);
    if (!dir.empty()) {
      dir.pop_back();
      dir.erase(dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/') + 1);
    }
  }
  return dir + t;
}

bool ends_with_type(std::string_view type, std::string_view what) {
  return type.size() > what.size() && type.ends_with(what) && type[type.size() - what.size() - 1] == '/';
}

}  // namespace

result<workbook_text> read_xlsx(std::string_view bytes, const workbook_limits& limits) {
  zip_reader zip;
  if (auto r = zip.open(bytes, limits.max_inflated ? limits.max_inflated : default_max_inflated(bytes.size())); !r)
    return r.error();

  // the workbook part: from the package relationships, else the usual name
  std::string workbook_name = "xl/workbook.xml";
  if (zip.find("_rels/.rels")) {
    rels_part root;
    if (auto r = run_part(zip, "_rels/.rels", root); !r) return r.error();
    for (const auto& [id, rel] : root.rels)
      if (ends_with_type(rel.type, "officeDocument")) workbook_name = resolve("", rel.target);
  }
  if (!zip.find(workbook_name)) {
    if (zip.find("word/document.xml") || zip.find("ppt/presentation.xml"))
      return make_error(errc::unsupported_container,
                        "this is a Word or PowerPoint file, not a spreadsheet or a bank export");
    if (zip.find("[Content_Types].xml"))
      return make_error(errc::no_worksheet, "this Office file holds no Excel workbook");
    return make_error(errc::unsupported_container,
                      "this is a ZIP archive, not an Excel workbook; extract the statement file from it first");
  }
  workbook_part book;
  if (auto r = run_part(zip, workbook_name, book); !r) return r.error();

  const std::size_t slash = workbook_name.rfind('/');
  const std::string rels_name = workbook_name.substr(0, slash + 1) + "_rels/" + workbook_name.substr(slash + 1) + ".rels";
  rels_part rels;
  if (zip.find(rels_name)) {
    if (auto r = run_part(zip, rels_name, rels); !r) return r.error();
  }

  strings_part strings;
  styles_part styles;
  for (const auto& [id, rel] : rels.rels) {
    if (ends_with_type(rel.type, "sharedStrings")) {
      if (auto r = run_part(zip, resolve(workbook_name, rel.target), strings); !r) return r.error();
    } else if (ends_with_type(rel.type, "styles")) {
      if (auto r = run_part(zip, resolve(workbook_name, rel.target), styles); !r) return r.error();
    }
  }

  workbook_text out;
  out.container = "xlsx";
  std::size_t charts = 0;
  for (const sheet_ref& s : book.sheets) {
    const auto it = rels.rels.find(s.rel_id);
    if (it == rels.rels.end()) continue;
    if (!ends_with_type(it->second.type, "worksheet")) {
      ++charts;  // chartsheets and dialog sheets hold no cells
      continue;
    }
    sheet_text& sheet = out.sheets.emplace_back();
    sheet.name = s.name;
    sheet_part part(sheet, strings, styles, book.date1904, limits.max_rows);
    if (auto r = run_part(zip, resolve(workbook_name, it->second.target), part); !r) return r.error();
    part.writer().finish();
  }
  if (out.sheets.empty()) {
    if (charts > 0)
      return make_error(errc::no_worksheet, "the workbook holds only charts, no worksheet with data");
    if (zip.find("xl/vbaProject.bin"))
      return make_error(errc::no_worksheet, "the workbook holds only macros, no worksheet with data");
    return make_error(errc::no_worksheet, "the workbook has no worksheet");
  }
  return out;
}

}  // namespace bankflow::detail
