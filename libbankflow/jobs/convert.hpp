#pragma once
// Converting one upload into a job's four result files, in this process (convert_upload) or in
// a child process under limits (convert_isolated, pdf_reader.cpp).

#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/rules.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

namespace bankflow::detail {

/// Where a job's outputs go, and the keys that seal them (null: plaintext).
struct result_files {
  std::filesystem::path csv, excel_br, json, xlsx;
  std::shared_ptr<const data_key_ring> keys{};
};
[[nodiscard]] result_files result_files_of(const job_paths& paths, std::string_view job_id);

/// Parses the upload and writes the four result files (the workbook's private temporary file
/// next to them); the outcome carries what the job shows
/// (bank, format, counts, period).
[[nodiscard]] result<job> convert_upload(std::string_view bytes, const parse_options& options,
                                         const result_files& out);

/// A job's category rules (job_paths::rules), opened with `keys`; nothing when the job has none.
/// Errors: io_error (unreadable: transient), invalid_argument (not rules: checked at upload, so
/// only a file changed since).
[[nodiscard]] result<std::optional<rules_file>> read_job_rules(const std::filesystem::path& file,
                                                               const data_key_ring* keys);

/// convert_upload of the file `upload` in a child process under `limits`: a PDF that exhausts
/// the memory, CPU or wall-clock limit, or crashes the reader, fails its job; the caller goes on.
/// `rules` (empty: none) is the job's rules file (job_paths::rules), which an exec'd child reads
/// itself; a forked one inherits options.category_rules.
[[nodiscard]] result<job> convert_isolated(const std::filesystem::path& upload, const parse_options& options,
                                           const result_files& out, const pdf_limits& limits,
                                           const std::filesystem::path& rules = {});

}  // namespace bankflow::detail
