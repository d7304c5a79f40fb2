// The BIFF8 (XLS) reader: OLE2 compound file → `Workbook` stream → records. It is the library's
// own and not Debian's freexl, which the tests keep as the reference (tests/sheet/
// freexl_reference.cpp): freexl 1.0.6 reads outside its buffers on malformed files (found by
// fuzzing), and opens a workbook whose shared strings hold an empty string — what Itaú's "Salvar
// em Excel" writes in its blank columns (FORMATS-PDF.md §3.1) — with FREEXL_OK and no handle.
// Only what the statements need is read: cell values (shared, inline and formula strings, numbers, RK, MULRK,
// booleans), the 1904 flag, number formats to tell dates, sheet names and the password flag.
// Every offset is checked; chains are bounded by the sector count, so a crafted file ends in
// damaged_container, never in a loop or an overread.

#include "core/append_text.hpp"
#include "sheet/workbook.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace bankflow::detail {

namespace {

constexpr std::uint32_t end_of_chain = 0xFFFFFFFE;

std::uint16_t u16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }
std::uint32_t u32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

error damaged(std::string what) {
  return make_error(errc::damaged_container, "the XLS file is damaged or cut short (" + std::move(what) + ")");
}

// The compound file: sectors, the FAT, the directory and the mini stream.
class compound_file {
 public:
  explicit compound_file(std::string_view bytes)
      : b_(reinterpret_cast<const unsigned char*>(bytes.data())), n_(bytes.size()) {}

  result<void> open() {
    if (n_ < 512) return damaged("no compound-file header");
    const std::uint16_t shift = u16(b_ + 0x1E);
    if (shift != 9 && shift != 12) return damaged("a bad sector size");
    sector_size_ = std::size_t{1} << shift;
    mini_cutoff_ = u32(b_ + 0x38);
    // the FAT's sectors: 109 in the header, then the DIFAT chain
    std::vector<std::uint32_t> fat_sectors;
    for (int i = 0; i < 109; ++i) {
      const std::uint32_t s = u32(b_ + 0x4C + 4 * i);
      if (s < 0xFFFFFFFA) fat_sectors.push_back(s);
    }
    std::uint32_t difat = u32(b_ + 0x44);
    for (std::size_t guard = 0; difat < 0xFFFFFFFA && guard < sectors(); ++guard) {
      const unsigned char* p = sector(difat);
      if (!p) return damaged("a DIFAT sector outside the file");
      const std::size_t per = sector_size_ / 4 - 1;
      for (std::size_t i = 0; i < per; ++i) {
        const std::uint32_t s = u32(p + 4 * i);
        if (s < 0xFFFFFFFA) fat_sectors.push_back(s);
      }
      difat = u32(p + 4 * per);
    }
    for (std::uint32_t s : fat_sectors) {
      const unsigned char* p = sector(s);
      if (!p) return damaged("a FAT sector outside the file");
      for (std::size_t i = 0; i < sector_size_ / 4; ++i) fat_.push_back(u32(p + 4 * i));
    }
    // the directory
    std::string dir;
    if (auto r = chain(u32(b_ + 0x30), fat_, sector_size_, nullptr, dir); !r) return r;
    for (std::size_t off = 0; off + 128 <= dir.size(); off += 128) {
      const auto* e = reinterpret_cast<const unsigned char*>(dir.data() + off);
      entry en;
      const std::size_t name_bytes = std::min<std::size_t>(u16(e + 0x40), 64);
      for (std::size_t i = 0; i + 1 < name_bytes; i += 2) {
        const std::uint16_t c = u16(e + i);
        if (c == 0) break;
        en.name += c < 0x80 ? static_cast<char>(c) : '?';
      }
      en.type = e[0x42];
      en.start = u32(e + 0x74);
      en.size = u32(e + 0x78);
      entries_.push_back(std::move(en));
    }
    if (entries_.empty() || entries_[0].type != 5) return damaged("no root directory entry");
    return {};
  }

  [[nodiscard]] const void* find(std::string_view name) const {
    for (const auto& e : entries_)
      if (e.type == 2 && e.name == name) return &e;
    return nullptr;
  }

