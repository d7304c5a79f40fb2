// XLSX: a ZIP (libzip, read from memory) of XML parts (expat, streamed part by part). The parts
// read: _rels/.rels → the workbook, its rels → worksheets, shared strings and styles; then each
// worksheet's <sheetData>, rendered row by row through sheet_writer.

#include "sheet/workbook.hpp"

#include <bankflow/text.hpp>

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
  /// Streams one entry in chunks to `take` (which returns false to stop early); every inflated
  /// byte counts against the budget.
  result<void> stream(zip_uint64_t index, std::string_view part,
                      const std::function<result<bool>(std::string_view)>& take) {
    zip_file_t* zf = zip_fopen_index(za_, index, 0);
    if (zf == nullptr)
      return damaged("the part " + std::string(part) + " of the XLSX file cannot be read (" +
                     zip_strerror(za_) + ")");
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> guard(zf, &zip_fclose);
    buffer_.resize(1 << 16);
    for (;;) {
      const zip_int64_t n = zip_fread(zf, buffer_.data(), buffer_.size());
      if (n < 0)
        return damaged("the part " + std::string(part) + " of the XLSX file is damaged (" +
                       zip_file_strerror(zf) + ")");
      inflated_ += static_cast<std::size_t>(n);
      if (inflated_ > budget_)
        return make_error(errc::limit_exceeded,
                          "the XLSX file expands to more than " + std::to_string(budget_ / (1024 * 1024)) +
                              " MB of data (the limit is 64 times the file, at most 200 MB): it looks "
                              "like a zip bomb, not a bank's export");
      auto more = take(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
      if (!more) return more.error();
      if (!*more || n == 0) break;
    }
    return {};
  }

  /// Streams one entry through `parser`.
  result<void> parse(zip_uint64_t index, std::string_view part, XML_Parser parser,
                     const std::function<std::optional<error>()>& stopped) {
    return stream(index, part, [&](std::string_view chunk) -> result<bool> {
      if (XML_Parse(parser, chunk.data(), static_cast<int>(chunk.size()), chunk.empty()) == XML_STATUS_ERROR) {
        if (auto e = stopped()) return *e;
        if (XML_GetErrorCode(parser) == XML_ERROR_ABORTED) return false;  // a handler had read enough
        return damaged("the part " + std::string(part) + " of the XLSX file is not well-formed XML (line " +
                       std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
                       XML_ErrorString(XML_GetErrorCode(parser)) + ")");
      }
      if (auto e = stopped()) return *e;
      return true;
    });
  }

  /// Gives back `bytes` of the budget (a part read again by another reader).
  void refund(std::size_t bytes) noexcept { inflated_ -= std::min(bytes, inflated_); }
  [[nodiscard]] std::size_t inflated() const noexcept { return inflated_; }

 private:
  static error damaged(std::string message) { return make_error(errc::damaged_container, std::move(message)); }

  zip_t* za_ = nullptr;
  std::string buffer_;
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

  /// One more string, OOXML-escaped as written; false past 4 GB.
  bool add(std::string_view raw) {
    append_unescaped(all, raw);
    if (all.size() > 0xFFFFFFF0u) return false;
    ends.push_back(static_cast<std::uint32_t>(all.size()));
    return true;
  }
  void clear() {
    all.clear();
    ends.clear();
  }

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

// One cell's value as the sheet stores it, into the writer: shared strings, inline and formula
// strings, booleans, ISO dates, date-formatted serials and numbers.
class cell_emitter {
 public:
  cell_emitter(sheet_writer& w, const strings_part& strings, const styles_part& styles, bool date1904)
      : w_(w), strings_(strings), styles_(styles), date1904_(date1904) {}

  [[nodiscard]] bool date_style(std::string_view s_attr) const {
    std::uint32_t s = 0;
    return parse_uint(s_attr, s) && s < styles_.date_style.size() && styles_.date_style[s];
  }

  /// `value` is the <v> text, or the inline string already unescaped.
  void emit(std::uint32_t col, std::string_view type, bool date, std::string_view value) {
    if (type == "s") {
      std::uint32_t i = 0;
      if (parse_uint(value, i)) w_.text(col, strings_.get(i));  // unescaped when read
    } else if (type == "inlineStr") {
      w_.text(col, value);
    } else if (type == "str" || type == "e") {
      scratch_.clear();
      append_unescaped(scratch_, value);
      w_.text(col, scratch_);
    } else if (type == "b") {
      w_.text(col, value == "1" ? "TRUE" : "FALSE");
    } else if (type == "d") {
      w_.iso_date(col, value);
    } else if (date) {
      w_.date_serial(col, value, date1904_);
    } else {
      w_.number(col, value);
    }
  }

  sheet_writer& writer() { return w_; }

 private:
  sheet_writer& w_;
  const strings_part& strings_;
  const styles_part& styles_;
  bool date1904_;
  std::string scratch_;
};

// The reference reader of a worksheet: expat, every construct XML allows.
class sheet_part final : public xml_part {
 public:
  sheet_part(sheet_text& out, const strings_part& strings, const styles_part& styles, bool date1904,
             std::uint32_t max_rows)
      : w_(out, max_rows), cells_(w_, strings, styles, date1904) {}

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
      if (!ref.empty() && parse_ref(ref, c, r) && r > w_.row()) w_.begin_row(r);
      cell_col_ = c;
      col_ = c + 1;
      type_ = attr(attrs, "t");
      date_ = cells_.date_style(attr(attrs, "s"));
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
      if (have_value_) cells_.emit(cell_col_, type_, date_, value_);
    }
  }

 private:
  sheet_writer w_;
  cell_emitter cells_;
  std::uint32_t col_ = 0, cell_col_ = 0;
  std::string type_, value_;
  bool date_ = false, have_value_ = false, in_inline_ = false;
  int phonetic_ = 0;
};

