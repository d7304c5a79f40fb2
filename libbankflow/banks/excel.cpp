#include "banks/excel.hpp"

#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <array>

namespace bankflow::detail {

// `Agência:` / `Conta:` labels with their value in the next non-empty cell, wherever the sheet
// puts them (BTG: B5/C5, BB: A3/B3).
void account_label_preamble(std::string_view, const csv_row& cells, layout_state& s) {
  account& a = s.st.accounts[s.account];
  for (std::size_t i = 0; i + 1 < cells.size(); ++i) {
    const std::string label = fold(trim(cells[i]));
    if (label != "agencia:" && label != "agencia" && label != "conta:" && label != "conta corrente:") continue;
    std::size_t j = i + 1;
    while (j < cells.size() && trim(cells[j]).empty()) ++j;
    if (j == cells.size()) break;
    const std::string value = clean_number(cells[j]);
    if (label.starts_with("agencia")) {
      if (a.branch.empty()) a.branch = value;
    } else if (a.number.empty()) {
      a.number = value;
    }
  }
}

double itau_fatura_xls_probe(std::string_view head) {
  const std::string f = fold(head.substr(0, 8192));
  if (f.find("logotipo itau") == std::string::npos) return 0;
  double score = 0;
  for (std::string_view mark : {"venc. da fatura", "lancamentos nacionais", "total da fatura anterior",
                                "valor ate o momento"})
    if (f.find(mark) != std::string::npos) score += 0.24;
  return score;
}

// The rows that are not transactions: the preamble's labels, block titles, the bill's total and
// due date, and the per-card titles, which open the card's account.
bool itau_fatura_xls_section(const csv_row& row, layout_state& s) {
  const std::string first = fold(trim(row[0]));
  // "Fulano de Tal - final 4321 (titular)" / "(adicional)"
  if (const std::size_t at = first.find(" - final "); at != std::string::npos) {
    std::string_view digits = trim(row[0]);
    const std::size_t raw_at = digits.find(" - final ");
    const std::size_t paren = digits.find('(');
    if (raw_at == std::string_view::npos) return false;
    const std::string_view name = trim(digits.substr(0, raw_at));
    digits = trim(digits.substr(raw_at + 9, paren == std::string_view::npos ? std::string_view::npos : paren - raw_at - 9));
    s.account = card_account(s, digits);
    if (s.st.accounts[s.account].holder.empty()) s.st.accounts[s.account].holder = std::string(name);
    return true;
  }
  if (first == "aberta" || first == "fechada" || first == "fatura atual") {
    // the bill's total so far and its due date
    if (auto d = parse_date(trim(row[2]), date_style::dmy); d && d->has_value()) {
      s.reference = **d;
      s.st.accounts[0].closing_balance_date = **d;
    }
    if (auto a = parse_amount(trim(row[1]), number_style::pt_br); a && a->has_value()) {
      s.st.accounts[0].closing_balance = -**a;
    } else if (!trim(row[1]).empty()) {
      s.st.warnings.push_back({row.line, "the bill's total \"" + std::string(trim(row[1])) +
                                             "\" is not an amount: the bill total is unknown"});
    }
    return true;
  }
  static constexpr std::array<std::string_view, 16> labels{
      "logotipo itau", "atualizacao:", "nome:", "agencia:", "conta:", "fatura de ", "fatura",
      "melhor data de compra", "compras feitas", "lancamentos nacionais", "lancamentos internacionais",
      "encargos e servicos", "nao existem", "total da fatura anterior", "lancamentos", "data"};
  for (std::string_view l : labels) {
    if (first == l || (l.back() == ' ' || l.back() == ':' || l == "compras feitas" || l == "nao existem"
                           ? first.starts_with(l)
                           : false)) {
      if (l == "agencia:") s.st.accounts[0].branch = clean_number(row[1]);
      // the bill's own charges, and the payments, are the titular card's
      if (l == "encargos e servicos" || l == "total da fatura anterior") s.account = 0;
      return true;
    }
  }
  return false;
}

}  // namespace bankflow::detail
