#pragma once
// Bradesco (COMPE 237): FORMATS.md §3.2. Records end with a lone CR (the reader splits on CR,
// LF and CRLF alike).

#include "banks/layout.hpp"

namespace bankflow::detail {

void bradesco_extrato_preamble(std::string_view line, const csv_row& cells, layout_state& s);
bool bradesco_extrato_section(const csv_row& row, layout_state& s);
bool bradesco_extrato_row(const csv_row& row, layout_state& s);
void bradesco_extrato_finish(layout_state& s);
void bradesco_fatura_preamble(std::string_view line, const csv_row& cells, layout_state& s);
bool bradesco_fatura_section(const csv_row& row, layout_state& s);

// §3.2.a and §3.2.b: the current `Lançamento`/`Dcto.` header and the older `Histórico`/`Docto.`
// one (with a trailing ';', dd/mm/yy dates and quoted amounts). Credit and debit columns: the
// CSV writes debits negative, the XLS unsigned [DERIVED]; the column decides the direction, so
// both read right. The older variant continues a description on a row starting with ';'.
inline constexpr column bradesco_extrato_columns[] = {
    {"data", role::date},
    {"lancamento|historico", role::description},
    {"dcto.|docto.|dcto|docto", role::document},
    {"credito (r$)|credito", role::credit},
    {"debito (r$)|debito", role::debit},
    {"saldo (r$)|saldo", role::balance},
};
inline constexpr header bradesco_extrato_headers[] = {header(bradesco_extrato_columns)};
// The footer (§3.2.a), read by the row and finish hooks so that none of its rows disappears:
// `Últimos Lançamentos` rows are transactions unless they repeat a row of the list (then a
// warning says so); `Saldos Invest Fácil / Plus` rows are balances of another product and
// `Lançamentos Futuros` rows are scheduled, each named in a warning. The `;Total;…` row is
// consumed by the section hook, not by a "total" skip prefix: a continuation line such as
// `; Total Express Ltda;;` is a counterparty name and must still be joined to the row above.
inline constexpr std::string_view bradesco_extrato_stop[] = {"os dados acima"};
inline constexpr std::string_view bradesco_extrato_skip[] = {"filtro de resultados", "extrato de"};
inline constexpr std::string_view bradesco_extrato_hints[] = {"extrato de:"};

inline constexpr csv_layout bradesco_extrato_csv{
    .id = "bradesco-extrato-csv",
    .bank = "bradesco",
    .kind = document_kind::extrato,
    .description = "Bradesco statement CSV: Data;Lançamento;Dcto.;Crédito (R$);Débito (R$);Saldo (R$) (and the Histórico/Docto. variant)",
    .separator = ';',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = bradesco_extrato_headers,
    .continuations = true,
    .stop_markers = bradesco_extrato_stop,
    .skip_markers = bradesco_extrato_skip,
    .hints = bradesco_extrato_hints,
    .hooks = {.preamble = bradesco_extrato_preamble,
              .section = bradesco_extrato_section,
              .row = bradesco_extrato_row,
              .finish = bradesco_extrato_finish},
};

// §3.2.c the card bill: `Data: dd/mm/yyyy hh:mm:ss` gives the year of the `dd/mm` dates; one
// section per card (`NAME ;;; 7433`) each with the header again; the R$ value is the last
// non-empty cell; purchases positive; the list ends at `Total da fatura em Real:`, after which
// come the summary and `Lançamentos programados` (installments of future bills).
inline constexpr column bradesco_fatura_columns[] = {
    {"data", role::date},
    {"historico", role::description},
    {"valor(us$)|valor (us$)", role::usd_amount},
    {"valor(r$)|valor (r$)", role::amount},
};
inline constexpr header bradesco_fatura_headers[] = {header(bradesco_fatura_columns)};
inline constexpr std::string_view bradesco_fatura_stop[] = {
    "total da fatura", "resumo das despesas", "lancamentos programados"};
inline constexpr std::string_view bradesco_fatura_skip[] = {"situacao da fatura", "data:"};
inline constexpr std::string_view bradesco_fatura_hints[] = {"situacao da fatura", "total da fatura em real"};

inline constexpr csv_layout bradesco_fatura_csv{
    .id = "bradesco-fatura-csv",
    .bank = "bradesco",
    .kind = document_kind::fatura,
    .description = "Bradesco card bill CSV: Data;Histórico;Valor(US$);Valor(R$); per card",
    .separator = ';',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .day_month = true,
    .headers = bradesco_fatura_headers,
    .negate = true,
    .amount_is_last_filled = true,
    .account = account_kind::credit_card,
    .stop_markers = bradesco_fatura_stop,
    .skip_markers = bradesco_fatura_skip,
    .hints = bradesco_fatura_hints,
    .hooks = {.preamble = bradesco_fatura_preamble, .section = bradesco_fatura_section},
};

}  // namespace bankflow::detail
