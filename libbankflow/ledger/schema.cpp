// The ledger's schema (schema.hpp): the tables, their indexes and, on PostgreSQL, the function of
// submit's fast path.

#include "ledger/schema.hpp"

#include <iterator>
#include <string>
#include <string_view>

namespace bankflow::detail {
namespace {

// The schema, the same on both engines but for the column that numbers transfers in order.
std::vector<std::string> ledger_schema(std::string_view seq_column) {
  return {
      "CREATE TABLE IF NOT EXISTS bankflow_ledger_accounts (id TEXT PRIMARY KEY, currency TEXT NOT NULL, "
      "flags BIGINT NOT NULL, owner TEXT NOT NULL, debits_posted BIGINT NOT NULL, credits_posted BIGINT NOT NULL, "
      "debits_pending BIGINT NOT NULL, credits_pending BIGINT NOT NULL, created_at BIGINT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS bankflow_ledger_transfers (seq " + std::string(seq_column) + ", "
      "id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, debit_account TEXT NOT NULL, credit_account TEXT NOT NULL, "
      "amount BIGINT NOT NULL, pending_id TEXT NOT NULL, metadata TEXT NOT NULL, reference TEXT NOT NULL, "
      "state TEXT NOT NULL, req_debit TEXT NOT NULL, req_credit TEXT NOT NULL, req_amount BIGINT NOT NULL, "
      "timeout_ms BIGINT NOT NULL, error_code BIGINT NOT NULL, error_field TEXT NOT NULL, "
      "error_message TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_debit ON bankflow_ledger_transfers (debit_account, seq)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_credit ON bankflow_ledger_transfers (credit_account, seq)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_expiry ON bankflow_ledger_transfers (state, expires_at)",
      "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_pending ON bankflow_ledger_transfers (pending_id)"};
}

// Step 2, both engines: the indexes on holds and on resolutions become partial, so an immediate
// transfer writes two index pages fewer (queries that use them repeat the index's condition).
constexpr std::string_view partial_indexes[] = {
    "DROP INDEX IF EXISTS bankflow_ledger_transfers_expiry",
    "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_due ON bankflow_ledger_transfers (expires_at) "
    "WHERE state = 'pending' AND expires_at > 0",
    "DROP INDEX IF EXISTS bankflow_ledger_transfers_pending",
    "CREATE INDEX IF NOT EXISTS bankflow_ledger_transfers_resolving ON bankflow_ledger_transfers (pending_id) "
    "WHERE pending_id <> ''"};

// Step 2, PostgreSQL: one round trip for a new immediate or pending transfer that every rule
// accepts (submit's fast path). It locks both accounts in id order, like the general path, and
// writes only when the id is new, both accounts exist in one currency, neither has holds that ran
// out, no counter overflows and no_overdraft allows it; otherwise it writes nothing and returns 0,
// and the caller runs the general path (which records refusals and decides everything else).
// No ':' in the body: SOCI would take it for a parameter.
constexpr std::string_view fast_transfer_function =
    "CREATE OR REPLACE FUNCTION bankflow_ledger_fast_transfer(p_id TEXT, p_kind TEXT, p_debit TEXT, "
    "p_credit TEXT, p_amount BIGINT, p_timeout BIGINT, p_metadata TEXT, p_reference TEXT, p_now BIGINT) "
    "RETURNS INTEGER LANGUAGE plpgsql AS $$\n"
    "DECLARE d bankflow_ledger_accounts%ROWTYPE; c bankflow_ledger_accounts%ROWTYPE; "
    "pending BOOLEAN DEFAULT p_kind = 'pending'; big NUMERIC DEFAULT 9223372036854775807;\n"
    "BEGIN\n"
    "  IF p_kind NOT IN ('immediate', 'pending') OR p_amount <= 0 OR p_timeout < 0 THEN RETURN 0; END IF;\n"
    "  PERFORM 1 FROM bankflow_ledger_transfers WHERE id = p_id;\n"
    "  IF FOUND THEN RETURN 0; END IF;\n"
    "  PERFORM 1 FROM bankflow_ledger_accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR UPDATE;\n"
    "  SELECT * INTO d FROM bankflow_ledger_accounts WHERE id = p_debit;\n"
    "  IF NOT FOUND THEN RETURN 0; END IF;\n"
    "  SELECT * INTO c FROM bankflow_ledger_accounts WHERE id = p_credit;\n"
    "  IF NOT FOUND OR d.currency <> c.currency THEN RETURN 0; END IF;\n"
    "  PERFORM 1 FROM bankflow_ledger_transfers WHERE state = 'pending' AND expires_at > 0 AND "
    "expires_at <= p_now AND (debit_account IN (p_debit, p_credit) OR credit_account IN (p_debit, p_credit));\n"
    "  IF FOUND THEN RETURN 0; END IF;\n"
    "  IF CAST(CASE WHEN pending THEN d.debits_pending ELSE d.debits_posted END AS NUMERIC) + p_amount > big OR "
    "CAST(CASE WHEN pending THEN c.credits_pending ELSE c.credits_posted END AS NUMERIC) + p_amount > big OR "
    "CAST(d.debits_posted AS NUMERIC) + d.debits_pending + p_amount > big OR "
    "CAST(p_now AS NUMERIC) + p_timeout > big THEN RETURN 0; END IF;\n"
    "  IF (d.flags & 1) = 1 AND CAST(d.debits_posted AS NUMERIC) + d.debits_pending + p_amount > d.credits_posted "
    "THEN RETURN 0; END IF;\n"
    "  INSERT INTO bankflow_ledger_transfers (id, kind, debit_account, credit_account, pending_id, metadata, "
    "reference, state, req_debit, req_credit, error_field, error_message, amount, req_amount, timeout_ms, "
    "error_code, created_at, expires_at) VALUES (p_id, p_kind, p_debit, p_credit, '', p_metadata, p_reference, "
    "CASE WHEN pending THEN 'pending' ELSE 'posted' END, p_debit, p_credit, '', '', p_amount, p_amount, "
    "p_timeout, 0, p_now, CASE WHEN pending AND p_timeout > 0 THEN p_now + p_timeout ELSE 0 END) "
    "ON CONFLICT (id) DO NOTHING;\n"
    "  IF NOT FOUND THEN RETURN 0; END IF;\n"
    "  IF pending THEN\n"
    "    UPDATE bankflow_ledger_accounts SET debits_pending = debits_pending + p_amount WHERE id = p_debit;\n"
    "    UPDATE bankflow_ledger_accounts SET credits_pending = credits_pending + p_amount WHERE id = p_credit;\n"
    "  ELSE\n"
    "    UPDATE bankflow_ledger_accounts SET debits_posted = debits_posted + p_amount WHERE id = p_debit;\n"
    "    UPDATE bankflow_ledger_accounts SET credits_posted = credits_posted + p_amount WHERE id = p_credit;\n"
    "  END IF;\n"
    "  RETURN 1;\n"
    "END $$";

// Step 3, PostgreSQL: row-level security (issue 18). A thread with a tenant
// (set_thread_tenant) sees the accounts it owns and those of nobody (the system's: a provider's
// clearing account), and only the transfers that touch an account it owns; without a tenant
// (workers, webhooks, operators, the CLI) every row.
constexpr std::string_view tenant_rls[] = {
    "ALTER TABLE bankflow_ledger_accounts ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE bankflow_ledger_accounts FORCE ROW LEVEL SECURITY",
    "CREATE POLICY bankflow_tenant ON bankflow_ledger_accounts USING (COALESCE(current_setting("
    "'bankflow.tenant', true), '') = '' OR owner = '' OR owner = current_setting('bankflow.tenant', true))",
    "ALTER TABLE bankflow_ledger_transfers ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE bankflow_ledger_transfers FORCE ROW LEVEL SECURITY",
    "CREATE POLICY bankflow_tenant ON bankflow_ledger_transfers USING (COALESCE(current_setting("
    "'bankflow.tenant', true), '') = '' OR EXISTS (SELECT 1 FROM bankflow_ledger_accounts a WHERE a.id IN "
    "(debit_account, credit_account) AND a.owner = current_setting('bankflow.tenant', true)))"};

}  // namespace

const std::vector<migration>& ledger_migrations(database_backend backend) {
  // the statements live as long as the program: migration holds views
  static const std::vector<std::string> sqlite_v1 = ledger_schema("INTEGER PRIMARY KEY AUTOINCREMENT");
  static const std::vector<std::string> postgresql_v1 = ledger_schema("BIGSERIAL PRIMARY KEY");
  auto views = [](const std::vector<std::string>& v) {
    return std::vector<std::string_view>(v.begin(), v.end());
  };
  static const std::vector<std::string_view> sqlite_v2(std::begin(partial_indexes), std::end(partial_indexes));
  static const std::vector<std::string_view> postgresql_v2 = [] {
    std::vector<std::string_view> v(std::begin(partial_indexes), std::end(partial_indexes));
    v.push_back(fast_transfer_function);
    return v;
  }();
  static const std::vector<std::string_view> postgresql_v3(std::begin(tenant_rls), std::end(tenant_rls));
  static const std::vector<migration> sqlite = {{1, views(sqlite_v1)}, {2, sqlite_v2}, {3, {}}};
  static const std::vector<migration> postgresql = {
      {1, views(postgresql_v1)}, {2, postgresql_v2}, {3, postgresql_v3}};
  return backend == database_backend::postgresql ? postgresql : sqlite;
}

}  // namespace bankflow::detail
