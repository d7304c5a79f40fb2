// Jobs in SQL (bankflow_jobs), their JSON form and where their files live.

#include <bankflow/database.hpp>
#include <bankflow/date.hpp>
#include <bankflow/json.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/session.hpp>
#include <bankflow/text.hpp>

#include "crypto/crypto.hpp"

#include <boost/json.hpp>
#include "store/db.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace bankflow {
namespace {

namespace fs = std::filesystem;
using ms_time = timestamp;

ms_time at_ms(long long ms) { return ms_time(std::chrono::milliseconds(ms)); }

const std::vector<detail::migration>& job_migrations() {
  static const std::vector<detail::migration> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS bankflow_jobs ("
        "id TEXT PRIMARY KEY, owner TEXT NOT NULL, filename TEXT NOT NULL, size BIGINT NOT NULL, "
        "status TEXT NOT NULL, bank TEXT NOT NULL, bank_name TEXT NOT NULL, format TEXT NOT NULL, "
        "confidence DOUBLE PRECISION NOT NULL, transactions BIGINT NOT NULL, "
        "period_start TEXT NOT NULL, period_end TEXT NOT NULL, error_code TEXT NOT NULL, "
        "error TEXT NOT NULL, attempts INTEGER NOT NULL, created_at BIGINT NOT NULL, "
        "updated_at BIGINT NOT NULL, downloaded_at BIGINT)",
        "CREATE INDEX IF NOT EXISTS bankflow_jobs_owner ON bankflow_jobs (owner, created_at)",
        "CREATE INDEX IF NOT EXISTS bankflow_jobs_downloaded ON bankflow_jobs (downloaded_at)"}},
      {2,
       {"ALTER TABLE bankflow_jobs ADD COLUMN skip_bad_rows INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE bankflow_jobs ADD COLUMN skipped_rows BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE bankflow_jobs ADD COLUMN row_error INTEGER NOT NULL DEFAULT 0"}},
      // an account's jobs: a download does not expire them
      {3, {"ALTER TABLE bankflow_jobs ADD COLUMN kept INTEGER NOT NULL DEFAULT 0"}},
      // PostgreSQL row-level security: a thread with a tenant (set_thread_tenant) sees and
      // writes only that owner's jobs, even with the table's owner's role
      {4,
       {},
       {"ALTER TABLE bankflow_jobs ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE bankflow_jobs FORCE ROW LEVEL SECURITY",
        "CREATE POLICY bankflow_tenant ON bankflow_jobs USING (COALESCE(current_setting('bankflow.tenant', true), "
        "'') = '' OR owner = current_setting('bankflow.tenant', true))"}},
  };
  return steps;
}

constexpr std::string_view columns =
    "id, owner, filename, size, status, bank, bank_name, format, confidence, transactions, "
    "period_start, period_end, error_code, error, attempts, created_at, updated_at, downloaded_at, "
    "skip_bad_rows, skipped_rows, row_error";

