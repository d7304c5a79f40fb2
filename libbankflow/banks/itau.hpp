#pragma once
// Itaú Unibanco (COMPE 341): FORMATS.md §3.1.

#include "banks/layout.hpp"

namespace bankflow::detail {

double itau_txt_probe(std::string_view head);
void itau_preamble(std::string_view line, const csv_row& cells, layout_state& s);

// §3.1.a the legacy TXT/"CSV": no header, `dd/mm/yyyy;<description>;-1290,00`, the description
// padded to 24 characters (files with other widths occur: the pattern decides, itau_txt_probe).
// Only its line pattern identifies it. [CODE] balance rows (SALDO ANTERIOR, SALDO DO DIA) may
// appear: the generic balance-row rule handles them.
inline constexpr column itau_txt_columns[] = {
    {"data", role::date},
    {"lancamento", role::description},
    {"valor", role::amount},
};
inline constexpr header itau_txt_headers[] = {header(itau_txt_columns)};

inline constexpr csv_layout itau_extrato_txt{
    .id = "itau-extrato-txt",
    .bank = "itau",
    .kind = document_kind::extrato,
    .description = "Itaú statement TXT without header: date;description (usually 24 characters wide);amount",
    .separator = ';',
    .quoting = csv_quoting::none,
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = itau_txt_headers,
    .headerless = true,
    .hooks = {.probe = itau_txt_probe},
};

// §3.1.b the "Salvar em Excel" rendering: 8 preamble lines (Agência:/Conta:), the header with a
// trailing ';', a `lançamentos` marker line, balance rows with the amount empty and the balance
// filled, and everything after `lançamentos futuros` scheduled, not posted.
inline constexpr column itau_csv_columns[] = {
    {"data", role::date},
    {"lancamento", role::description},
    {"ag./origem|ag/origem|agencia/origem", role::ignore},
    {"valor (r$)|valor", role::amount},
    {"saldos (r$)|saldo (r$)|saldos", role::balance},
};
inline constexpr header itau_csv_headers[] = {header(itau_csv_columns)};
inline constexpr std::string_view itau_csv_scheduled[] = {"lancamentos futuros", "saidas futuras",
                                                          "entradas futuras"};
inline constexpr std::string_view itau_csv_skip[] = {"lancamentos"};
inline constexpr std::string_view itau_csv_hints[] = {"logotipo itau", "atualizacao:"};

inline constexpr csv_layout itau_extrato_csv{
    .id = "itau-extrato-csv",
    .bank = "itau",
    .kind = document_kind::extrato,
    .description = "Itaú statement saved from Excel as CSV: data;lançamento;ag./origem;valor (R$);saldos (R$);",
    .separator = ';',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = itau_csv_headers,
    .skip_markers = itau_csv_skip,
    .scheduled_markers = itau_csv_scheduled,
    .hints = itau_csv_hints,
    .hooks = {.preamble = itau_preamble},
};

// The 2025 three-column statement CSV (not in FORMATS.md yet): UTF-8 with BOM, CRLF, `data;lançamento;valor (R$)`.
// No balance column: balance rows (`SALDO ANTERIOR`, `SALDO TOTAL DISPONÍVEL DIA`, the latter
// written by the bank itself as mojibake, `DISPONÃ\u008dVEL` or cut at `DISPONÃ`) leave the amount
// empty, and the scheduled entries come last, after `lançamentos futuros` / `saídas futuras`.
inline constexpr column itau_csv3_columns[] = {
    {"data", role::date},
    {"lancamento", role::description},
    {"valor (r$)|valor", role::amount},
};
inline constexpr header itau_csv3_headers[] = {header(itau_csv3_columns)};

inline constexpr csv_layout itau_extrato_csv3{
    .id = "itau-extrato-csv-3col",
    .bank = "itau",
    .kind = document_kind::extrato,
    .description = "Itaú statement CSV of 2025, three columns: data;lançamento;valor (R$)",
    .separator = ';',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = itau_csv3_headers,
    .skip_markers = itau_csv_skip,
    .scheduled_markers = itau_csv_scheduled,
};

// §3.1.d the card bill: "data,lançamento,valor", ISO dates, dot decimals without trailing zeros,
// purchases positive.
inline constexpr column itau_fatura_columns[] = {
    {"data", role::date},
    {"lancamento", role::description},
    {"valor", role::amount},
};
inline constexpr header itau_fatura_headers[] = {header(itau_fatura_columns)};

inline constexpr csv_layout itau_fatura_csv{
    .id = "itau-fatura-csv",
    .bank = "itau",
    .kind = document_kind::fatura,
    .description = "Itaú card bill CSV: data,lançamento,valor",
    .separator = ',',
    .numbers = number_style::en,
    .dates = date_style::iso,
    .headers = itau_fatura_headers,
    .negate = true,
    .account = account_kind::credit_card,
};

}  // namespace bankflow::detail
