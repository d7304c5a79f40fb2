#pragma once
// OFX 1.x (SGML) and 2.x (XML) statements and card bills, and OFC (Money 95), OFX's older
// dialect read by the same reader: their probes and parsers for the format table (detect/).

#include "format/format.hpp"

#include <vector>

namespace bankflow::detail {

/// Scores the head as OFX.
void probe_ofx(const probe_input& in, std::vector<candidate>& out);
/// Reads an OFX file: every statement in it, one account each.
[[nodiscard]] result<statement> parse_ofx(const parse_input& in);

/// Scores the head as OFC.
void probe_ofc(const probe_input& in, std::vector<candidate>& out);
/// Reads an OFC file.
[[nodiscard]] result<statement> parse_ofc(const parse_input& in);

}  // namespace bankflow::detail
