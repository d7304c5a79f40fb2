#include "detect/registry.hpp"

#include "banks/bb_ourocard.hpp"
#include "banks/layouts.hpp"
#include "ofx/ofx.hpp"
#include "pdf/layout.hpp"

#include <array>

namespace bankflow::detail {

namespace {

constexpr format_entry pdf_entry(std::string_view id, std::string_view bank, document_kind kind,
                                 std::string_view description, const pdf::pdf_layout& l) {
  return {{id, bank, kind, description}, nullptr, nullptr, nullptr, &l};
}

constexpr format_entry layout_entry(const csv_layout& l) {
  return {{l.id, l.bank, l.kind, l.description}, nullptr, nullptr, &l};
}

constexpr std::array table{
    format_entry{{"ofx", "", document_kind::any,
                  "OFX 1.x (SGML) and 2.x (XML) statements and card bills from any bank"},
                 probe_ofx, parse_ofx},
    format_entry{{"ofc", "", document_kind::extrato,
                  "OFC (Microsoft Money 95) bank statements: Itaú, Banco do Brasil, Caixa",
                  "itau bb caixa"},
                 probe_ofc, parse_ofc},
    format_entry{{"bb-ourocard-txt", "bb", document_kind::fatura,
                  "Banco do Brasil Ourocard bill, 80-column text from Auto-Atendimento"},
                 probe_bb_ourocard_txt, parse_bb_ourocard_txt},
    layout_entry(itau_extrato_txt),
    layout_entry(itau_extrato_csv),
    layout_entry(itau_extrato_csv3),
    layout_entry(itau_fatura_csv),
    layout_entry(bradesco_extrato_csv),
    layout_entry(bradesco_fatura_csv),
    layout_entry(santander_extrato_csv),
    layout_entry(santander_fatura_csv),
    layout_entry(bb_extrato_csv_old),
    layout_entry(bb_extrato_csv_new),
    layout_entry(caixa_extrato_csv),
    layout_entry(nubank_conta_csv),
    layout_entry(nubank_fatura_csv),
    layout_entry(inter_extrato_csv),
    layout_entry(inter_fatura_csv),
    layout_entry(c6_extrato_csv),
    layout_entry(c6_fatura_csv),
    layout_entry(sicredi_extrato_csv),
    layout_entry(itau_extrato_xls),
    layout_entry(itau_fatura_xls),
    layout_entry(bradesco_extrato_xls),
    layout_entry(santander_extrato_xlsx),
    layout_entry(sicredi_extrato_xls),
    layout_entry(bb_extrato_xlsx),
    layout_entry(btg_extrato_xls),
    layout_entry(mercadopago_extrato_xlsx),
    pdf_entry("nubank-fatura-pdf", "nubank", document_kind::fatura,
              "Nubank card bill, PDF (2024–2025 layout: Data de vencimento, R$ amounts, −R$ payments)",
              pdf::nubank_fatura_pdf),
    pdf_entry("nubank-fatura-pdf-2022", "nubank", document_kind::fatura,
              "Nubank card bill, PDF (2022–2023 layout: Data do vencimento, unsigned amounts)",
              pdf::nubank_fatura_pdf_2022),
    pdf_entry("itau-fatura-pdf", "itau", document_kind::fatura,
              "Itaú card bill, PDF (eStatements and its PDFium re-print: two columns from page 2)",
              pdf::itau_fatura_pdf),
    pdf_entry("itau-extrato-pdf", "itau", document_kind::extrato,
              "Itaú personal account statement, PDF (data | lançamentos | valor | saldo)",
              pdf::itau_extrato_pdf),
    pdf_entry("itau-empresas-pdf", "itau", document_kind::extrato,
              "Itaú Empresas statement, PDF (Componente WDPDF, DD/MM rows, Extrato de … até …)",
              pdf::itau_empresas_pdf),
    pdf_entry("itau-lancamentos-pdf", "itau", document_kind::extrato,
              "Itaú Empresas Lançamentos, PDF (newest first, Razão Social and CNPJ/CPF columns)",
              pdf::itau_lancamentos_pdf),
    pdf_entry("itau-extrato-mensal-pdf", "itau", document_kind::extrato,
              "Itaú business monthly statement, PDF (extrato mensal: entradas, saídas with a trailing minus)",
              pdf::itau_extrato_mensal_pdf),
    pdf_entry("inter-fatura-pdf", "inter", document_kind::fatura,
              "Banco Inter card bill, PDF (2025 layout: 26 de ago. 2025, + R$ credits)",
              pdf::inter_fatura_pdf),
    pdf_entry("inter-fatura-pdf-2023", "inter", document_kind::fatura,
              "Banco Inter card bill, PDF (2023 layout: 28 abr 2023, TOTAL DESSA FATURA)",
              pdf::inter_fatura_pdf_2023),
    pdf_entry("c6-fatura-pdf", "c6", document_kind::fatura,
              "C6 Bank card bill, PDF (per-card subtotals, unsigned rows)",
              pdf::c6_fatura_pdf),
    pdf_entry("btg-fatura-pdf", "btg", document_kind::fatura,
              "BTG Pactual card bill, PDF (rows in two side-by-side columns)",
              pdf::btg_fatura_pdf),
    pdf_entry("unicred-fatura-pdf", "unicred", document_kind::fatura,
              "Unicred card bill, PDF (letter-spaced text)",
              pdf::unicred_fatura_pdf),
    pdf_entry("pan-fatura-pdf", "pan", document_kind::fatura,
              "Banco Pan card bill, PDF (Pan and Méliuz cards; sidebar beside the rows)",
              pdf::pan_fatura_pdf),
    pdf_entry("bb-extrato-pdf", "bb", document_kind::extrato,
              "Banco do Brasil account statement, PDF (values wrapped above and below their row, C/D)",
              pdf::bb_extrato_pdf),
    pdf_entry("bradesco-extrato-pdf", "bradesco", document_kind::extrato,
              "Bradesco business statement, PDF (two-line Lançamento, Crédito / Débito / Saldo)",
              pdf::bradesco_extrato_pdf),
    pdf_entry("caixa-extrato-pdf", "caixa", document_kind::extrato,
              "Caixa business statement, PDF (Extrato Histórico da Conta, C/D values and balances)",
              pdf::caixa_extrato_pdf),
    pdf_entry("santander-extrato-pdf", "santander", document_kind::extrato,
              "Santander business statement, PDF (printed from Excel: values glued to documents)",
              pdf::santander_extrato_pdf),
    pdf_entry("nubank-conta-pdf", "nubank", document_kind::extrato,
              "Nubank account (NuConta) statement, PDF (day groups of entradas and saídas)",
              pdf::nubank_conta_pdf),
    pdf_entry("generic-pdf", "", document_kind::extrato,
              "Any other bank's PDF with a plain date / description / amount table (low confidence, "
              "checks nothing)",
              pdf::generic_pdf),
};

constexpr std::array<format_info, table.size()> infos = [] {
  std::array<format_info, table.size()> out{};
  for (std::size_t i = 0; i < table.size(); ++i) out[i] = table[i].info;
  return out;
}();

}  // namespace

std::span<const format_entry> format_table() noexcept { return table; }

void run_probe(const format_entry& f, const probe_input& in, std::vector<candidate>& out) {
  if (f.pdf) return;  // PDFs are probed on their pages (parse_pdf.cpp)
  if (f.layout) probe_layout(*f.layout, in, out);
  else f.probe(in, out);
}

result<statement> run_parse(const format_entry& f, const parse_input& in) {
  if (f.pdf) return make_error(errc::unsupported_container, "a PDF layout reads PDF documents only");
  return f.layout ? parse_layout(*f.layout, in) : f.parse(in);
}

const format_entry* find_format(std::string_view id) noexcept {
  for (const auto& f : table)
    if (f.info.id == id) return &f;
  return nullptr;
}

}  // namespace bankflow::detail

namespace bankflow {
std::span<const format_info> known_formats() noexcept { return detail::infos; }

bool bank_offers(const format_info& f, std::string_view bank_id) noexcept {
  if (!f.bank_id.empty()) return f.bank_id == bank_id;
  if (f.offered_by.empty()) return true;
  for (std::string_view rest = f.offered_by; !rest.empty();) {
    const std::size_t blank = rest.find(' ');
    if (rest.substr(0, blank) == bank_id) return true;
    rest = blank == std::string_view::npos ? std::string_view{} : rest.substr(blank + 1);
  }
  return false;
}
}  // namespace bankflow
