#include "convert.hpp"

#include "output.hpp"

#include <bankflow/export.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/rules.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

namespace bankflow::cli {

namespace {

namespace fs = std::filesystem;

// One output per input into a directory when -o names a directory (existing, or ending in '/'),
// or when there are several inputs and -o is given.
bool output_is_directory(const std::string& output, std::size_t inputs) {
  if (output.empty() || output == "-") return false;
  std::error_code ec;
  if (fs::is_directory(output, ec)) return true;
  return output.back() == '/' || inputs > 1;
}

std::string output_name(const std::string& input, const std::string& dir, std::string_view ext) {
  fs::path name = input == "-" ? fs::path("stdin") : fs::path(input).filename();
  name.replace_extension(ext);
  return (fs::path(dir) / name).string();
}

// Where the skipped rows' CSV goes for an output file: out.csv → out.skipped.csv. None for
// standard output or a device (/dev/null): stderr and the JSON list the rows there.
std::string side_report_path(const std::string& output) {
  if (output.empty() || output == "-") return {};
  std::error_code ec;
  const auto status = fs::status(output, ec);
  if (!ec && fs::exists(status) && !fs::is_regular_file(status)) return {};
  fs::path p(output);
  p.replace_extension(".skipped.csv");
  return p.string();
}

// An -o that names a regular file (or nothing yet): a workbook is written straight into it.
bool is_file_target(const std::string& output) {
  if (output.empty() || output == "-") return false;
  std::error_code ec;
  const auto status = fs::status(output, ec);
  return ec || !fs::exists(status) || fs::is_regular_file(status);
}

// One statement's workbook: straight to a file (write_xlsx), or its bytes to standard output or
// a device.
result<void> write_workbook(const std::string& output, const statement& st) {
  if (is_file_target(output)) return write_xlsx(st, output);
  auto bytes = to_xlsx(st);
  if (!bytes) return bytes.error();
  return write_output(output, *bytes);
}

// A workbook is binary: never onto a terminal, and one per input. An empty message: fine.
std::string workbook_target_problem(const std::string& output, std::size_t inputs, bool to_dir) {
  if (to_dir) return {};
  if (inputs > 1) return "--to xlsx writes one workbook per input: name a directory with -o DIR/";
  if ((output.empty() || output == "-") && stdout_is_terminal())
    return "--to xlsx writes a binary workbook: name a file with -o out.xlsx, or pipe standard output";
  return {};
}

// One stderr line per skipped row: "bankflow: file:line: skipped row: code: field: message".
void print_skipped(const std::string& name, const statement& st) {
  for (const auto& r : st.skipped_rows) {
    error e = make_error(r.code, r.message, r.line, r.field);
    e.file = name;
    if (!r.sheet.empty()) e.cell = r.sheet + (r.cell.empty() ? "" : "!" + r.cell);
    print_error(e, "skipped row");
  }
}

void print_warnings(const std::string& name, const statement& st) {
  for (const auto& w : st.warnings) {
    error e = make_error(errc::ok, w.message, w.line);
    e.file = name;
    print_error(e, "warning");
  }
}

class progress_bar {
 public:
  progress_bar(std::size_t total, bool enabled) : total_(total), enabled_(enabled && total > 1) {}
  void update(std::size_t done, const std::string& name) {
    if (!enabled_) return;
    constexpr std::size_t width = 30;
    const std::size_t filled = total_ ? done * width / total_ : width;
    std::string bar(filled, '#');
    bar.resize(width, ' ');
    std::string shown = name.size() > 40 ? "…" + name.substr(name.size() - 39) : name;
    std::fprintf(stderr, "\r[%s] %zu/%zu %-40s", bar.c_str(), done, total_, shown.c_str());
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) std::fprintf(stderr, "\r%80s\r", "");
  }

 private:
  std::size_t total_;
  bool enabled_;
};

// "A-B", "A-", "-B", "A" → {first, last} (0 = open end).
std::optional<std::pair<unsigned, unsigned>> page_range(const std::string& text) {
  auto number = [](std::string_view s, unsigned& out) {
    if (s.empty()) return true;
    if (s.size() > 6 || s.find_first_not_of("0123456789") != std::string_view::npos) return false;
    out = static_cast<unsigned>(std::stoul(std::string(s)));
    return out > 0;
  };
  const std::size_t dash = text.find('-');
  unsigned first = 0, last = 0;
  if (dash == std::string::npos) {
    if (text.empty() || !number(text, first)) return std::nullopt;
    return std::pair{first, first};
  }
  if (!number(std::string_view(text).substr(0, dash), first) ||
      !number(std::string_view(text).substr(dash + 1), last) || (first == 0 && last == 0) ||
      (last != 0 && last < first))
    return std::nullopt;
  return std::pair{first, last};
}

}  // namespace