  result<void> read(const void* handle, std::string& out) {
    const auto& e = *static_cast<const entry*>(handle);
    if (e.size < mini_cutoff_) {
      if (mini_stream_.empty() && mini_fat_.empty()) {
        if (auto r = chain(entries_[0].start, fat_, sector_size_, nullptr, mini_stream_); !r) return r;
        std::string mf;
        if (auto r = chain(u32(b_ + 0x3C), fat_, sector_size_, nullptr, mf); !r) return r;
        for (std::size_t i = 0; i + 4 <= mf.size(); i += 4)
          mini_fat_.push_back(u32(reinterpret_cast<const unsigned char*>(mf.data()) + i));
      }
      if (auto r = chain(e.start, mini_fat_, 64, &mini_stream_, out); !r) return r;
    } else {
      if (auto r = chain(e.start, fat_, sector_size_, nullptr, out); !r) return r;
    }
    if (out.size() < e.size) return damaged("a stream shorter than its directory entry");
    out.resize(e.size);
    return {};
  }

 private:
  struct entry {
    std::string name;
    unsigned char type = 0;
    std::uint32_t start = 0, size = 0;
  };

  [[nodiscard]] std::size_t sectors() const { return n_ / sector_size_; }
  [[nodiscard]] const unsigned char* sector(std::uint32_t s) const {
    const std::size_t off = (static_cast<std::size_t>(s) + 1) * sector_size_;
    if (off + sector_size_ > n_) return nullptr;
    return b_ + off;
  }

  // Follows a chain in `table`, appending each block: sectors of the file, or of `mini`.
  result<void> chain(std::uint32_t s, const std::vector<std::uint32_t>& table, std::size_t block,
                     const std::string* mini, std::string& out) const {
    for (std::size_t guard = 0; s != end_of_chain; ++guard) {
      if (guard > table.size()) return damaged("a sector chain that loops");
      if (s >= table.size()) return damaged("a sector chain leaving the file");
      if (mini) {
        const std::size_t off = static_cast<std::size_t>(s) * block;
        if (off + block > mini->size()) return damaged("a mini-stream sector outside the stream");
        out.append(*mini, off, block);
      } else {
        const unsigned char* p = sector(s);
        if (!p) return damaged("a sector outside the file");
        out.append(reinterpret_cast<const char*>(p), block);
      }
      s = table[s];
    }
    return {};
  }

  const unsigned char* b_;
  std::size_t n_;
  std::size_t sector_size_ = 512;
  std::uint32_t mini_cutoff_ = 4096;
  std::vector<std::uint32_t> fat_, mini_fat_;
  std::vector<entry> entries_;
  std::string mini_stream_;
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate half
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Bytes of a record followed by its CONTINUE records, read as one stream; a string's characters
// that cross into the next part restart with a new compression flag.
class record_reader {
 public:
  explicit record_reader(std::vector<std::string_view> parts) : parts_(std::move(parts)) {}

  bool bytes(std::size_t n, std::string* out) {
    while (n > 0) {
      if (part_ >= parts_.size()) return false;
      const std::string_view p = parts_[part_];
      const std::size_t take = std::min(n, p.size() - pos_);
      if (out) out->append(p.substr(pos_, take));
      pos_ += take;
      n -= take;
      if (pos_ == p.size()) next_part();
    }
    return true;
  }
  bool u8(unsigned& v) {
    std::string s;
    if (!bytes(1, &s)) return false;
    v = static_cast<unsigned char>(s[0]);
    return true;
  }
  bool u16v(unsigned& v) {
    std::string s;
    if (!bytes(2, &s)) return false;
    v = u16(reinterpret_cast<const unsigned char*>(s.data()));
    return true;
  }
  bool u32v(std::uint32_t& v) {
    std::string s;
    if (!bytes(4, &s)) return false;
    v = u32(reinterpret_cast<const unsigned char*>(s.data()));
    return true;
  }

  // An XLUnicodeRichExtendedString (SST) or XLUnicodeString: cch, flags, [cRun], [cbExtRst],
  // characters, then the runs and the extension, skipped.
  bool string(std::size_t cch, std::string& out, bool rich_allowed) {
    unsigned flags = 0;
    if (!u8(flags)) return false;
    unsigned runs = 0;
    std::uint32_t ext = 0;
    if (rich_allowed && (flags & 0x08) && !u16v(runs)) return false;
    if (rich_allowed && (flags & 0x04) && !u32v(ext)) return false;
    bool wide = flags & 0x01;
    while (cch > 0) {
      if (part_ >= parts_.size()) return false;
      const std::string_view p = parts_[part_];
      const std::size_t width = wide ? 2 : 1;
      const std::size_t avail = (p.size() - pos_) / width;
      const std::size_t take = std::min(cch, avail);
      const auto* d = reinterpret_cast<const unsigned char*>(p.data() + pos_);
      if (wide) {
        for (std::size_t i = 0; i < take; ++i) append_utf8(out, u16(d + 2 * i));
      } else {  // Latin-1: runs of ASCII are copied whole
        for (std::size_t i = 0; i < take;) {
          std::size_t j = i;
          while (j < take && d[j] < 0x80) ++j;
          out.append(reinterpret_cast<const char*>(d + i), j - i);
          if (j < take) append_utf8(out, d[j++]);
          i = j;
        }
      }
      pos_ += take * width;
      cch -= take;
      if (cch == 0) break;
      if (pos_ + width > p.size()) {
        next_part();  // a CONTINUE: it starts with the flag for the rest of the characters
        if (part_ >= parts_.size()) return false;
        unsigned f = 0;
        if (!u8(f)) return false;
        wide = f & 0x01;
      }
    }
    return bytes(std::size_t{runs} * 4, nullptr) && bytes(ext, nullptr);
  }

