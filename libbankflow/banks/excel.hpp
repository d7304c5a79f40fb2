#pragma once
// The banks' Excel exports (XLS and XLSX alike: the container is read by sheet/workbook.hpp and
// every worksheet becomes ';'-separated text with pt-BR numbers and dd/mm/yyyy date cells).
// Each layout is one table row like the CSV ones, most reusing their bank's CSV columns: the
// Excel file holds the same table with another preamble. Header cells are matched in order with
// the empty ones skipped, so merged-cell fillers (BTG's JasperReports sheet) do not matter.
// Sources: FORMATS.md §3.1.b, §3.2.a, §3.3.b, §3.4.g, §3.10; FORMATS-PDF.md §3.

#include "banks/bb.hpp"
#include "banks/bradesco.hpp"
#include "banks/itau.hpp"
#include "banks/layout.hpp"
#include "banks/santander.hpp"
#include "banks/sicredi.hpp"

namespace bankflow::detail {

void account_label_preamble(std::string_view line, const csv_row& cells, layout_state& s);

/// A bank's CSV layout read from its Excel export: the same table under another id, read from
/// the rendered sheet (';', pt-BR numbers; layout.hpp `spreadsheet`).
constexpr csv_layout excel_of(csv_layout l, std::string_view id, std::string_view description) {
  l.id = id;
  l.description = description;
  l.separator = ';';
  l.quoting = csv_quoting::rfc4180;
  l.numbers = number_style::pt_br;
  l.spreadsheet = true;
  return l;
}
double itau_fatura_xls_probe(std::string_view head);
bool itau_fatura_xls_section(const csv_row& row, layout_state& s);

// Itaú "Salvar em Excel" (BIFF, sheet `Lançamentos`): the CSV rendering's table (§3.1.b).
inline constexpr csv_layout itau_extrato_xls = excel_of(
    itau_extrato_csv, "itau-extrato-xls",
    "Itaú statement Excel (\"Salvar em Excel\", sheet Lançamentos): data | lançamento | ag./origem | valor (R$) | saldos (R$)");

// Itaú card bill "Excel" export (FORMATS-PDF.md §3.2): a stream of blocks, with no header above
// the first rows (the payments under `total da fatura anterior`, ISO text dates and `-R$ …` text
// amounts), then per card `<Name> - final NNNN (titular|adicional)` and the header again
// (`data | lançamento | | valor`, purchases positive numbers), then `encargos e serviços`. The
// columns are read by position; `aberta | R$ … | <due date>` gives the bill's total and due date;
// every `total …` line is a subtotal. A credit in a card block (`Devolucao Saldo Credor`) is
// written positive like a purchase: its wording makes it a credit.
inline constexpr column itau_fatura_xls_columns[] = {
    {"data", role::date},
    {"lancamento", role::description},
    {"", role::ignore},
    {"valor", role::amount},
};
inline constexpr header itau_fatura_xls_headers[] = {header(itau_fatura_xls_columns)};
inline constexpr std::string_view itau_fatura_xls_skip[] = {"total", "emitido em"};
inline constexpr std::string_view itau_fatura_xls_credits[] = {"devolucao", "estorno", "credito", "pagamento"};
inline constexpr csv_layout itau_fatura_xls{
    .id = "itau-fatura-xls",
    .bank = "itau",
    .kind = document_kind::fatura,
    .description = "Itaú card bill Excel (sheet Lançamentos): per card data | lançamento | valor, payments, encargos",
    .dates = date_style::automatic,
    .headers = itau_fatura_xls_headers,
    .headerless = true,
    .negate = true,
    .account = account_kind::credit_card,
    .skip_markers = itau_fatura_xls_skip,
    .credit_words = itau_fatura_xls_credits,
    .hooks = {.section = itau_fatura_xls_section, .probe = itau_fatura_xls_probe},
    .spreadsheet = true,
};

// Bradesco `.XLS` (often an XLSX inside): the CSV's columns with debits unsigned, a `Total` row,
// then `Saldos Invest Fácil`; one file can join two periods (a second SALDO ANTERIOR).
inline constexpr csv_layout bradesco_extrato_xls = excel_of(
    bradesco_extrato_csv, "bradesco-extrato-xls",
    "Bradesco statement Excel: Data | Lançamento | Dcto. | Crédito (R$) | Débito (R$) | Saldo (R$)");

// Santander XLSX (sheet `Sheet0`): `AGENCIA | 1234 | CONTA | …` first, newest first (§3.3.b).
inline constexpr csv_layout santander_extrato_xlsx = excel_of(
    santander_extrato_csv, "santander-extrato-xlsx",
    "Santander statement Excel (Sheet0): Data | Histórico | Documento | Valor (R$) | Saldo (R$)");

// Sicredi XLS: the CSV's columns under a `Cooperativa:`/`Conta:` preamble. The savings sheet
// writes `Valor (R$)` unsigned and starts each period with `Saldo a partir 04/05/12:` in the
// date column: the change of the balance gives each row's direction (§3.10.b).
inline constexpr csv_layout sicredi_extrato_xls = [] {
  csv_layout l = excel_of(sicredi_extrato_csv, "sicredi-extrato-xls",
                          "Sicredi statement Excel: Data | Descrição | Documento | Valor (R$) | Saldo (R$)");
  l.unsigned_amounts = true;
  return l;
}();

// Banco do Brasil XLSX (sheet `Extrato`, A1 `Extrato Conta Corrente`): the new CSV's columns.
inline constexpr std::string_view bb_xlsx_hints[] = {"extrato conta corrente"};
inline constexpr csv_layout bb_extrato_xlsx = [] {
  csv_layout l = excel_of(
      bb_extrato_csv_new, "bb-extrato-xlsx",
      "Banco do Brasil statement Excel (sheet Extrato): Data | Lançamento | Detalhes | Nº documento | Valor | Tipo Lançamento");
  l.hints = bb_xlsx_hints;
  l.hooks.preamble = account_label_preamble;
  return l;
}();

// BTG Pactual XLS (JasperReports, FORMATS-PDF.md §3.3): header on row 11 among merge fillers,
// `DD/MM/YYYY HH:MM` text dates, a signed numeric Valor, `Saldo Diário` balance rows at 23:59.
// The description is the transaction type and the counterparty; the category is BTG's own.
inline constexpr column btg_columns[] = {
    {"data e hora|data", role::date},
    {"categoria", role::ignore},
    {"transacao", role::description},
    {"descricao", role::description},
    {"valor", role::amount},
};
inline constexpr header btg_headers[] = {header(btg_columns)};
inline constexpr std::string_view btg_hints[] = {"extrato de conta corrente", "periodo do extrato:"};
// the footer: BTG's ombudsman line and its copyright line
inline constexpr std::string_view btg_skip[] = {"ouvidoria", "\u00A9btg pactual", "btg pactual - cnpj"};
inline constexpr csv_layout btg_extrato_xls{
    .id = "btg-extrato-xls",
    .bank = "btg",
    .kind = document_kind::extrato,
    .description = "BTG Pactual statement Excel: Data e hora | Categoria | Transação | Descrição | Valor",
    .headers = btg_headers,
    .skip_markers = btg_skip,
    .hints = btg_hints,
    .hooks = {.preamble = account_label_preamble},
    .spreadsheet = true,
};

// Mercado Pago `account_statement` XLSX (FORMATS-PDF.md §3.4): every cell text, a balance
// summary on rows 1–2, the header on row 4, `DD-MM-YYYY` dates, pt-BR amounts, the running
// balance; REFERENCE_ID is the movement's id.
inline constexpr column mercadopago_columns[] = {
    {"release_date", role::date},
    {"transaction_type", role::description},
    {"reference_id", role::fitid},
    {"transaction_net_amount", role::amount},
    {"partial_balance", role::balance},
};
inline constexpr header mercadopago_headers[] = {header(mercadopago_columns)};
inline constexpr std::string_view mercadopago_hints[] = {"initial_balance"};
inline constexpr csv_layout mercadopago_extrato_xlsx{
    .id = "mercadopago-extrato-xlsx",
    .bank = "mercadopago",
    .kind = document_kind::extrato,
    .description = "Mercado Pago account_statement Excel: RELEASE_DATE | TRANSACTION_TYPE | REFERENCE_ID | TRANSACTION_NET_AMOUNT | PARTIAL_BALANCE",
    .headers = mercadopago_headers,
    .hints = mercadopago_hints,
    .spreadsheet = true,
};

}  // namespace bankflow::detail
