#pragma once
// Santander Brasil (COMPE 033): FORMATS.md §3.3.

#include "banks/layout.hpp"

namespace bankflow::detail {

void santander_extrato_preamble(std::string_view line, const csv_row& cells, layout_state& s);
void santander_fatura_preamble(std::string_view line, const csv_row& cells, layout_state& s);
bool santander_fatura_section(const csv_row& row, layout_state& s);

// §3.3.b: `AGENCIA;"1234";CONTA;"130012345"`, a blank line, an unquoted header, fully quoted
// rows that may hold ';' inside a description, newest first (the file order is kept).
inline constexpr column santander_extrato_columns[] = {
    {"data", role::date},
    {"historico", role::description},
    {"documento", role::document},
    {"valor (r$)", role::amount},
    {"saldo (r$)", role::balance},
};
// Only the spellings FORMATS.md shows: a bare "Valor;Saldo" would make every generic
// `Data;Histórico;Documento;Valor;Saldo` export (other banks, cooperatives) read as Santander.
inline constexpr header santander_extrato_headers[] = {header(santander_extrato_columns)};
// `AGENCIA;"1234";CONTA;"…"`: the cells with their separators, not the bare words, which any
// preamble ("Agência: 0001 Conta: …") holds.
inline constexpr std::string_view santander_extrato_hints[] = {"agencia;", ";conta;"};

inline constexpr csv_layout santander_extrato_csv{
    .id = "santander-extrato-csv",
    .bank = "santander",
    .kind = document_kind::extrato,
    .description = "Santander statement CSV: Data;Histórico;Documento;Valor (R$);Saldo (R$)",
    .separator = ';',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = santander_extrato_headers,
    .hints = santander_extrato_hints,
    .hooks = {.preamble = santander_extrato_preamble},
};

// §3.3.c [REAL?] the card bill's Excel export saved as CSV: `Lançamentos,,,`, per card a
// `Cartão,Final 1111,,` (or `Cartão on-line,…`) and `Titular,…` block with the header again;
// pt-BR amounts (quoted when they hold a comma) that lost their trailing zeros; after a row of
// empty cells, the `Resumo de despesas` summary, which holds no transactions.
inline constexpr column santander_fatura_columns[] = {
    {"data", role::date},
    {"descricao", role::description},
    {"valor (us$)", role::usd_amount},
    {"valor (r$)", role::amount},
};
inline constexpr header santander_fatura_headers[] = {header(santander_fatura_columns)};
inline constexpr std::string_view santander_fatura_stop[] = {"resumo de despesas"};
inline constexpr std::string_view santander_fatura_skip[] = {"titular", "lancamentos"};
inline constexpr std::string_view santander_fatura_hints[] = {"lancamentos", "cartao", "final"};

inline constexpr csv_layout santander_fatura_csv{
    .id = "santander-fatura-csv",
    .bank = "santander",
    .kind = document_kind::fatura,
    .description = "Santander card bill (Excel saved as CSV): Data,Descrição,Valor (US$),Valor (R$) per card",
    .separator = ',',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = santander_fatura_headers,
    .negate = true,
    .account = account_kind::credit_card,
    .stop_markers = santander_fatura_stop,
    .skip_markers = santander_fatura_skip,
    .hints = santander_fatura_hints,
    .hooks = {.preamble = santander_fatura_preamble, .section = santander_fatura_section},
};

}  // namespace bankflow::detail
