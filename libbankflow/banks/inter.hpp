#pragma once
// Banco Inter (COMPE 077): FORMATS.md §3.7.

#include "banks/layout.hpp"

namespace bankflow::detail {

void inter_extrato_preamble(std::string_view line, const csv_row& cells, layout_state& s);

// §3.7.a: a 5-line preamble (`Extrato Conta Corrente`, `Conta ;…`, `Período ;…`, `Saldo: ;…`),
// then `Data Lançamento;Descrição;Valor;Saldo`. Nothing is quoted and descriptions hold bare
// quotes (`Pix recebido: "Cp :…"`), so the line is split on ';' literally. [DERIVED?] a 5-column
// variant with `Histórico` and `R$`-prefixed values: both accepted.
inline constexpr column inter_extrato_columns[] = {
    {"data lancamento", role::date},
    {"descricao", role::description},
    {"valor", role::amount},
    {"saldo", role::balance},
};
inline constexpr column inter_extrato5_columns[] = {
    {"data lancamento", role::date},
    {"historico", role::description},
    {"descricao", role::description},
    {"valor", role::amount},
    {"saldo", role::balance},
};
inline constexpr header inter_extrato_headers[] = {header(inter_extrato_columns),
                                                   header(inter_extrato5_columns)};
inline constexpr std::string_view inter_extrato_hints[] = {"extrato conta corrente", "periodo ;"};

inline constexpr csv_layout inter_extrato_csv{
    .id = "inter-extrato-csv",
    .bank = "inter",
    .kind = document_kind::extrato,
    .description = "Banco Inter statement CSV: Data Lançamento;Descrição;Valor;Saldo",
    .separator = ';',
    .quoting = csv_quoting::none,
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = inter_extrato_headers,
    .hints = inter_extrato_hints,
    .hooks = {.preamble = inter_extrato_preamble},
};

// §3.7.b the card bill: UTF-8 with BOM, every field quoted, `R$ 1.234,56` / `-R$ 318,19`,
// purchases positive; `Tipo` is `Compra à vista` or `Parcela n/N` (kept in the description).
inline constexpr column inter_fatura_columns[] = {
    {"data", role::date},
    {"lancamento", role::description},
    {"categoria", role::ignore},
    {"tipo", role::installment},
    {"valor", role::amount},
};
inline constexpr header inter_fatura_headers[] = {header(inter_fatura_columns)};

inline constexpr csv_layout inter_fatura_csv{
    .id = "inter-fatura-csv",
    .bank = "inter",
    .kind = document_kind::fatura,
    .description = "Banco Inter card bill CSV: \"Data\",\"Lançamento\",\"Categoria\",\"Tipo\",\"Valor\"",
    .separator = ',',
    .numbers = number_style::pt_br,
    .dates = date_style::dmy,
    .headers = inter_fatura_headers,
    .negate = true,
    .account = account_kind::credit_card,
};

}  // namespace bankflow::detail