// The fast reader of a worksheet, for the shape every spreadsheet program writes: unprefixed
// <sheetData> of <row>/<c> with <v>, <f> and inline <is> strings, the five XML entities and
// character references. Anything else (a prefix, a comment, CDATA, a DOCTYPE, another entity,
// an unknown element, bytes that are not UTF-8 text) answers `fallback`, and the worksheet is
// read again by sheet_part, the reference: expat's general parser is what bounds this one, and
// the fuzzer compares the two. It reads only whole rows: a chunk's incomplete last row waits.
class fast_sheet {
 public:
  enum class state { go_on, done, fallback };

  fast_sheet(sheet_text& out, const strings_part& strings, const styles_part& styles, bool date1904,
             std::uint32_t max_rows)
      : w_(out, max_rows), cells_(w_, strings, styles, date1904) {}

  sheet_writer& writer() { return w_; }

  state feed(std::string_view chunk) {
    pending_ += chunk;
    if (!in_data_) {
      const std::size_t at = pending_.find("<sheetData");
      if (at == std::string::npos) {
        if (pending_.find("<!") != std::string::npos || pending_.size() > max_pending) return state::fallback;
        return state::go_on;
      }
      // the prelude: the unprefixed root, no declaration, comment or CDATA
      const std::string_view prelude = std::string_view(pending_).substr(0, at);
      if (prelude.find("<!") != std::string_view::npos || prelude.find("<worksheet") == std::string_view::npos)
        return state::fallback;
      const std::size_t gt = pending_.find('>', at);
      if (gt == std::string::npos) return state::go_on;
      const char after = pending_[at + 10];
      if (after != '>' && after != '/' && !is_blank(after)) return state::fallback;
      if (pending_[gt - 1] == '/') return state::done;  // <sheetData/>: no rows
      pending_.erase(0, gt + 1);
      in_data_ = true;
    }
    // whole rows only: up to the end of the data, else up to the last "</row>" (searched from the
    // end: '<' is every few bytes, a forward search would stop at each one). A row longer than
    // max_pending is no bank's: expat reads such a sheet.
    const std::size_t last = pending_.rfind("</row>");
    const std::size_t end_data = pending_.find("</sheetData>", last == std::string::npos ? 0 : last);
    std::size_t upto = end_data;
    if (upto == std::string::npos) {
      if (last == std::string::npos) return pending_.size() > max_pending ? state::fallback : state::go_on;
      upto = last + 6;
    }
    const state st = scan(std::string_view(pending_).substr(0, upto));
    if (st != state::go_on) return st;
    if (end_data != std::string::npos) return state::done;
    pending_.erase(0, upto);
    return state::go_on;
  }

  /// After the last chunk: the data must have ended.
  state finish() const { return state::fallback; }

