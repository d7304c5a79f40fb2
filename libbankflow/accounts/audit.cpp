// The audit log: append-only rows of security-relevant actions, listed newest first by cursor.

#include <bankflow/accounts.hpp>
#include <bankflow/database.hpp>

#include "accounts/rows.hpp"

#include <utility>
#include <vector>

namespace bankflow {
namespace {

std::vector<std::string> audit_schema(std::string_view id_column) {
  return {"CREATE TABLE IF NOT EXISTS bankflow_audit (id " + std::string(id_column) +
              ", recorded_at BIGINT NOT NULL, action TEXT NOT NULL, actor TEXT NOT NULL, subject TEXT NOT NULL, "
              "client_address TEXT NOT NULL, request_id TEXT NOT NULL, detail TEXT NOT NULL)",
          "CREATE INDEX IF NOT EXISTS bankflow_audit_actor ON bankflow_audit (actor, id)",
          "CREATE INDEX IF NOT EXISTS bankflow_audit_subject ON bankflow_audit (subject, id)",
          "CREATE INDEX IF NOT EXISTS bankflow_audit_action ON bankflow_audit (action, id)"};
}

// The steps for one engine: ids from its own sequence.
std::vector<detail::migration> audit_migrations(database_backend backend) {
  static const std::vector<std::string> sqlite = audit_schema("INTEGER PRIMARY KEY AUTOINCREMENT");
  static const std::vector<std::string> postgresql = audit_schema("BIGSERIAL PRIMARY KEY");
  const auto& v1 = backend == database_backend::postgresql ? postgresql : sqlite;
  // PostgreSQL row-level security (issue 18): a thread with a tenant reads only the rows where
  // it is the actor or the subject; anyone appends; nobody changes or deletes a row (no policy
  // admits UPDATE or DELETE: the log is append-only for the server's role too)
  static const std::vector<std::string_view> rls = {
      "ALTER TABLE bankflow_audit ENABLE ROW LEVEL SECURITY", "ALTER TABLE bankflow_audit FORCE ROW LEVEL SECURITY",
      "CREATE POLICY bankflow_tenant ON bankflow_audit FOR SELECT USING (COALESCE(current_setting("
      "'bankflow.tenant', true), '') = '' OR actor = current_setting('bankflow.tenant', true) OR "
      "subject = current_setting('bankflow.tenant', true))",
      "CREATE POLICY bankflow_append ON bankflow_audit FOR INSERT WITH CHECK (true)"};
  return {{1, std::vector<std::string_view>(v1.begin(), v1.end())}, {2, {}, rls}};
}

constexpr std::size_t max_page = 1000;

}  // namespace

struct audit_log::impl {
  detail::database_impl* db = nullptr;
  clock_fn clock;
};

audit_log::audit_log(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
audit_log::audit_log(audit_log&& other) noexcept = default;
audit_log& audit_log::operator=(audit_log&& other) noexcept = default;
audit_log::~audit_log() = default;

result<audit_log> audit_log::open(database& db, audit_options options) {
  detail::database_impl& d = detail::database_access::impl(db);
  if (auto ok = detail::migrate(d, "audit", audit_migrations(d.backend)); !ok) return ok.error();
  auto p = std::make_unique<impl>();
  p->db = &d;
  p->clock = options.clock ? std::move(options.clock) : system_clock();
  return audit_log(std::move(p));
}

result<audit_entry> audit_log::append(audit_entry e) {
  if (e.action.empty()) return make_error(errc::invalid_argument, "an audit entry needs an action");
  const long long now = detail::unix_s(impl_->clock());
  e.at = detail::at_seconds(now);
  long long id = 0;
  // the system writes the log whoever the request is for (a sign-up's row is about a user the
  // anonymous tenant is not); a tenant only reads its own rows
  tenant_scope system({});
  auto ok = detail::with_session(*impl_->db, "appending to the audit log", [&](soci::session& sql) {
    sql << "INSERT INTO bankflow_audit (recorded_at, action, actor, subject, client_address, request_id, detail) "
           "VALUES (:t, :a, :ac, :s, :c, :r, :d) RETURNING id",
        soci::use(now, "t"), soci::use(e.action, "a"), soci::use(e.actor, "ac"), soci::use(e.subject, "s"),
        soci::use(e.client_address, "c"), soci::use(e.request_id, "r"), soci::use(e.detail, "d"), soci::into(id);
  });
  if (!ok) return ok.error();
  e.id = id;
  return e;
}

result<audit_entry> audit_log::record(std::string_view action, std::string_view actor, std::string_view subject,
                                      const request_meta& meta, std::string detail) {
  return append(audit_entry{.action = std::string(action),
                            .actor = std::string(actor),
                            .subject = std::string(subject),
                            .client_address = meta.client_address,
                            .request_id = meta.request_id,
                            .detail = std::move(detail)});
}

result<audit_page> audit_log::list(const audit_query& q) {
  if (q.limit == 0 || q.limit > max_page)
    return make_error(errc::invalid_argument, "an audit page holds 1 to " + std::to_string(max_page) + " entries");
  std::string text = "SELECT id, recorded_at, action, actor, subject, client_address, request_id, detail "
                     "FROM bankflow_audit WHERE 1 = 1";
  if (!q.actor.empty()) text += " AND actor = :ac";
  if (!q.subject.empty()) text += " AND subject = :s";
  if (!q.action.empty()) text += " AND action = :a";
  if (q.before) text += " AND id < :b";
  text += " ORDER BY id DESC LIMIT :l";
  const long long before = q.before.value_or(0);
  const long long fetch = static_cast<long long>(q.limit) + 1;  // one more tells whether a next page exists
  audit_page page;
  auto ok = detail::with_session(*impl_->db, "reading the audit log", [&](soci::session& sql) {
    page.entries.clear();
    audit_entry e;
    long long id = 0, at = 0;
    soci::statement st(sql);
    st.exchange(soci::into(id));
    st.exchange(soci::into(at));
    st.exchange(soci::into(e.action));
    st.exchange(soci::into(e.actor));
    st.exchange(soci::into(e.subject));
    st.exchange(soci::into(e.client_address));
    st.exchange(soci::into(e.request_id));
    st.exchange(soci::into(e.detail));
    if (!q.actor.empty()) st.exchange(soci::use(q.actor, "ac"));
    if (!q.subject.empty()) st.exchange(soci::use(q.subject, "s"));
    if (!q.action.empty()) st.exchange(soci::use(q.action, "a"));
    if (q.before) st.exchange(soci::use(before, "b"));
    st.exchange(soci::use(fetch, "l"));
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    if (!st.execute(true)) return;
    do {
      e.id = id;
      e.at = detail::at_seconds(at);
      page.entries.push_back(e);
    } while (st.fetch());
  });
  if (!ok) return ok.error();
  if (page.entries.size() > q.limit) {
    page.entries.resize(q.limit);
    page.next_cursor = page.entries.back().id;
  }
  return page;
}

}  // namespace bankflow