std::optional<job_status> status_from(std::string_view s) {
  for (const job_status v : {job_status::pending, job_status::processing, job_status::completed,
                             job_status::failed})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

// One row as SOCI binds it; `into` needs stable addresses, so statements bind to a row object.
struct job_row {
  std::string id, owner, filename, status, bank, bank_name, format, period_start, period_end,
      error_code, error;
  long long size = 0, transactions = 0, created_at = 0, updated_at = 0, downloaded_at = 0,
            skipped_rows = 0;
  double confidence = 0.0;
  int attempts = 0, skip_bad_rows = 0, row_error = 0;
  soci::indicator downloaded_ind = soci::i_null;

  template <class Statement>
  void bind(Statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(owner));
    st.exchange(soci::into(filename));
    st.exchange(soci::into(size));
    st.exchange(soci::into(status));
    st.exchange(soci::into(bank));
    st.exchange(soci::into(bank_name));
    st.exchange(soci::into(format));
    st.exchange(soci::into(confidence));
    st.exchange(soci::into(transactions));
    st.exchange(soci::into(period_start));
    st.exchange(soci::into(period_end));
    st.exchange(soci::into(error_code));
    st.exchange(soci::into(error));
    st.exchange(soci::into(attempts));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(updated_at));
    st.exchange(soci::into(downloaded_at, downloaded_ind));
    st.exchange(soci::into(skip_bad_rows));
    st.exchange(soci::into(skipped_rows));
    st.exchange(soci::into(row_error));
  }

  [[nodiscard]] job to_job() const {
    job j;
    j.id = id;
    j.owner = owner;
    j.filename = filename;
    j.size = static_cast<std::uint64_t>(size);
    j.status = status_from(status).value_or(job_status::failed);
    j.bank = bank;
    j.bank_name = bank_name;
    j.format = format;
    j.confidence = confidence;
    j.transactions = transactions;
    j.period_start = period_start;
    j.period_end = period_end;
    j.error_code = error_code;
    j.error = error;
    j.attempts = attempts;
    j.created_at = at_ms(created_at);
    j.updated_at = at_ms(updated_at);
    if (downloaded_ind == soci::i_ok) j.downloaded_at = at_ms(downloaded_at);
    j.skip_bad_rows = skip_bad_rows != 0;
    j.skipped_rows = skipped_rows;
    j.row_error = row_error != 0;
    return j;
  }
};

// Runs `sql_text` (which selects or returns `columns`) with `bind_uses` and collects the rows.
template <class Uses>
std::vector<job> fetch_jobs(soci::session& sql, const std::string& sql_text, Uses&& bind_uses) {
  job_row row;
  soci::statement st(sql);
  row.bind(st);
  bind_uses(st);
  st.alloc();
  st.prepare(sql_text);
  st.define_and_bind();
  std::vector<job> out;
  if (st.execute(true)) {
    do out.push_back(row.to_job());
    while (st.fetch());
  }
  return out;
}

std::string returning() { return " RETURNING " + std::string(columns); }

// "file:line: field: message" — error::to_string without the trailing " [code]".
std::string describe(const error& why) {
  std::string text = why.to_string();
  const std::string suffix = " [" + std::string(to_string(why.code)) + "]";
  if (text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0)
    text.resize(text.size() - suffix.size());
  return text;
}

bool is_hex_id(std::string_view id) {
  if (id.size() != 32) return false;
  for (const char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string_view to_string(job_status s) noexcept {
  switch (s) {
    case job_status::pending: return "pending";
    case job_status::processing: return "processing";
    case job_status::completed: return "completed";
    case job_status::failed: return "failed";
  }
  return "failed";
}

bool is_job_id(std::string_view id) noexcept { return is_hex_id(id); }

std::string job_filename(std::string_view client_name) {
  const std::string repaired = repair_utf8(client_name);
  std::string out;
  out.reserve(repaired.size());
  for (const char c : repaired)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  out.resize(utf8_prefix(out, max_job_filename_bytes).size());
  return out;
}

std::string to_json(const job& j) {
  char conf[32];
  std::snprintf(conf, sizeof conf, "%.2f", j.confidence);
  std::string out;
  json_writer w(out, json_writer::style::spaced);
  w.begin_object().field("id", j.id).field("status", to_string(j.status));
  w.key("bank").string_or_null(j.bank).key("bank_name").string_or_null(j.bank_name);
  w.key("format").string_or_null(j.format).key("confidence").raw(conf);
  w.field("transactions", j.transactions).field("skip_bad_rows", j.skip_bad_rows);
  w.field("skipped_rows", j.skipped_rows).key("period");
  if (j.period_start.empty() && j.period_end.empty()) w.null();
  else w.begin_object().key("start").string_or_null(j.period_start).key("end").string_or_null(j.period_end).end_object();
  w.key("error").string_or_null(j.error).key("error_code").string_or_null(j.error_code);
  w.field("row_error", j.row_error);
  w.field("created_at", format_timestamp(j.created_at)).field("updated_at", format_timestamp(j.updated_at));
  // rows stored before job_filename() existed may hold any bytes: the JSON is UTF-8 whatever
  w.field("filename", is_valid_utf8(j.filename) ? j.filename : repair_utf8(j.filename));
  w.end_object();
  return out;
}

// ---- job_paths ----

fs::path job_paths::upload(std::string_view job_id) const {
  if (!is_job_id(job_id)) throw std::invalid_argument("job_paths::upload: not a job id");
  return data_dir / "uploads" / std::string(job_id);
}

fs::path job_paths::result(std::string_view job_id, std::string_view style) const {
  if (!is_job_id(job_id)) throw std::invalid_argument("job_paths::result: not a job id");
  std::string name(job_id);
  if (style == "csv") name += ".csv";
  else if (style == "excel-br") name += ".excel-br.csv";
  else if (style == "json") name += ".json";
  else if (style == "xlsx") name += ".xlsx";
  else throw std::invalid_argument("job_paths::result: style must be csv, excel-br, json or xlsx");
  return data_dir / "results" / name;
}

bankflow::result<std::string> job_paths::read_data(const fs::path& file) const {
  return read_data_file(file, keys.get());
}

bankflow::result<void> job_paths::write_data(const fs::path& file, std::string_view bytes) const {
  return write_data_file(file, bytes, keys.get());
}

bankflow::result<void> job_paths::prepare() const {
  for (const char* sub : {"uploads", "results", "held"}) {
    const fs::path dir = data_dir / sub;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!ec) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) {
      auto e = make_error(errc::io_error, "cannot create the directory: " + ec.message());
      e.file = dir.string();
      return e;
    }
  }
  return {};
}

