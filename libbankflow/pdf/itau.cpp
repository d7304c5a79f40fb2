// PDF layouts: see FORMATS-PDF.md. PENDING: not written yet; the probe scores 0, so this layout
// is never chosen until it is.

#include "pdf/layout.hpp"

namespace bankflow::detail::pdf {

namespace {

class pending_reader final : public reader {
 public:
  using reader::reader;
  result<void> page(const pdf::page&) override { return {}; }
  result<void> finish() override {
    return make_error(errc::unknown_format, "this PDF layout is not written yet");
  }
};

double pending_probe(const head&) { return 0; }

}  // namespace

const pdf_layout itau_fatura_pdf{pending_probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<pending_reader>(o); }};

const pdf_layout itau_extrato_pdf{pending_probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<pending_reader>(o); }};

const pdf_layout itau_empresas_pdf{pending_probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<pending_reader>(o); }};

const pdf_layout itau_lancamentos_pdf{pending_probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<pending_reader>(o); }};

const pdf_layout itau_extrato_mensal_pdf{pending_probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<pending_reader>(o); }};

}  // namespace bankflow::detail::pdf