  /// The shared-strings part's <si> items into `strings` (all, then `done`), chunk by chunk like
  /// feed(); the same subset and the same fallback.
  state feed_strings(std::string_view chunk, strings_part& strings) {
    pending_ += chunk;
    if (!in_data_) {
      const std::size_t at = pending_.find("<sst");
      if (at == std::string::npos) {
        if (pending_.find("<!") != std::string::npos || pending_.size() > max_pending) return state::fallback;
        return state::go_on;
      }
      if (std::string_view(pending_).substr(0, at).find("<!") != std::string_view::npos) return state::fallback;
      const std::size_t gt = pending_.find('>', at);
      if (gt == std::string::npos) return state::go_on;
      const char after = pending_[at + 4];
      if (after != '>' && after != '/' && !is_blank(after)) return state::fallback;
      if (pending_[gt - 1] == '/') return state::done;
      pending_.erase(0, gt + 1);
      in_data_ = true;
    }
    const std::size_t last = pending_.rfind("</si>");
    const std::size_t end_data = pending_.find("</sst>", last == std::string::npos ? 0 : last);
    std::size_t upto = end_data;
    if (upto == std::string::npos) {
      if (last == std::string::npos) return pending_.size() > max_pending ? state::fallback : state::go_on;
      upto = last + 5;
    }
    p_ = pending_.data();
    e_ = pending_.data() + upto;
    for (;;) {
      skip_blanks();
      if (p_ >= e_) break;
      if (!open("si")) return state::fallback;
      auto closed = attributes();
      if (!closed) return state::fallback;
      raw_.clear();
      if (!*closed && !inline_string(raw_, "</si>")) return state::fallback;
      if (!strings.add(raw_)) return state::fallback;
    }
    if (end_data != std::string::npos) return state::done;
    pending_.erase(0, upto);
    return state::go_on;
  }

 private:
  static bool is_blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

  // Bytes held while waiting for a row's (or a string's) end: each chunk searches them again, so
  // they stay few; a longer row goes to expat.
  static constexpr std::size_t max_pending = 1u << 20;

  void skip_blanks() {
    while (p_ < e_ && is_blank(*p_)) ++p_;
  }
  bool eat(std::string_view lit) {
    if (static_cast<std::size_t>(e_ - p_) < lit.size() || std::string_view(p_, lit.size()) != lit) return false;
    p_ += lit.size();
    return true;
  }
  // `<name` followed by a blank, '>' or '/': the element's start
  bool open(std::string_view name) {
    if (static_cast<std::size_t>(e_ - p_) <= name.size() + 1 || p_[0] != '<' ||
        std::string_view(p_ + 1, name.size()) != name)
      return false;
    const char after = p_[1 + name.size()];
    if (after != '>' && after != '/' && !is_blank(after)) return false;
    p_ += 1 + name.size();
    return true;
  }

  // The attributes up to '>' (false) or "/>" (true); r, s and t kept. nullopt: not well-formed
  // in the subset.
  std::optional<bool> attributes() {
    r_ = s_ = t_ = {};
    for (;;) {
      skip_blanks();
      if (p_ >= e_) return std::nullopt;
      if (*p_ == '>') {
        ++p_;
        return false;
      }
      if (*p_ == '/') {
        if (p_ + 1 < e_ && p_[1] == '>') {
          p_ += 2;
          return true;
        }
        return std::nullopt;
      }
      const char* name = p_;
      while (p_ < e_ && *p_ != '=' && !is_blank(*p_) && *p_ != '>' && *p_ != '/') ++p_;
      const std::string_view n(name, static_cast<std::size_t>(p_ - name));
      skip_blanks();
      if (n.empty() || !eat("=")) return std::nullopt;
      skip_blanks();
      if (p_ >= e_ || (*p_ != '"' && *p_ != '\'')) return std::nullopt;
      const char q = *p_++;
      const char* v = p_;
      while (p_ < e_ && *p_ != q) {
        if (*p_ == '<' || *p_ == '&') return std::nullopt;  // entities in r/s/t: the reference reads them
        ++p_;
      }
      if (p_ >= e_) return std::nullopt;
      const std::string_view value(v, static_cast<std::size_t>(p_ - v));
      ++p_;
      if (n == "r") r_ = value;
      else if (n == "s") s_ = value;
      else if (n == "t") t_ = value;
    }
  }

