#pragma once
/// @file Writing a statement as the normalized CSV and JSON, or as an Excel workbook (ARCHITECTURE.md).

#include <bankflow/json.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/statement.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

/// Which CSV convention to write.
enum class csv_style {
  standard,  ///< RFC 4180, UTF-8, ',' and '.' decimals, no BOM
  excel_br,  ///< what Excel in pt-BR opens cleanly: ';', decimal comma, UTF-8 BOM, CRLF
};

/// The normalized CSV: header `date,description,amount,balance,document,fitid,bank,account`, then
/// the enrichment columns `kind,kind_source,counterparty_name,counterparty_document,
/// counterparty_bank,installment_number,installment_count,foreign_currency,foreign_amount,
/// foreign_rate,merchant,category` (empty when the statement was not enriched).
/// Text cells that start with =, +, -, @, tab or CR are prefixed with ' so spreadsheets never
/// run them as formulas.
[[nodiscard]] std::string to_csv(const statement& st, csv_style style = csv_style::standard);

/// Appends to_csv's rows (without the header and BOM) to out.
void append_csv_rows(std::string& out, const statement& st, csv_style style = csv_style::standard);

/// The normalized JSON document, amounts as decimal strings, `bank` as an object with `id`.
/// Files with more than one account add "accounts" (with each one's balances) and the account
/// number as "account" on every transaction. Rows left out by parse_options::skip_bad_rows are
/// listed last, as "skipped_rows" (the key is there only when some row was skipped).
[[nodiscard]] std::string to_json(const statement& st);

/// A skipped row's message as every output shows it: "field: message" (the message alone when
/// the row has no field).
[[nodiscard]] std::string skipped_row_message(const skipped_row& row);

/// The skipped rows (parse_options::skip_bad_rows) as CSV, the side report `bankflow convert
/// --skip-bad-rows -o out.csv` writes to out.skipped.csv: header `line,sheet,cell,code,message,raw`
/// (RFC 4180, UTF-8; sheet and cell empty for text files; text guarded against formulas as in
/// to_csv), one row per skipped row, in file order.
[[nodiscard]] std::string skipped_rows_to_csv(const statement& st);

/// Appends skipped_rows_to_csv's rows (without the header) to out.
void append_skipped_rows_csv(std::string& out, const statement& st);

/// How to_xlsx and write_xlsx work.
struct xlsx_options {
  /// Where to_xlsx keeps its private temporary file (mkstemp, 0600, removed on every path) and
  /// libxlsxwriter its parts; empty: std::filesystem::temp_directory_path() ($TMPDIR, else /tmp).
  std::filesystem::path temp_dir{};
};

/// The statement as an Excel workbook (the bytes of an .xlsx; docs/FORMATS-OUT.md "XLSX"): one
/// sheet per account with typed dates and R$ numbers under a frozen, filtered header, a
/// "Resumo" sheet of monthly totals, and a "Linhas ignoradas" sheet for skipped rows. The same
/// statement gives the same bytes. Text is always written as text, never as a formula.
/// Errors: io_error (the temporary file), limit_exceeded (more rows than a sheet holds),
/// amount_overflow (a month's total beyond int64).
[[nodiscard]] result<std::string> to_xlsx(const statement& st, const xlsx_options& options = {});

/// to_xlsx's workbook written to `path` through a temporary file next to it, renamed into place
/// (a failure never leaves half a file; nothing is held in memory). Errors: as to_xlsx.
[[nodiscard]] result<void> write_xlsx(const statement& st, const std::filesystem::path& path,
                                      const xlsx_options& options = {});

/// Detection as JSON: {"bank": "bb", "bank_code": "", "format": "ofx", "confidence": 1.00,
/// "candidates": [{"bank": …, "format": …, "confidence": …}, …]}; bank is null when unknown.
[[nodiscard]] std::string to_json(const std::vector<candidate>& candidates);

/// The supported banks and their formats as JSON: [{"id", "name", "compe", "formats": [...]}].
[[nodiscard]] std::string banks_to_json();

}  // namespace bankflow