std::uint64_t job_paths::disk_usage() const {
  std::uint64_t total = 0;
  for (const char* sub : {"uploads", "results", "held"}) {
    std::error_code ec;
    fs::directory_iterator it(data_dir / sub, ec);
    if (ec) continue;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      std::error_code stat_ec;
      if (!it->is_regular_file(stat_ec)) continue;
      const auto size = it->file_size(stat_ec);
      if (!stat_ec) total += size;
    }
  }
  return total;
}

bankflow::result<void> job_paths::check_room(std::uint64_t incoming, std::uint64_t quota) const {
  if (quota > 0) {
    const std::uint64_t used = disk_usage();
    if (used > quota || incoming > quota - used)
      return make_error(errc::insufficient_storage,
                        "the server's storage for uploads and results is full (" + std::to_string(used) + " of " +
                            std::to_string(quota) + " bytes in use): try again once earlier files are gone");
  }
  // The quota may be larger than the disk: keep room for this upload, its results and the database.
  constexpr std::uint64_t headroom = 16 * 1024 * 1024;
  std::error_code ec;
  const auto space = fs::space(data_dir, ec);
  if (!ec && space.available != static_cast<std::uintmax_t>(-1) &&
      (space.available < headroom || incoming > (space.available - headroom) / 2))
    return make_error(errc::insufficient_storage, "the server's disk is full: try again later");
  return {};
}

fs::path job_paths::rules(std::string_view job_id) const {
  fs::path p = upload(job_id);
  p += ".rules";
  return p;
}

void job_paths::remove_upload(std::string_view job_id) const {
  std::error_code ignored;  // already gone is fine
  fs::remove(upload(job_id), ignored);
  fs::remove(held(job_id), ignored);
  fs::remove(rules(job_id), ignored);
}

void job_paths::remove_files(std::string_view job_id) const {
  if (!is_job_id(job_id)) return;
  remove_upload(job_id);  // held or not
  std::error_code ignored;  // already gone is fine; another janitor may have been first
  for (const std::string_view style : {"csv", "excel-br", "json", "xlsx"}) fs::remove(result(job_id, style), ignored);
}

fs::path job_paths::held(std::string_view job_id) const {
  if (!is_job_id(job_id)) throw std::invalid_argument("job_paths::held: not a job id");
  return data_dir / "held" / std::string(job_id);
}