  // Character data up to '<', entities decoded, appended to `out`; false outside the subset.
  bool text(std::string& out) {
    const char* start = p_;
    bool high = false;
    while (p_ < e_ && *p_ != '<') {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '&') {
        out.append(start, p_);
        if (!entity(out)) return false;
        start = p_;
        continue;
      }
      // a CR is XML's line end (expat reads CR LF as LF): the reference keeps that rule
      if (c < 0x20 && c != '\t' && c != '\n') return false;
      high = high || c >= 0x80;
      ++p_;
    }
    const std::size_t from = out.size();
    out.append(start, p_);
    if (high && !is_valid_utf8(std::string_view(out).substr(from))) return false;
    return p_ < e_;
  }

  bool entity(std::string& out) {
    const char* semi = static_cast<const char*>(std::memchr(p_, ';', static_cast<std::size_t>(std::min<std::ptrdiff_t>(e_ - p_, 12))));
    if (semi == nullptr) return false;
    const std::string_view name(p_ + 1, static_cast<std::size_t>(semi - p_ - 1));
    p_ = semi + 1;
    if (name == "amp") out += '&';
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else if (name.size() >= 2 && name[0] == '#') {
      std::uint32_t cp = 0;
      const bool hex = name[1] == 'x';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      if (digits.empty() || digits.size() > 6) return false;
      for (char c : digits) {
        const int d = c >= '0' && c <= '9' ? c - '0'
                      : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return false;
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      }
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
          (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r'))
        return false;
      append_code_point(out, cp);
    } else {
      return false;
    }
    return true;
  }

  static void append_code_point(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | cp >> 6);
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | cp >> 12);
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | cp >> 18);
      out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Skips an element whose start tag was just read and that holds no text we use, up to its end
  // tag (no nesting of the same name: <f>, <rPh>, <rPr>, <phoneticPr>).
  bool skip_to_end(std::string_view name) {
    const std::string end = "</" + std::string(name) + ">";
    const std::string_view rest(p_, static_cast<std::size_t>(e_ - p_));
    const std::size_t at = rest.find(end);
    if (at == std::string_view::npos) return false;
    const std::string_view inside = rest.substr(0, at);
    if (inside.find("<!") != std::string_view::npos || inside.find("<" + std::string(name)) != std::string_view::npos)
      return false;
    p_ += at + end.size();
    return true;
  }

  // <is>…</is> (or <si>…</si>): the <t> texts, also inside <r> runs, but not those of <rPh>.
  bool inline_string(std::string& raw, std::string_view end = "</is>") {
    for (;;) {
      skip_blanks();
      if (eat(end)) return true;
      if (open("t")) {
        auto closed = attributes();
        if (!closed) return false;
        if (*closed) continue;
        if (!text(raw) || !eat("</t>")) return false;
      } else if (open("r")) {
        auto closed = attributes();
        if (!closed) return false;
        if (*closed) continue;
        for (;;) {
          skip_blanks();
          if (eat("</r>")) break;
          if (open("rPr")) {
            auto c = attributes();
            if (!c || (!*c && !skip_to_end("rPr"))) return false;
          } else if (open("t")) {
            auto c = attributes();
            if (!c) return false;
            if (!*c && (!text(raw) || !eat("</t>"))) return false;
          } else {
            return false;
          }
        }
      } else if (open("rPh") || open("phoneticPr")) {
        const bool rph = std::string_view(p_ - 3, 3) == "rPh";  // else phoneticPr
        auto c = attributes();
        if (!c || (!*c && !skip_to_end(rph ? "rPh" : "phoneticPr"))) return false;
      } else {
        return false;
      }
    }
  }

  // One <c>; its start tag's name was read.
  bool cell() {
    auto closed = attributes();
    if (!closed) return false;
    std::uint32_t c = col_, r = 0;
    if (!r_.empty() && parse_ref(r_, c, r) && r > w_.row()) w_.begin_row(r);
    col_ = c + 1;
    const std::string type(t_);
    const bool date = cells_.date_style(s_);
    if (*closed) return true;
    bool have = false;
    value_.clear();
    for (;;) {
      skip_blanks();
      if (eat("</c>")) break;
      if (eat("<v>")) {
        value_.clear();
        if (!text(value_) || !eat("</v>")) return false;
        have = true;
      } else if (eat("<v/>")) {
        value_.clear();
        have = true;
      } else if (open("f")) {
        auto fc = attributes();
        if (!fc || (!*fc && !skip_to_end("f"))) return false;
      } else if (open("is")) {
        auto ic = attributes();
        if (!ic) return false;
        raw_.clear();
        if (!*ic && !inline_string(raw_)) return false;
        value_.clear();
        append_unescaped(value_, raw_);
        have = true;
      } else {
        return false;
      }
    }
    if (have) cells_.emit(c, type, date, value_);
    return true;
  }

  state scan(std::string_view rows) {
    p_ = rows.data();
    e_ = rows.data() + rows.size();
    for (;;) {
      skip_blanks();
      if (p_ >= e_) return state::go_on;
      if (!open("row")) return state::fallback;
      auto closed = attributes();
      if (!closed) return state::fallback;
      std::uint32_t r = 0;
      if (!parse_uint(r_, r)) r = w_.row() + 1;
      if (!w_.begin_row(r)) return state::done;  // the head was asked for
      col_ = 0;
      if (*closed) continue;
      for (;;) {
        skip_blanks();
        if (eat("</row>")) break;
        if (!open("c") || !cell()) return state::fallback;
      }
    }
  }

  sheet_writer w_;
  cell_emitter cells_;
  std::string pending_, value_, raw_;
  bool in_data_ = false;
  const char* p_ = nullptr;
  const char* e_ = nullptr;
  std::string_view r_, s_, t_;
  std::uint32_t col_ = 0;
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

