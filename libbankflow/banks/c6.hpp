#pragma once
// C6 Bank (COMPE 336): FORMATS.md §3.8.

#include "banks/layout.hpp"

namespace bankflow::detail {

void c6_extrato_preamble(std::string_view line, const csv_row& cells, layout_state& s);

// §3.8.a: BOM, `EXTRATO DE CONTA CORRENTE C6 BANK`, `Agência: 1 / Conta: 123456`, then the
// header; ',' separated, dot decimals, unsigned `Entrada(R$)` / `Saída(R$)` columns, the last
// column `Saldo do Dia(R$)` in some files and `Saldo` in others. The description joins Título
// and Descrição (which can be empty).
inline constexpr column c6_extrato_columns[] = {
    {"data lancamento", role::date},
    {"data contabil", role::ignore},
    {"titulo", role::description},
    {"descricao", role::description},
    {"entrada(r$)|entrada (r$)|entrada", role::credit},
    {"saida(r$)|saida (r$)|saida", role::debit},
    {"saldo do dia(r$)|saldo do dia (r$)|saldo", role::balance},
};
inline constexpr header c6_extrato_headers[] = {header(c6_extrato_columns)};
inline constexpr std::string_view c6_extrato_hints[] = {"c6 bank"};

inline constexpr csv_layout c6_extrato_csv{
    .id = "c6-extrato-csv",
    .bank = "c6",
    .kind = document_kind::extrato,
    .description = "C6 Bank statement CSV: Data Lançamento,Data Contábil,Título,Descrição,Entrada(R$),Saída(R$),Saldo…",
    .separator = ',',
    .numbers = number_style::en,
    .dates = date_style::dmy,
    .headers = c6_extrato_headers,
    .hints = c6_extrato_hints,
    .hooks = {.preamble = c6_extrato_preamble},
};

// §3.8.b the card bill: ';' separated, several cards told apart by `Final do Cartão`, the
// purchase date, `Parcela` `Única` or `n/N`, dot decimals (one sample has commas: both read),
// purchases positive, payments negative with `Categoria` `-`.
inline constexpr column c6_fatura_columns[] = {
    {"data de compra", role::date},
    {"nome no cartao", role::ignore},
    {"final do cartao", role::card},
    {"categoria", role::ignore},
    {"descricao", role::description},
    {"parcela", role::installment},
    {"valor (em us$)", role::usd_amount},
    {"cotacao (em r$)", role::usd_rate},
    {"valor (em r$)", role::amount},
};
inline constexpr header c6_fatura_headers[] = {header(c6_fatura_columns)};

inline constexpr csv_layout c6_fatura_csv{
    .id = "c6-fatura-csv",
    .bank = "c6",
    .kind = document_kind::fatura,
    .description = "C6 Bank card bill CSV: Data de Compra;Nome no Cartão;Final do Cartão;…;Valor (em R$)",
    .separator = ';',
    .numbers = number_style::automatic,
    .dates = date_style::dmy,
    .headers = c6_fatura_headers,
    .negate = true,
    .account = account_kind::credit_card,
};

}  // namespace bankflow::detail
