#pragma once
// Caixa Econômica Federal (COMPE 104): FORMATS.md §3.5.a.

#include "banks/layout.hpp"

namespace bankflow::detail {

// Every field quoted, ';' separated, the 22-digit account on every row, YYYYMMDD dates, an
// unsigned amount with the direction in Deb_Cred (C/D); balance rows `SALDO DIA`/`SALDO ANT`.
// Sources disagree on the decimal separator (`5964.52` vs `1.060,00`): both are read.
inline constexpr column caixa_columns[] = {
    {"conta", role::account},
    {"data_mov|data mov", role::date},
    {"nr_doc|nr doc", role::document},
    {"historico", role::description},
    {"valor", role::amount},
    {"deb_cred|deb cred", role::direction},
};
inline constexpr header caixa_headers[] = {header(caixa_columns)};

inline constexpr csv_layout caixa_extrato_csv{
    .id = "caixa-extrato-csv",
    .bank = "caixa",
    .kind = document_kind::extrato,
    .description = "Caixa statement TXT/CSV: \"Conta\";\"Data_Mov\";\"Nr_Doc\";\"Historico\";\"Valor\";\"Deb_Cred\"",
    .separator = ';',
    .numbers = number_style::automatic,
    .dates = date_style::ymd_compact,
    .headers = caixa_headers,
};

}  // namespace bankflow::detail