 private:
  void next_part() {
    ++part_;
    pos_ = 0;
  }
  std::vector<std::string_view> parts_;
  std::size_t part_ = 0, pos_ = 0;
};

double rk_value(std::uint32_t rk, bool& exact_centavos, std::int64_t& centavos) {
  exact_centavos = false;
  if (rk & 2) {
    const auto i = static_cast<std::int32_t>(rk) >> 2;
    if (rk & 1) {  // an integer number of hundredths: centavos, exactly
      exact_centavos = true;
      centavos = i;
      return i / 100.0;
    }
    return i;
  }
  const std::uint64_t bits = static_cast<std::uint64_t>(rk & 0xFFFFFFFC) << 32;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return (rk & 1) ? d / 100 : d;
}

struct biff_record {
  std::uint16_t id;
  std::string_view data;
};

// Every record of the Workbook stream, with CONTINUE records kept next to the one they extend.
std::vector<biff_record> split_records(std::string_view wb) {
  std::vector<biff_record> records;
  for (std::size_t off = 0; off + 4 <= wb.size();) {
    const auto* p = reinterpret_cast<const unsigned char*>(wb.data() + off);
    const std::uint16_t id = u16(p), len = u16(p + 2);
    if (off + 4 + len > wb.size()) break;  // a cut record ends the stream
    records.push_back({id, wb.substr(off + 4, len)});
    off += 4 + len;
  }
  return records;
}

// Record i's data and that of the CONTINUE records after it.
std::vector<std::string_view> parts_from(const std::vector<biff_record>& records, std::size_t i) {
  std::vector<std::string_view> parts{records[i].data};
  for (std::size_t k = i + 1; k < records.size() && records[k].id == 0x003C; ++k) parts.push_back(records[k].data);
  return parts;
}

struct sheet_info {
  std::uint32_t pos;
  std::string name;
  bool worksheet;
};

// What the globals (the records up to the first EOF) say about the sheets' cells.
struct xls_globals {
  bool date1904 = false;
  std::vector<std::string> sst;  // the shared strings
  std::vector<bool> xf_is_date;  // per cell format (XF): a date format
  std::vector<sheet_info> sheets;

