#pragma once
// Banco do Brasil (COMPE 001) CSV statements: FORMATS.md §3.4.c and §3.4.d. (The OFX goes
// through the OFX parser and the Ourocard text bill through bb_ourocard.cpp.)

#include "banks/layout.hpp"

namespace bankflow::detail {

// §3.4.c old layout (up to about 2020): every field quoted, ',' separated, every line ends with
// a comma; dot decimals; `Saldo Anterior` first and `S A L D O` last are balances.
inline constexpr column bb_old_columns[] = {
    {"data", role::date},
    {"dependencia origem", role::ignore},
    {"historico", role::description},
    {"data do balancete", role::ignore},
    {"numero do documento", role::document},
    {"valor", role::amount},
};
inline constexpr header bb_old_headers[] = {header(bb_old_columns)};

inline constexpr csv_layout bb_extrato_csv_old{
    .id = "bb-extrato-csv-old",
    .bank = "bb",
    .kind = document_kind::extrato,
    .description = "Banco do Brasil statement CSV, old layout: \"Data\",\"Dependencia Origem\",\"Histórico\",…,\"Valor\",",
    .separator = ',',
    .numbers = number_style::en,
    .dates = date_style::dmy,
    .headers = bb_old_headers,
};

// §3.4.d new layout (2024–): quoted, pt-BR signed amounts, `Entrada`/`Saída` in the last
// column, `Nº`/`N°` documento, balance rows with an empty direction, `Saldo Final` dated
// 00/00/0000. The description joins `Lançamento` and `Detalhes`.
inline constexpr column bb_new_columns[] = {
    {"data", role::date},
    {"lancamento", role::description},
    {"detalhes", role::description},
    {"no documento|n documento|numero documento|no do documento", role::document},
    {"valor", role::amount},
    {"tipo lancamento", role::direction},
};
inline constexpr header bb_new_headers[] = {header(bb_new_columns)};

inline constexpr csv_layout bb_extrato_csv_new{
    .id = "bb-extrato-csv",
    .bank = "bb",
    .kind = document_kind::extrato,
    .description = "Banco do Brasil statement CSV: \"Data\",\"Lançamento\",\"Detalhes\",\"Nº documento\",\"Valor\",\"Tipo Lançamento\"",
    .separator = ',',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = bb_new_headers,
};

}  // namespace bankflow::detail