void job_paths::hold_upload(std::string_view job_id) const {
  std::error_code ec;
  if (!fs::exists(upload(job_id), ec)) return;
  fs::create_directory(held(job_id).parent_path(), ec);  // a data directory prepared before held/ existed
  fs::rename(upload(job_id), held(job_id), ec);
  if (ec) remove_upload(job_id);  // never left where a worker would take it as live
}

bool job_paths::restore_upload(std::string_view job_id) const {
  std::error_code ec;
  if (fs::exists(upload(job_id), ec)) return true;
  fs::rename(held(job_id), upload(job_id), ec);
  return !ec;
}

// ---- job_store ----

struct job_store::impl {
  detail::database_impl* db;
  clock_fn clock;

  long long now_ms() const { return detail::unix_ms(clock()); }

  // Fails the job with this error from the states in `from` (an SQL list); nullopt when it was in
  // none of them (or is missing).
  result<std::optional<job>> mark_failed(const std::string& key, const error& why, std::string_view from) {
    const long long now = now_ms();
    const std::string code(to_string(why.code));
    const std::string message = describe(why);
    const int row = why.row_error ? 1 : 0;
    return update_one("failing a job",
                        "UPDATE bankflow_jobs SET status = 'failed', error_code = :ec, error = :e, "
                        "row_error = :re, updated_at = :n WHERE id = :id AND status IN " + std::string(from),
                        [&](soci::statement& st) {
                          st.exchange(soci::use(code, "ec"));
                          st.exchange(soci::use(message, "e"));
                          st.exchange(soci::use(row, "re"));
                          st.exchange(soci::use(now, "n"));
                          st.exchange(soci::use(key, "id"));
                        });
  }

  // One UPDATE … RETURNING; nullopt when no row matched.
  template <class Uses>
  result<std::optional<job>> update_one(std::string_view what, const std::string& sql_text, Uses&& uses) {
    std::optional<job> out;
    auto ok = detail::with_session(*db, what, [&](soci::session& sql) {
      auto rows = fetch_jobs(sql, sql_text + returning(), uses);
      out.reset();
      if (!rows.empty()) out = std::move(rows.front());
    });
    if (!ok) return ok.error();
    return out;
  }
};

job_store::job_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
job_store::job_store(job_store&& other) noexcept = default;
job_store& job_store::operator=(job_store&& other) noexcept = default;
job_store::~job_store() = default;

result<job_store> job_store::open(database& db, job_store_options options) {
  detail::database_impl& d = detail::database_access::impl(db);
  if (auto ok = detail::migrate(d, "jobs", job_migrations()); !ok) return ok.error();
  auto p = std::make_unique<impl>();
  p->db = &d;
  p->clock = options.clock ? std::move(options.clock) : system_clock();
  return job_store(std::move(p));
}

std::string job_store::new_job_id() { return detail::random_hex(16); }

result<job> job_store::create(std::string_view id, std::string_view owner, std::string_view filename,
                              std::uint64_t size, bool skip_bad_rows, bool kept) {
  if (!is_job_id(id)) return make_error(errc::invalid_argument, "a job id is 32 lowercase hex digits");
  job j;
  j.id = id;
  j.owner = owner;
  j.filename = job_filename(filename);
  j.size = size;
  j.skip_bad_rows = skip_bad_rows;
  const int skip = skip_bad_rows ? 1 : 0;
  const int keep = kept ? 1 : 0;
  const long long now = impl_->now_ms();
  j.created_at = at_ms(now);
  j.updated_at = j.created_at;
  const long long bytes = static_cast<long long>(size);
  const std::string status(to_string(job_status::pending));
  auto ok = detail::with_session(*impl_->db, "creating a job", [&](soci::session& sql) {
    sql << "INSERT INTO bankflow_jobs (id, owner, filename, size, status, bank, bank_name, format, "
           "confidence, transactions, period_start, period_end, error_code, error, attempts, "
           "created_at, updated_at, skip_bad_rows, kept) VALUES (:id, :o, :f, :s, :st, '', '', '', 0, 0, '', '', "
           "'', '', 0, :c, :u, :k, :kp)",
        soci::use(j.id, "id"), soci::use(j.owner, "o"), soci::use(j.filename, "f"), soci::use(bytes, "s"),
        soci::use(status, "st"), soci::use(now, "c"), soci::use(now, "u"), soci::use(skip, "k"),
        soci::use(keep, "kp");
  });
  if (!ok) return ok.error();
  return j;
}