command setup_convert(CLI::App& app) {
  auto o = std::make_shared<convert_options>();
  auto* cmd = app.add_subcommand("convert", "Convert bank statements to the normalized CSV or JSON, or an Excel workbook");
  cmd->add_option("files", o->inputs, "Statement files or directories; - reads standard input")
      ->required();
  cmd->add_option("-o,--output", o->output,
                  "Output file, or a directory (one output per input); default standard output");
  cmd->add_option("--to", o->to,
                  "Output format: csv, json, or xlsx (an Excel workbook: a sheet per account with dates and R$ "
                  "amounts, a monthly summary; needs -o FILE or a pipe)")
      ->check(CLI::IsMember({"csv", "json", "xlsx"}));
  cmd->add_option("--style", o->style, "CSV style: standard, or excel-br (';', decimal comma, BOM)")
      ->check(CLI::IsMember({"standard", "excel-br"}));
  cmd->add_flag_callback("--excel-br", [o] { o->style = "excel-br"; }, "Same as --style excel-br");
  cmd->add_option("--bank", o->bank, "Force the bank (see `bankflow banks`)");
  cmd->add_option("--format", o->format, "Force the format (see `bankflow banks`)");
  cmd->add_flag("-v,--verbose", o->verbose, "Print each file's warnings (skipped balance rows …)");
  cmd->add_flag("!--no-progress", o->progress, "No progress bar");
  cmd->add_flag("--skip-bad-rows", o->skip_bad_rows,
                "Convert every readable row and list the unreadable ones (bad amount or date, wrong "
                "shape) on stderr, in the JSON's skipped_rows and, with -o FILE, in FILE.skipped.csv; "
                "exit status 3 when a row was skipped");
  cmd->add_option("--password", o->password,
                  "PDFs: the document's password (banks often use digits of the holder's CPF); never stored");
  cmd->add_option("--pages", o->pages, "PDFs: read only these pages, e.g. 3-10, 5- or 7 (1-based)");
  cmd->add_option("--rules", o->rules,
                  "Category rules (JSON) tried before the shipped ones; check them with `bankflow rules test`");
  return {cmd, [o] { return run_convert(*o); }};
}

