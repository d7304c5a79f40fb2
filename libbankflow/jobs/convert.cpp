// Converting an upload into the job's result files (convert.hpp).

#include "jobs/convert.hpp"

#include <bankflow/date.hpp>
#include <bankflow/export.hpp>

#include "jobs/queue_common.hpp"

#include <fstream>
#include <string>
#include <utility>

namespace bankflow::detail {
namespace {

namespace fs = std::filesystem;

// Writes `bytes` to a temporary name beside `path`, then renames it over `path`: a reader sees
// the old file, no file, or the whole new one.
result<void> write_atomically(const fs::path& path, std::string_view bytes) {
  fs::path tmp = path;
  tmp += ".tmp-" + new_receipt();
  const auto failed = [&](std::string why) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    auto e = make_error(errc::io_error, std::move(why));
    e.file = path.string();
    return e;
  };
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return failed("cannot create a result file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) return failed("cannot write a result file");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return failed("cannot rename a result file into place: " + ec.message());
  return {};
}

}  // namespace

result_files result_files_of(const job_paths& paths, std::string_view job_id) {
  return {paths.result(job_id, "csv"), paths.result(job_id, "excel-br"), paths.result(job_id, "json")};
}

result<job> convert_upload(std::string_view bytes, const parse_options& options, const result_files& out) {
  auto st = parse(bytes, options);
  if (!st) return st.error();
  // The same calls and options as `bankflow convert` (apps/cli/convert.cpp), so downloads are
  // byte for byte what the CLI writes.
  const std::pair<const fs::path*, std::string> outputs[] = {
      {&out.csv, to_csv(*st, csv_style::standard)},
      {&out.excel_br, to_csv(*st, csv_style::excel_br)},
      {&out.json, to_json(*st)},
  };
  for (const auto& [path, text] : outputs)
    if (auto ok = write_atomically(*path, text); !ok) return ok.error();
  job outcome;
  if (st->bank != nullptr && st->bank->id != "unknown") {
    outcome.bank = st->bank->id;
    outcome.bank_name = st->bank->name;
  }
  outcome.format = st->format;
  outcome.confidence = st->confidence;
  outcome.transactions = static_cast<std::int64_t>(st->transactions.size());
  outcome.skipped_rows = static_cast<std::int64_t>(st->skipped_rows.size());
  if (st->period_start) outcome.period_start = format_date(*st->period_start);
  if (st->period_end) outcome.period_end = format_date(*st->period_end);
  return outcome;
}

}  // namespace bankflow::detail
