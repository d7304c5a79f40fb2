// Converting an upload into the job's result files (convert.hpp).

#include "jobs/convert.hpp"

#include <bankflow/date.hpp>
#include <bankflow/export.hpp>

#include <string>
#include <utility>

namespace bankflow::detail {

namespace fs = std::filesystem;

result_files result_files_of(const job_paths& paths, std::string_view job_id) {
  return {paths.result(job_id, "csv"), paths.result(job_id, "excel-br"), paths.result(job_id, "json"),
          paths.result(job_id, "xlsx"), paths.keys};
}

result<std::optional<rules_file>> read_job_rules(const fs::path& file, const data_key_ring* keys) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (ec) return make_error(errc::io_error, "cannot look for the job's rules file");
    return std::optional<rules_file>();
  }
  auto text = read_data_file(file, keys);
  if (!text) return text.error();
  auto rules = parse_rules(*text, "rules");
  if (!rules) return rules.error();
  return std::optional<rules_file>(std::move(*rules));
}

result<job> convert_upload(std::string_view bytes, const parse_options& options, const result_files& out) {
  auto st = parse(bytes, options);
  if (!st) return st.error();
  auto workbook = to_xlsx(*st, {.temp_dir = out.xlsx.parent_path()});
  if (!workbook) return workbook.error();
  // The same calls and options as `bankflow convert` (apps/cli/convert.cpp), so downloads are
  // byte for byte what the CLI writes.
  const std::pair<const fs::path*, std::string> outputs[] = {
      {&out.csv, to_csv(*st, csv_style::standard)},
      {&out.excel_br, to_csv(*st, csv_style::excel_br)},
      {&out.json, to_json(*st)},
      {&out.xlsx, std::move(*workbook)},
  };
  for (const auto& [path, text] : outputs)
    if (auto ok = write_data_file(*path, text, out.keys.get()); !ok) return ok.error();
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
