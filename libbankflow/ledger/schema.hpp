#pragma once
// Internal: the ledger's tables, indexes and PostgreSQL function, as migrations of module "ledger".

#include <bankflow/database.hpp>

#include "store/db.hpp"

#include <vector>

namespace bankflow::detail {

/// The ledger's migrations for this engine (they live as long as the program).
[[nodiscard]] const std::vector<migration>& ledger_migrations(database_backend backend);

}  // namespace bankflow::detail
