#pragma once
// Dedupe keys and the statement period, computed together by the readers' finish_statement
// (format/format.hpp); bankflow::compute_dedupe_keys and compute_period are the public halves.

#include <bankflow/statement.hpp>

namespace bankflow::detail {

/// compute_dedupe_keys and compute_period in one pass over the transactions; a period the
/// statement has already (the one the file declares) is kept.
void compute_dedupe_keys_and_period(statement& st);

}  // namespace bankflow::detail