result<job> job_store::get(std::string_view id) {
  if (!is_job_id(id)) return not_found_error("job", id);
  const std::string key(id);
  std::vector<job> rows;
  auto ok = detail::with_session(*impl_->db, "reading a job", [&](soci::session& sql) {
    rows = fetch_jobs(sql, "SELECT " + std::string(columns) + " FROM bankflow_jobs WHERE id = :id",
                      [&](soci::statement& st) { st.exchange(soci::use(key, "id")); });
  });
  if (!ok) return ok.error();
  if (rows.empty()) return not_found_error("job", id);
  return std::move(rows.front());
}

result<job> job_store::get_owned(std::string_view owner, std::string_view id) {
  auto j = get(id);
  if (!j) return j;
  session_info asking;
  asking.id = owner;
  if (auto mine = check_owner(asking, j->owner, "job", id); !mine) return mine.error();
  return j;
}

result<std::vector<job>> job_store::list(std::string_view owner, std::size_t limit) {
  const std::string who(owner);
  const long long n = static_cast<long long>(std::min<std::size_t>(limit, 100000));
  std::vector<job> rows;
  auto ok = detail::with_session(*impl_->db, "listing jobs", [&](soci::session& sql) {
    rows = fetch_jobs(sql,
                      "SELECT " + std::string(columns) +
                          " FROM bankflow_jobs WHERE owner = :o ORDER BY created_at DESC, id DESC LIMIT :n",
                      [&](soci::statement& st) {
                        st.exchange(soci::use(who, "o"));
                        st.exchange(soci::use(n, "n"));
                      });
  });
  if (!ok) return ok.error();
  return rows;
}

result<std::size_t> job_store::transfer_owner(std::string_view from, std::string_view to) {
  const std::string old_owner(from), new_owner(to);
  long long moved = 0;
  if (old_owner.empty() || old_owner == new_owner) return std::size_t{0};
  auto ok = detail::with_session(*impl_->db, "giving jobs to their new owner", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "UPDATE bankflow_jobs SET owner = :t, kept = 1 WHERE owner = :f",
                          soci::use(new_owner, "t"), soci::use(old_owner, "f"));
    st.execute(true);
    moved = st.get_affected_rows();
  });
  if (!ok) return ok.error();
  return static_cast<std::size_t>(moved);
}

result<job> job_store::start(std::string_view id) {
  if (!is_job_id(id)) return not_found_error("job", id);
  const std::string key(id);
  const long long now = impl_->now_ms();
  auto r = impl_->update_one(
      "starting a job",
      "UPDATE bankflow_jobs SET status = 'processing', attempts = attempts + 1, updated_at = :n "
      "WHERE id = :id AND status IN ('pending', 'processing')",
      [&](soci::statement& st) {
        st.exchange(soci::use(now, "n"));
        st.exchange(soci::use(key, "id"));
      });
  if (!r) return r.error();
  if (*r) return std::move(**r);
  return get(id);  // finished (unchanged) or missing
}

