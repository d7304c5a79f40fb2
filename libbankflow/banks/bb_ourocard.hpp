#pragma once
// Banco do Brasil's Ourocard bill as 80-column text from Auto-Atendimento: too irregular for a
// csv_layout, so it has its own probe and parser for the format table (detect/).

#include "format/format.hpp"

#include <vector>

namespace bankflow::detail {

/// Scores the head as an Ourocard text bill.
void probe_bb_ourocard_txt(const probe_input& in, std::vector<candidate>& out);
/// Reads an Ourocard text bill: one account per card.
[[nodiscard]] result<statement> parse_bb_ourocard_txt(const parse_input& in);

}  // namespace bankflow::detail