int run_convert(const convert_options& o) {
  const bool json = o.to == "json";
  const bool xlsx = o.to == "xlsx";
  const std::string_view extension = json ? ".json" : xlsx ? ".xlsx" : ".csv";
  const csv_style style = o.style == "excel-br" ? csv_style::excel_br : csv_style::standard;
  auto inputs = expand_inputs(o.inputs);
  if (!inputs) {
    print_error(inputs.error());
    return exit_data_error;
  }
  if (inputs->empty()) {
    print_error("no input files");
    return exit_usage;
  }
  const bool to_dir = output_is_directory(o.output, inputs->size());
  if (const std::string problem = xlsx ? workbook_target_problem(o.output, inputs->size(), to_dir) : "";
      !problem.empty()) {
    print_error(problem);
    return exit_usage;
  }
  if (to_dir) {
    std::error_code ec;
    fs::create_directories(o.output, ec);
    if (ec) {
      print_error("cannot create the output directory " + o.output + ": " + ec.message());
      return exit_data_error;
    }
  }

  std::pair<unsigned, unsigned> pages{0, 0};
  if (!o.pages.empty()) {
    auto r = page_range(o.pages);
    if (!r) {
      print_error("--pages \"" + o.pages + "\" is not a page range: write 3-10, 5- or 7");
      return exit_usage;
    }
    pages = *r;
  }
  const bool terminal = o.progress && stderr_is_terminal();
  std::optional<rules_file> rules;
  if (!o.rules.empty()) {
    auto loaded = load_rules(o.rules);
    if (!loaded) {
      print_error(loaded.error());
      return exit_data_error;
    }
    rules = std::move(*loaded);
  }

  std::string combined;  // everything for one output (stdout or one file)
  std::string skipped_report = o.skip_bad_rows ? skipped_rows_to_csv(statement{}) : std::string();
  std::size_t converted = 0, skipped = 0;
  std::vector<std::string> failed;
  progress_bar bar(inputs->size(), o.progress && stderr_is_terminal());
  for (std::size_t i = 0; i < inputs->size(); ++i) {
    const std::string& input = (*inputs)[i];
    const std::string name = display_name(input);
    bar.update(i, name);
    auto bytes = read_input(input);
    if (!bytes) {
      bar.finish();
      print_error(bytes.error());
      failed.push_back(name);
      continue;
    }
    parse_options popt;
    popt.bank = o.bank;
    popt.format = o.format;
    popt.file_name = name;
    popt.skip_bad_rows = o.skip_bad_rows;
    popt.password = o.password;
    if (rules) popt.category_rules = &rules->rules;
    popt.first_page = pages.first;
    popt.last_page = pages.second;
    if (terminal)  // a long PDF: pages read so far, on the same line
      popt.progress = [&name](unsigned done, unsigned total) {
        if (total < 5) return;
        std::fprintf(stderr, "\r%s: page %u of %u ", name.c_str(), done, total);
        if (done == total) std::fprintf(stderr, "\r%*s\r", static_cast<int>(name.size() + 24), "");
        std::fflush(stderr);
      };
    auto st = parse(*bytes, popt);
    if (!st) {
      bar.finish();
      print_error(st.error());
      failed.push_back(name);
      continue;
    }
    if (o.verbose) print_warnings(name, *st);
    if (!st->skipped_rows.empty()) {
      bar.finish();
      print_skipped(name, *st);
      skipped += st->skipped_rows.size();
    }

    if (to_dir || xlsx) {  // one output per input
      const std::string out = to_dir ? output_name(input, o.output, extension) : o.output;
      auto w = xlsx ? write_workbook(out, *st) : write_output(out, json ? to_json(*st) : to_csv(*st, style));
      if (!w) {
        print_error(w.error());
        failed.push_back(name);
        continue;
      }
      if (o.skip_bad_rows && to_dir) {
        if (auto r = write_output(side_report_path(out), skipped_rows_to_csv(*st)); !r) {
          print_error(r.error());
          failed.push_back(name);
          continue;
        }
      }
    } else if (json) {
      // several documents to one output: a JSON array
      if (inputs->size() > 1) combined += converted == 0 ? "[\n" : ",\n";
      // one input's document is moved, not copied: a second copy of tens of MB is the peak
      if (combined.empty()) combined = to_json(*st);
      else combined += to_json(*st);
    } else if (converted == 0) {
      combined = to_csv(*st, style);
    } else {
      append_csv_rows(combined, *st, style);
    }
    if (o.skip_bad_rows) append_skipped_rows_csv(skipped_report, *st);
    ++converted;
  }
  bar.update(inputs->size(), "");
  bar.finish();

  if (!to_dir && converted > 0) {
    if (json && inputs->size() > 1) combined += "]\n";
    if (auto w = xlsx ? result<void>() : write_output(o.output, combined); !w) {
      print_error(w.error());
      return exit_data_error;
    }
    // written even when nothing was skipped, so a report from an earlier run never lingers
    if (const std::string report = side_report_path(o.output); o.skip_bad_rows && !report.empty()) {
      if (auto r = write_output(report, skipped_report); !r) {
        print_error(r.error());
        return exit_data_error;
      }
    }
  }
  if (!failed.empty()) {
    if (inputs->size() > 1) {
      std::string list;
      for (const auto& f : failed) list += (list.empty() ? "" : ", ") + f;
      print_error(std::to_string(failed.size()) + " of " + std::to_string(inputs->size()) +
                  " files failed: " + list);
    }
    return exit_data_error;
  }
  if (skipped > 0) {
    std::string summary = std::to_string(skipped) + (skipped == 1 ? " row" : " rows") +
                          " skipped (listed above";
    if (const std::string report = to_dir ? o.output : side_report_path(o.output); !report.empty())
      summary += to_dir ? " and in each output's .skipped.csv" : " and in " + report;
    print_error(summary + ")");
    return exit_skipped_rows;
  }
  return exit_ok;
}

}  // namespace bankflow::cli