result<job> job_store::complete(std::string_view id, const job& outcome) {
  if (!is_job_id(id)) return not_found_error("job", id);
  const std::string key(id);
  const long long now = impl_->now_ms();
  const long long transactions = outcome.transactions;
  const long long skipped = outcome.skipped_rows;
  auto r = impl_->update_one(
      "completing a job",
      "UPDATE bankflow_jobs SET status = 'completed', bank = :b, bank_name = :bn, format = :f, "
      "confidence = :c, transactions = :t, skipped_rows = :sk, period_start = :ps, period_end = :pe, "
      "error_code = '', error = '', row_error = 0, updated_at = :n "
      "WHERE id = :id AND status IN ('pending', 'processing')",
      [&](soci::statement& st) {
        st.exchange(soci::use(outcome.bank, "b"));
        st.exchange(soci::use(outcome.bank_name, "bn"));
        st.exchange(soci::use(outcome.format, "f"));
        st.exchange(soci::use(outcome.confidence, "c"));
        st.exchange(soci::use(transactions, "t"));
        st.exchange(soci::use(skipped, "sk"));
        st.exchange(soci::use(outcome.period_start, "ps"));
        st.exchange(soci::use(outcome.period_end, "pe"));
        st.exchange(soci::use(now, "n"));
        st.exchange(soci::use(key, "id"));
      });
  if (!r) return r.error();
  if (*r) return std::move(**r);
  return get(id);
}

result<job> job_store::fail(std::string_view id, const error& why) {
  if (!is_job_id(id)) return not_found_error("job", id);
  auto r = impl_->mark_failed(std::string(id), why, "('pending', 'processing')");
  if (!r) return r.error();
  if (*r) return std::move(**r);
  return get(id);
}

result<job> job_store::fail_for_good(std::string_view id, const error& why) {
  if (!is_job_id(id)) return not_found_error("job", id);
  auto r = impl_->mark_failed(std::string(id), why, "('pending', 'processing', 'failed')");
  if (!r) return r.error();
  if (*r) return std::move(**r);
  return get(id);
}

result<job> job_store::requeue(std::string_view id, const error& /*why: kept by the queue*/) {
  if (!is_job_id(id)) return not_found_error("job", id);
  const std::string key(id);
  const long long now = impl_->now_ms();
  auto r = impl_->update_one("requeueing a job",
                             "UPDATE bankflow_jobs SET status = 'pending', updated_at = :n "
                             "WHERE id = :id AND status = 'processing'",
                             [&](soci::statement& st) {
                               st.exchange(soci::use(now, "n"));
                               st.exchange(soci::use(key, "id"));
                             });
  if (!r) return r.error();
  if (*r) return std::move(**r);
  return get(id);
}

result<job> job_store::reopen(std::string_view id) {
  if (!is_job_id(id)) return not_found_error("job", id);
  const std::string key(id);
  const long long now = impl_->now_ms();
  auto r = impl_->update_one("reopening a job",
                             "UPDATE bankflow_jobs SET status = 'pending', attempts = 0, error_code = '', error = '', "
                             "row_error = 0, updated_at = :n WHERE id = :id AND status <> 'completed'",
                             [&](soci::statement& st) {
                               st.exchange(soci::use(now, "n"));
                               st.exchange(soci::use(key, "id"));
                             });
  if (!r) return r.error();
  if (*r) return std::move(**r);
  return get(id);
}

result<job> job_store::mark_downloaded(std::string_view id) {
  if (!is_job_id(id)) return not_found_error("job", id);
  const std::string key(id);
  const long long now = impl_->now_ms();
  auto r = impl_->update_one("recording a download",
                             "UPDATE bankflow_jobs SET downloaded_at = COALESCE(downloaded_at, :n) "
                             "WHERE id = :id",
                             [&](soci::statement& st) {
                               st.exchange(soci::use(now, "n"));
                               st.exchange(soci::use(key, "id"));
                             });
  if (!r) return r.error();
  if (*r) return std::move(**r);
  return not_found_error("job", id);
}