  bool is_date(std::uint16_t xf) const { return xf < xf_is_date.size() && xf_is_date[xf]; }
};

// The shared strings (SST), up to the first one that does not read.
std::vector<std::string> read_sst(const std::vector<biff_record>& records, std::size_t i) {
  std::vector<std::string> sst;
  const auto* d = reinterpret_cast<const unsigned char*>(records[i].data.data());
  record_reader rr(parts_from(records, i));
  rr.bytes(8, nullptr);
  const std::uint32_t unique = u32(d + 4);
  sst.reserve(std::min<std::uint32_t>(unique, 1u << 20));
  for (std::uint32_t k = 0; k < unique; ++k) {
    unsigned cch = 0;
    if (!rr.u16v(cch)) break;
    std::string s;
    if (!rr.string(cch, s, true)) break;
    sst.push_back(std::move(s));
  }
  return sst;
}

result<xls_globals> read_globals(const std::vector<biff_record>& records) {
  xls_globals g;
  std::unordered_map<std::uint16_t, std::string> formats;
  std::vector<std::uint16_t> xf_format;
  for (std::size_t i = 0; i < records.size() && records[i].id != 0x000A; ++i) {
    const auto& r = records[i];
    const auto* d = reinterpret_cast<const unsigned char*>(r.data.data());
    switch (r.id) {
      case 0x002F: return encrypted_workbook();  // FILEPASS
      case 0x0022:
        if (r.data.size() >= 2) g.date1904 = u16(d) == 1;
        break;
      case 0x0085:
        if (r.data.size() >= 8) {
          record_reader rr({r.data.substr(7)});
          std::string name;
          rr.string(d[6], name, false);
          g.sheets.push_back({u32(d), name, d[5] == 0});
        }
        break;
      case 0x041E:
        if (r.data.size() >= 5) {
          record_reader rr({r.data.substr(4)});
          std::string code;
          rr.string(u16(d + 2), code, false);
          formats[u16(d)] = code;
        }
        break;
      case 0x00E0:
        if (r.data.size() >= 4) xf_format.push_back(u16(d + 2));
        break;
      case 0x00FC:
        if (r.data.size() >= 8) g.sst = read_sst(records, i);
        break;
      default: break;
    }
  }
  g.xf_is_date.resize(xf_format.size());
  for (std::size_t k = 0; k < xf_format.size(); ++k) {
    const auto it = formats.find(xf_format[k]);
    g.xf_is_date[k] = is_date_format(xf_format[k], it == formats.end() ? std::string_view{} : it->second);
  }
  return g;
}

// One cell, collected before it is written (records may come in any order within a row).
struct xls_cell {
  std::uint32_t row, col;
  int kind;  // 0 text, 1 number (double), 2 date serial text, 3 centavos
  std::string value;
  std::int64_t centavos;
  double number = 0;
};

// A sheet's cells from its records (BOF to EOF), in record order.
class cell_collector {
 public:
  cell_collector(const std::vector<biff_record>& records, const xls_globals& g) : records_(records), g_(g) {}

  std::vector<xls_cell> collect(std::size_t first) {
    for (std::size_t k = first; k < records_.size() && records_[k].id != 0x000A && records_[k].id != 0x0809; ++k)
      record(k);
    return std::move(cells_);
  }

