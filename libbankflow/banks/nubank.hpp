#pragma once
// Nubank (Nu Pagamentos, COMPE 260): FORMATS.md §3.6.

#include "banks/layout.hpp"

namespace bankflow::detail {

// §3.6.a NuConta: "Data,Valor,Identificador,Descrição", UTF-8, LF, dd/mm/yyyy, signed dot
// decimals, the UUID-like Identificador is a stable FITID; no preamble, no balance rows.
inline constexpr column nubank_conta_columns[] = {
    {"data", role::date},
    {"valor", role::amount},
    {"identificador", role::fitid},
    {"descricao", role::description},
};
inline constexpr header nubank_conta_headers[] = {header(nubank_conta_columns)};

inline constexpr csv_layout nubank_conta_csv{
    .id = "nubank-conta-csv",
    .bank = "nubank",
    .kind = document_kind::extrato,
    .description = "Nubank account (NuConta) CSV: Data,Valor,Identificador,Descrição",
    .separator = ',',
    .numbers = number_style::en,
    .dates = date_style::dmy,
    .headers = nubank_conta_headers,
};

// §3.6.b card bill: "date,title,amount" (about 2023 on) or "date,category,title,amount"
// (older), ISO dates, purchases positive. Amounts are dot decimals with trailing zeros dropped
// ("48.9", "190"); a [DERIVED?] variant quotes pt-BR amounts with a blank after the minus
// ("- 625,29"): both readings are accepted, so the numbers are read in automatic style.
inline constexpr column nubank_fatura_columns[] = {
    {"date", role::date},
    {"title", role::description},
    {"amount", role::amount},
};
inline constexpr column nubank_fatura_old_columns[] = {
    {"date", role::date},
    {"category", role::ignore},
    {"title", role::description},
    {"amount", role::amount},
};
inline constexpr header nubank_fatura_headers[] = {header(nubank_fatura_columns),
                                                   header(nubank_fatura_old_columns)};

inline constexpr csv_layout nubank_fatura_csv{
    .id = "nubank-fatura-csv",
    .bank = "nubank",
    .kind = document_kind::fatura,
    .description = "Nubank card bill CSV: date,title,amount (and the older date,category,title,amount)",
    .separator = ',',
    .numbers = number_style::automatic,
    .dates = date_style::iso,
    .headers = nubank_fatura_headers,
    .negate = true,
    .account = account_kind::credit_card,
};

}  // namespace bankflow::detail
