#include "detect/registry.hpp"

#include <array>

namespace bankflow::detail {

namespace {

constexpr std::array<format_entry, 2> table{{
    {{"ofx", "", document_kind::any,
      "OFX 1.x (SGML) and 2.x (XML) statements and card bills from any bank"},
     probe_ofx, parse_ofx},
    {{"bb-ourocard-txt", "bb", document_kind::fatura,
      "Banco do Brasil Ourocard bill, 80-column text from Auto-Atendimento"},
     probe_bb_ourocard_txt, parse_bb_ourocard_txt},
}};

constexpr std::array<format_info, table.size()> infos = [] {
  std::array<format_info, table.size()> out{};
  for (std::size_t i = 0; i < table.size(); ++i) out[i] = table[i].info;
  return out;
}();

}  // namespace

std::span<const format_entry> format_table() noexcept { return table; }

const format_entry* find_format(std::string_view id) noexcept {
  for (const auto& f : table)
    if (f.info.id == id) return &f;
  return nullptr;
}

void finish_statement(statement& st) {
  if (st.accounts.empty()) st.accounts.emplace_back();
  compute_period(st);
  compute_dedupe_keys(st);
}

}  // namespace bankflow::detail

namespace bankflow {
std::span<const format_info> known_formats() noexcept { return detail::infos; }
}  // namespace bankflow
