#include "output.hpp"

#include <bankflow/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>
#include <unistd.h>

namespace bankflow::cli {

namespace fs = std::filesystem;

namespace {

void append_part(std::string& out, std::string_view part) {
  if (part.empty()) return;
  out += part;
  out += ": ";
}

}  // namespace

std::string describe(const bankflow::error& e, std::string_view kind) {
  std::string out;
  append_part(out, e.location());
  append_part(out, kind);
  if (e.code != errc::ok) append_part(out, to_string(e.code));
  append_part(out, e.field);
  out += e.text();
  return out;
}

void print_error(const bankflow::error& e, std::string_view kind) {
  std::fprintf(stderr, "bankflow: %s\n", describe(e, kind).c_str());
}

void print_error(std::string_view message) {
  bankflow::error e;
  e.message = message;
  print_error(e);
}

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

result<std::string> read_input(const std::string& path) {
  if (path != "-") {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      auto e = make_error(errc::io_error, "is a directory");
      e.file = path;
      return e;
    }
    return read_file(path);
  }
  std::string data(std::istreambuf_iterator<char>(std::cin), {});
  if (std::cin.bad()) {
    auto e = make_error(errc::io_error, "cannot read standard input");
    e.file = "<stdin>";
    return e;
  }
  return data;
}

result<std::vector<std::string>> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec)) {
      std::vector<std::string> files;
      for (const auto& entry : fs::directory_iterator(in, ec))
        if (entry.is_regular_file()) files.push_back(entry.path().string());
      if (ec) {
        auto e = make_error(errc::io_error, "cannot list the directory: " + ec.message());
        e.file = in;
        return e;
      }
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(in);
    }
  }
  return out;
}

result<void> write_output(const std::string& path, std::string_view data) {
  if (path.empty() || path == "-") {
    if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size() || std::fflush(stdout) != 0)
      return make_error(errc::io_error, "cannot write to standard output");
    return {};
  }
  const fs::path target(path);
  std::error_code st_ec;
  const auto status = fs::status(target, st_ec);
  if (!st_ec && fs::exists(status) && !fs::is_regular_file(status)) {
    // a device, FIFO or the like (/dev/null, /dev/stdout): write into it, never replace it
    std::ofstream f(target, std::ios::binary);
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
    f.flush();
    if (!f) {
      auto e = make_error(errc::io_error, "cannot write the output");
      e.file = path;
      return e;
    }
    return {};
  }
  fs::path tmp = target;
  tmp += ".part";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) {
      auto e = make_error(errc::io_error, "cannot create the output file");
      e.file = path;
      return e;
    }
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
    f.close();
    if (!f) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      auto e = make_error(errc::io_error, "cannot write the output file");
      e.file = path;
      return e;
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    auto e = make_error(errc::io_error, "cannot move the output into place");
    e.file = path;
    return e;
  }
  return {};
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

namespace {

// Characters of UTF-8 text as a terminal shows them (one per code point).
std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - display_width(row[i]) + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);  // an empty last cell leaves no trailing spaces
    std::cout << line << '\n';
  }
}

}  // namespace bankflow::cli
