#pragma once
/// @file Everything: include this to use the whole library.

#include <bankflow/accounts.hpp>
#include <bankflow/clock.hpp>
#include <bankflow/csv.hpp>
#include <bankflow/data_key.hpp>
#include <bankflow/database.hpp>
#include <bankflow/date.hpp>
#include <bankflow/enrich.hpp>
#include <bankflow/rules.hpp>
#include <bankflow/error.hpp>
#include <bankflow/export.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/json.hpp>
#include <bankflow/ledger.hpp>
#include <bankflow/money.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/redis.hpp>
#include <bankflow/session.hpp>
#include <bankflow/statement.hpp>
#include <bankflow/text.hpp>
#include <bankflow/version.hpp>
#include <bankflow/wallet.hpp>
#include <bankflow/webhook.hpp>