// The workbook part's name: from the package relationships, else the usual name. Errors for a
// ZIP that holds no workbook, saying what it is instead.
result<std::string> find_workbook(zip_reader& zip) {
  std::string workbook_name = "xl/workbook.xml";
  if (zip.find("_rels/.rels")) {
    rels_part root;
    if (auto r = run_part(zip, "_rels/.rels", root); !r) return r.error();
    for (const auto& [id, rel] : root.rels)
      if (ends_with_type(rel.type, "officeDocument")) workbook_name = resolve("", rel.target);
  }
  if (zip.find(workbook_name)) return workbook_name;
  if (zip.find("word/document.xml") || zip.find("ppt/presentation.xml"))
    return make_error(errc::unsupported_container,
                      "this is a Word or PowerPoint file, not a spreadsheet or a bank export");
  if (zip.find("[Content_Types].xml"))
    return make_error(errc::no_worksheet, "this Office file holds no Excel workbook");
  return make_error(errc::unsupported_container,
                    "this is a ZIP archive, not an Excel workbook; extract the statement file from it first");
}

// The shared strings: the fast reader first, as for the worksheets; expat reads what it declines.
result<void> read_shared_strings(zip_reader& zip, const std::string& part_name, strings_part& strings,
                                 styles_part& styles, bool date1904, const workbook_limits& limits) {
  if (!limits.reference_reader) {
    const auto index = zip.find(part_name);
    const std::size_t before = zip.inflated();
    sheet_text unused;
    fast_sheet fast(unused, strings, styles, date1904, 0);
    fast_sheet::state st = fast_sheet::state::go_on;
    if (index) {
      auto r = zip.stream(*index, part_name, [&](std::string_view chunk) -> result<bool> {
        st = chunk.empty() ? fast.finish() : fast.feed_strings(chunk, strings);
        return st == fast_sheet::state::go_on;
      });
      if (!r) return r.error();
      if (st == fast_sheet::state::done) return {};
      strings.clear();
      zip.refund(zip.inflated() - before);
    }
  }
  return run_part(zip, part_name, strings);
}

// One worksheet into `sheet`: the fast reader first; anything outside its subset is read again
// by expat.
result<void> read_worksheet(zip_reader& zip, const std::string& part_name, sheet_text& sheet,
                            const strings_part& strings, const styles_part& styles, bool date1904,
                            const workbook_limits& limits) {
  const auto index = zip.find(part_name);
  if (!index)
    return make_error(errc::damaged_container, "the XLSX file has no part " + part_name + " (it is damaged)");
  if (!limits.reference_reader) {
    const std::size_t before = zip.inflated();
    fast_sheet fast(sheet, strings, styles, date1904, limits.max_rows);
    fast_sheet::state st = fast_sheet::state::go_on;
    auto r = zip.stream(*index, part_name, [&](std::string_view chunk) -> result<bool> {
      st = chunk.empty() ? fast.finish() : fast.feed(chunk);
      return st == fast_sheet::state::go_on;
    });
    if (!r) return r.error();
    if (st == fast_sheet::state::done) {
      fast.writer().finish();
      return {};
    }
    sheet.text.clear();
    sheet.inexact.clear();
    zip.refund(zip.inflated() - before);
  }
  sheet_part part(sheet, strings, styles, date1904, limits.max_rows);
  if (auto r = zip.parse(*index, part_name, part.parser(), [&] { return part.stopped(); }); !r) return r.error();
  part.writer().finish();
  return {};
}

}  // namespace

result<workbook_text> read_xlsx(std::string_view bytes, const workbook_limits& limits) {
  zip_reader zip;
  if (auto r = zip.open(bytes, limits.max_inflated ? limits.max_inflated : default_max_inflated(bytes.size())); !r)
    return r.error();
  auto found = find_workbook(zip);
  if (!found) return found.error();
  const std::string& workbook_name = *found;
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
      if (auto r = read_shared_strings(zip, resolve(workbook_name, rel.target), strings, styles, book.date1904, limits);
          !r)
        return r.error();
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
    if (auto r = read_worksheet(zip, resolve(workbook_name, it->second.target), sheet, strings, styles,
                                book.date1904, limits);
        !r)
      return r.error();
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
