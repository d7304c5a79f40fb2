#pragma once
// Sicredi (COMPE 748): FORMATS.md §3.10.a (the only Sicredi text layout described).

#include "banks/layout.hpp"

namespace bankflow::detail {

void sicredi_preamble(std::string_view line, const csv_row& cells, layout_state& s);

// A preamble with `Cooperativa: NNNN` and `Conta: NNNNN-D`, then
// `Data,Descrição,Documento,Valor (R$),Saldo (R$)`, ',' separated, dot decimals; `Documento`
// holds the transaction type (PIX_DEB…) when there is no document number.
inline constexpr column sicredi_columns[] = {
    {"data", role::date},
    {"descricao", role::description},
    {"documento", role::document},
    {"valor (r$)", role::amount},
    {"saldo (r$)", role::balance},
};
// Only the spellings FORMATS.md shows: with a bare "Valor,Saldo" alias any generic
// `Data,Descrição,Documento,Valor,Saldo` export read as Sicredi.
inline constexpr header sicredi_headers[] = {header(sicredi_columns)};
inline constexpr std::string_view sicredi_hints[] = {"cooperativa:"};

inline constexpr csv_layout sicredi_extrato_csv{
    .id = "sicredi-extrato-csv",
    .bank = "sicredi",
    .kind = document_kind::extrato,
    .description = "Sicredi statement CSV: Data,Descrição,Documento,Valor (R$),Saldo (R$)",
    .separator = ',',
    .numbers = number_style::en,
    .dates = date_style::dmy,
    .headers = sicredi_headers,
    .hints = sicredi_hints,
    .hooks = {.preamble = sicredi_preamble},
};

}  // namespace bankflow::detail
