// The reference for the library's BIFF8 reader (libbankflow/sheet/biff8.cpp): Debian's freexl,
// used by the tests only. The library does not use freexl on what users upload: freexl 1.0.6
// reads memory outside its buffers on malformed files (AddressSanitizer stops it within a few
// dozen fuzzer inputs, in iconv under freexl_open) and opens a workbook whose shared strings
// hold an empty string with FREEXL_OK and no handle. freexl opens files by path only: the bytes
// go into an anonymous in-memory file (memfd) opened through /proc/self/fd.

#include "freexl_reference.hpp"

#include <freexl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

namespace bankflow::test {

using namespace bankflow::detail;

namespace {

class memory_file {
 public:
  explicit memory_file(std::string_view bytes) {
    fd_ = memfd_create("bankflow-xls", MFD_CLOEXEC);
    if (fd_ < 0) return;
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fd_);
        fd_ = -1;
        return;
      }
      done += static_cast<std::size_t>(n);
    }
  }
  memory_file(const memory_file&) = delete;
  memory_file& operator=(const memory_file&) = delete;
  ~memory_file() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] bool ok() const noexcept { return fd_ >= 0; }
  [[nodiscard]] std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_ = -1;
};

class xls_handle {
 public:
  xls_handle() = default;
  xls_handle(const xls_handle&) = delete;
  xls_handle& operator=(const xls_handle&) = delete;
  ~xls_handle() {
    if (h_ != nullptr) freexl_close(h_);
  }
  const void** out() noexcept { return &h_; }
  [[nodiscard]] const void* get() const noexcept { return h_; }

 private:
  const void* h_ = nullptr;
};

error damaged(std::string message) { return make_error(errc::damaged_container, std::move(message)); }

}  // namespace

result<workbook_text> read_xls_with_freexl(std::string_view bytes, const workbook_limits& limits) {
  memory_file file(bytes);
  if (!file.ok())
    return make_error(errc::io_error, "cannot hold the XLS file in memory: " +
                                          std::make_error_code(std::errc(errno)).message());
  xls_handle xls;
  const int rc = freexl_open(file.path().c_str(), xls.out());
  if (rc != FREEXL_OK || xls.get() == nullptr) {
    if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND)
      return make_error(errc::unsupported_container,
                        "this is an OLE2 document (an old Word file or similar), not an Excel workbook");
    if (rc == FREEXL_INSUFFICIENT_MEMORY) return damaged("the XLS file needs more memory than is available");
    return damaged("the XLS file is damaged or cut short (freexl error " + std::to_string(rc) + ")");
  }
  unsigned int info = 0;
  if (freexl_get_info(xls.get(), FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED)
    return encrypted_workbook();
  unsigned int sheets = 0;
  if (freexl_get_info(xls.get(), FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK) sheets = 0;
  if (sheets == 0) return make_error(errc::no_worksheet, "the workbook has no worksheet");

  workbook_text out;
  out.container = "xls";
  for (unsigned short i = 0; i < sheets && i < 1024; ++i) {
    if (freexl_select_active_worksheet(xls.get(), i) != FREEXL_OK) continue;
    sheet_text& sheet = out.sheets.emplace_back();
    const char* name = nullptr;
    if (freexl_get_worksheet_name(xls.get(), i, &name) == FREEXL_OK && name != nullptr) sheet.name = name;
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_worksheet_dimensions(xls.get(), &rows, &cols) != FREEXL_OK) continue;
    sheet_writer w(sheet, limits.max_rows);
    for (unsigned int r = 0; r < rows; ++r) {
      if (!w.begin_row(r + 1)) break;
      for (unsigned short c = 0; c < cols; ++c) {
        FreeXL_CellValue v;
        if (freexl_get_cell_value(xls.get(), r, c, &v) != FREEXL_OK) continue;
        switch (v.type) {
          case FREEXL_CELL_INT: w.number(c, static_cast<double>(v.value.int_value)); break;
          case FREEXL_CELL_DOUBLE: w.number(c, v.value.double_value); break;
          case FREEXL_CELL_TEXT:
          case FREEXL_CELL_SST_TEXT:
          case FREEXL_CELL_TIME:
            if (v.value.text_value != nullptr) w.text(c, v.value.text_value);
            break;
          case FREEXL_CELL_DATE:
          case FREEXL_CELL_DATETIME:
            if (v.value.text_value != nullptr) w.iso_date(c, v.value.text_value);
            break;
          default: break;
        }
      }
    }
    w.finish();
  }
  if (out.sheets.empty()) return make_error(errc::no_worksheet, "the workbook has no readable worksheet");
  return out;
}

}  // namespace bankflow::test