result<std::vector<std::pair<job_status, std::int64_t>>> job_store::count_by_status() {
  std::vector<std::pair<job_status, std::int64_t>> out = {
      {job_status::pending, 0}, {job_status::processing, 0}, {job_status::completed, 0}, {job_status::failed, 0}};
  auto ok = detail::with_session(*impl_->db, "counting jobs", [&](soci::session& sql) {
    for (auto& [s, n] : out) n = 0;
    std::string status;
    long long n = 0;
    soci::statement st =
        (sql.prepare << "SELECT status, COUNT(*) FROM bankflow_jobs GROUP BY status", soci::into(status),
         soci::into(n));
    st.execute();
    while (st.fetch()) {
      const auto s = status_from(status);
      if (!s) continue;
      for (auto& [k, v] : out)
        if (k == *s) v = n;
    }
  });
  if (!ok) return ok.error();
  return out;
}

result<job_rates> job_store::rates(std::chrono::seconds window) {
  job_rates out;
  out.window = window;
  const long long since = impl_->now_ms() - static_cast<long long>(window.count()) * 1000;
  auto ok = detail::with_session(*impl_->db, "counting recent jobs", [&](soci::session& sql) {
    long long created = 0, completed = 0, failed = 0;
    soci::indicator ci = soci::i_null, di = soci::i_null, fi = soci::i_null;
    sql << "SELECT CAST(COALESCE(SUM(CASE WHEN created_at >= :s1 THEN 1 ELSE 0 END), 0) AS BIGINT), "
           "CAST(COALESCE(SUM(CASE WHEN status = 'completed' AND updated_at >= :s2 THEN 1 ELSE 0 END), 0) AS BIGINT), "
           "CAST(COALESCE(SUM(CASE WHEN status = 'failed' AND updated_at >= :s3 THEN 1 ELSE 0 END), 0) AS BIGINT) "
           "FROM bankflow_jobs WHERE created_at >= :s4 OR updated_at >= :s5",
        soci::use(since, "s1"), soci::use(since, "s2"), soci::use(since, "s3"), soci::use(since, "s4"),
        soci::use(since, "s5"), soci::into(created, ci), soci::into(completed, di), soci::into(failed, fi);
    out.created = ci == soci::i_ok ? created : 0;
    out.completed = di == soci::i_ok ? completed : 0;
    out.failed = fi == soci::i_ok ? failed : 0;
  });
  if (!ok) return ok.error();
  return out;
}