 private:
  void number(std::uint32_t row, std::uint32_t col, std::uint16_t xf, double v) {
    if (!g_.is_date(xf)) {
      cells_.push_back({row, col, 1, {}, 0, v});  // sheet_writer::number(double) decides centavos
      return;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    cells_.push_back({row, col, 2, buf, 0, 0});
  }
  // An RK number: whole centavos stay exact unless the cell is a date.
  void rk(std::uint32_t row, std::uint32_t col, std::uint16_t xf, std::uint32_t value) {
    bool exact = false;
    std::int64_t cents = 0;
    const double v = rk_value(value, exact, cents);
    if (exact && !g_.is_date(xf)) cells_.push_back({row, col, 3, {}, cents});
    else number(row, col, xf, v);
  }
  // A string that starts `skip` bytes into record k, with `cch` characters.
  void text(std::size_t k, std::size_t skip, unsigned cch, std::uint32_t row, std::uint32_t col) {
    record_reader rr(parts_from(records_, k));
    rr.bytes(skip, nullptr);
    std::string s;
    if (rr.string(cch, s, false)) cells_.push_back({row, col, 0, std::move(s), 0});
  }
  void formula(const unsigned char* d, std::uint32_t row, std::uint32_t col, std::uint16_t xf) {
    if (u16(d + 12) != 0xFFFF) {
      double v;
      std::memcpy(&v, d + 6, sizeof v);
      number(row, col, xf, v);
    } else if (d[6] == 0) {  // a string: in the STRING record that follows
      string_pending_ = true;
      pending_row_ = row;
      pending_col_ = col;
    } else if (d[6] == 1) {
      cells_.push_back({row, col, 0, d[8] ? "TRUE" : "FALSE", 0});
    }
  }
  void record(std::size_t k) {
    const auto& r = records_[k];
    const auto* d = reinterpret_cast<const unsigned char*>(r.data.data());
    const std::size_t n = r.data.size();
    if (n < 6 && r.id != 0x0207) return;
    const std::uint32_t row = n >= 6 ? u16(d) + 1u : 0, col = n >= 6 ? u16(d + 2) : 0;
    const std::uint16_t xf = n >= 6 ? u16(d + 4) : 0;
    switch (r.id) {
      case 0x00FD:  // LABELSST
        if (n >= 10 && u32(d + 6) < g_.sst.size()) cells_.push_back({row, col, 0, g_.sst[u32(d + 6)], 0});
        break;
      case 0x0204:  // LABEL
        if (n >= 9) text(k, 8, u16(d + 6), row, col);
        break;
      case 0x0203:  // NUMBER
        if (n >= 14) {
          double v;
          std::memcpy(&v, d + 6, sizeof v);
          number(row, col, xf, v);
        }
        break;
      case 0x027E:  // RK
        if (n >= 10) rk(row, col, xf, u32(d + 6));
        break;
      case 0x00BD:  // MULRK
        for (std::size_t off = 4, c = col; off + 6 <= n - 2; off += 6, ++c)
          rk(row, static_cast<std::uint32_t>(c), u16(d + off), u32(d + off + 2));
        break;
      case 0x0205:  // BOOLERR
        if (n >= 8) cells_.push_back({row, col, 0, d[7] == 0 ? (d[6] ? "TRUE" : "FALSE") : "#ERROR", 0});
        break;
      case 0x0006:  // FORMULA: its cached result
        if (n >= 14) formula(d, row, col, xf);
        break;
      case 0x0207:  // STRING: the result of the formula before
        if (string_pending_ && n >= 3) text(k, 2, u16(d), pending_row_, pending_col_);
        string_pending_ = false;
        break;
      default: break;
    }
  }

  const std::vector<biff_record>& records_;
  const xls_globals& g_;
  std::vector<xls_cell> cells_;
  bool string_pending_ = false;
  std::uint32_t pending_row_ = 0, pending_col_ = 0;
};

// Whole centavos as decimal text ("-12.34"), never through a double.
std::string centavos_text(std::int64_t centavos) {
  const std::uint64_t u = centavos < 0 ? 0ULL - static_cast<std::uint64_t>(centavos) : static_cast<std::uint64_t>(centavos);
  std::string s = centavos < 0 ? "-" : "";
  s += std::to_string(u / 100);
  s += '.';
  s += static_cast<char>('0' + u % 100 / 10);
  s += static_cast<char>('0' + u % 10);
  return s;
}

// The cells rendered in row and column order.
void write_cells(std::vector<xls_cell>& cells, sheet_text& text, const workbook_limits& limits, bool date1904) {
  const auto in_order = [](const xls_cell& a, const xls_cell& b) { return a.row != b.row ? a.row < b.row : a.col < b.col; };
  if (!std::is_sorted(cells.begin(), cells.end(), in_order))  // they nearly always are
    std::stable_sort(cells.begin(), cells.end(), in_order);
  sheet_writer w(text, limits.max_rows);
  for (const auto& c : cells) {
    if (c.row != w.row() && !w.begin_row(c.row)) break;
    switch (c.kind) {
      case 0: w.text(c.col, c.value); break;
      case 1: w.number(c.col, c.number); break;
      case 2: w.date_serial(c.col, c.value, date1904); break;
      default: w.number(c.col, std::string_view(centavos_text(c.centavos)));
    }
  }
  w.finish();
}

}  // namespace

result<workbook_text> read_xls(std::string_view bytes, const workbook_limits& limits) {
  compound_file cf(bytes);
  if (auto r = cf.open(); !r) return r.error();
  const void* stream = cf.find("Workbook");
  if (!stream) {
    if (cf.find("Book"))
      return make_error(errc::unsupported_container,
                        "this is an Excel 5.0/95 workbook, which bankflow does not read; save it as .xlsx");
    return make_error(errc::unsupported_container,
                      "this is an OLE2 document (an old Word file or similar), not an Excel workbook");
  }
  std::string wb;
  if (auto r = cf.read(stream, wb); !r) return r.error();
  const std::vector<biff_record> records = split_records(wb);
  auto globals = read_globals(records);
  if (!globals) return globals.error();

  workbook_text out;
  out.container = "xls";
  // record index by stream offset, to find each sheet's BOF
  std::vector<std::size_t> offsets;
  offsets.reserve(records.size());
  for (const auto& r : records) offsets.push_back(static_cast<std::size_t>(r.data.data() - wb.data()) - 4);
  for (const auto& sh : globals->sheets) {
    if (!sh.worksheet) continue;
    const auto at = std::lower_bound(offsets.begin(), offsets.end(), static_cast<std::size_t>(sh.pos));
    if (at == offsets.end() || *at != sh.pos) continue;
    sheet_text& text = out.sheets.emplace_back();
    text.name = sh.name;
    std::vector<xls_cell> cells =
        cell_collector(records, *globals).collect(static_cast<std::size_t>(at - offsets.begin()) + 1);
    write_cells(cells, text, limits, globals->date1904);
  }
  if (globals->sheets.empty()) return make_error(errc::no_worksheet, "the workbook has no worksheet");
  if (out.sheets.empty()) return make_error(errc::no_worksheet, "the workbook holds only charts or macros, no worksheet with data");
  return out;
}

}  // namespace bankflow::detail
