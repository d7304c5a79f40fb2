#pragma once
/// @file Writing a statement as the normalized CSV and JSON (ARCHITECTURE.md).

#include <bankflow/statement.hpp>

#include <string>

namespace bankflow {

/// Which CSV convention to write.
enum class csv_style {
  standard,  ///< RFC 4180, UTF-8, ',' and '.' decimals, no BOM
  excel_br,  ///< what Excel in pt-BR opens cleanly: ';', decimal comma, UTF-8 BOM, CRLF
};

/// The normalized CSV: header `date,description,amount,balance,document,fitid,bank,account`.
/// Text cells that start with =, +, -, @, tab or CR are prefixed with ' so spreadsheets never
/// run them as formulas.
[[nodiscard]] std::string to_csv(const statement& st, csv_style style = csv_style::standard);

/// Appends to_csv's rows (without the header and BOM) to out.
void append_csv_rows(std::string& out, const statement& st, csv_style style = csv_style::standard);

/// The normalized JSON document, amounts as decimal strings, `bank` as an object with `id`.
/// Files with more than one account add "accounts" and an "account" index per transaction.
[[nodiscard]] std::string to_json(const statement& st);

}  // namespace bankflow