result<std::vector<job>> job_store::fail_stuck(std::chrono::seconds older_than) {
  const long long now = impl_->now_ms();
  const long long cutoff = now - static_cast<long long>(older_than.count()) * 1000;
  std::vector<std::string> ids;
  const std::string code(to_string(errc::storage_error));
  const std::string message = "no worker finished this job: its last attempt stopped without an answer";
  auto ok = detail::with_transaction(*impl_->db, "failing stuck jobs", {}, [&](soci::session& sql) {
    ids.clear();
    std::string id;
    soci::statement st = (sql.prepare << "UPDATE bankflow_jobs SET status = 'failed', error_code = :ec, error = :e, "
                                         "updated_at = :n WHERE status = 'processing' AND updated_at <= :c RETURNING id",
                          soci::use(code, "ec"), soci::use(message, "e"), soci::use(now, "n"),
                          soci::use(cutoff, "c"), soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
  });
  if (!ok) return ok.error();
  std::vector<job> failed;
  for (const auto& id : ids)
    if (auto j = get(id)) failed.push_back(std::move(*j));
  return failed;
}

result<std::vector<job>> job_store::unfinished() {
  std::vector<job> rows;
  auto ok = detail::with_session(*impl_->db, "listing unfinished jobs", [&](soci::session& sql) {
    rows = fetch_jobs(sql,
                      "SELECT " + std::string(columns) +
                          " FROM bankflow_jobs WHERE status IN ('pending', 'processing') ORDER BY created_at, id",
                      [](soci::statement&) {});
  });
  if (!ok) return ok.error();
  return rows;
}

result<std::vector<std::string>> job_store::remove_expired(std::chrono::seconds grace,
                                                           const std::vector<std::string>& owners,
                                                           std::chrono::seconds account_retention) {
  const long long now = impl_->now_ms();
  const long long cutoff = now - static_cast<long long>(grace.count()) * 1000;
  const long long kept_cutoff = now - static_cast<long long>(account_retention.count()) * 1000;
  std::vector<std::string> removed;
  // DELETE … RETURNING hands each row to exactly one of several concurrent janitors.
  auto ok = detail::with_transaction(*impl_->db, "removing expired jobs", {}, [&](soci::session& sql) {
    removed.clear();
    std::string id;
    {
      soci::statement st = (sql.prepare << "DELETE FROM bankflow_jobs WHERE downloaded_at IS NOT NULL "
                                           "AND downloaded_at <= :c AND kept = 0 RETURNING id",
                            soci::use(cutoff, "c"), soci::into(id));
      st.execute();
      while (st.fetch()) removed.push_back(id);
    }
    if (account_retention.count() > 0) {
      soci::statement st = (sql.prepare << "DELETE FROM bankflow_jobs WHERE kept = 1 AND created_at <= :c "
                                           "AND status IN ('completed', 'failed') RETURNING id",
                            soci::use(kept_cutoff, "c"), soci::into(id));
      st.execute();
      while (st.fetch()) removed.push_back(id);
    }
    for (const std::string& owner : owners) {
      soci::statement st = (sql.prepare << "DELETE FROM bankflow_jobs WHERE owner = :o RETURNING id",
                            soci::use(owner, "o"), soci::into(id));
      st.execute();
      while (st.fetch()) removed.push_back(id);
    }
  });
  if (!ok) return ok.error();
  return removed;
}

result<job> job_store::remove(std::string_view owner, std::string_view id) {
  auto j = get_owned(owner, id);
  if (!j) return j.error();
  const std::string key(id), who(owner);
  long long deleted = 0;
  auto ok = detail::with_session(*impl_->db, "deleting a job", [&](soci::session& sql) {
    soci::statement st = (sql.prepare << "DELETE FROM bankflow_jobs WHERE id = :id AND owner = :o",
                          soci::use(key, "id"), soci::use(who, "o"));
    st.execute(true);
    deleted = st.get_affected_rows();
  });
  if (!ok) return ok.error();
  if (deleted == 0) return not_found_error("job", id);  // a concurrent delete was first
  return j;
}

result<std::vector<std::string>> job_store::remove_owned(std::string_view owner) {
  const std::string who(owner);
  std::vector<std::string> removed;
  auto ok = detail::with_session(*impl_->db, "removing an owner's jobs", [&](soci::session& sql) {
    std::string id;
    soci::statement st = (sql.prepare << "DELETE FROM bankflow_jobs WHERE owner = :o RETURNING id",
                          soci::use(who, "o"), soci::into(id));
    st.execute();
    while (st.fetch()) removed.push_back(id);
  });
  if (!ok) return ok.error();
  return removed;
}

result<std::string> preview_json(const job_paths& paths, std::string_view job_id, std::size_t limit) {
  auto bytes = paths.read_data(paths.result(job_id, "json"));
  if (!bytes) return bytes.error();
  boost::system::error_code ec;
  auto doc = boost::json::parse(*bytes, ec);
  const auto* statement = ec ? nullptr : doc.if_object();
  const auto* rows = statement ? statement->if_contains("transactions") : nullptr;
  if (!rows || !rows->is_array())
    return make_error(errc::io_error, "the result of job " + std::string(job_id) + " is not readable");
  const auto& all = rows->get_array();
  boost::json::array first;
  for (std::size_t i = 0; i < all.size() && i < limit; ++i) first.push_back(all[i]);
  boost::json::object out;
  out["transactions"] = std::move(first);
  out["total"] = all.size();
  out["skipped_rows"] = statement->contains("skipped_rows") ? statement->at("skipped_rows")
                                                            : boost::json::value(boost::json::array());
  for (const char* key : {"period", "opening_balance", "closing_balance", "currency", "due_date", "reconciliation"})
    out[key] = statement->contains(key) ? statement->at(key) : boost::json::value(nullptr);
  return boost::json::serialize(out);
}

}  // namespace bankflow
