// A statement as an Excel workbook through libxlsxwriter (export.hpp to_xlsx, FORMATS-OUT.md "XLSX").
//
// Every sheet is a table of columns {header, width, cell writer}: a new column is one more row in
// its table. Amounts stay int64 centavos everywhere; only the number a cell holds is
// centavos / 100 as a double (exact to the centavo for anything below 2^53 centavos, and Excel
// keeps doubles anyway). Text goes through worksheet_write_string only, which stores a string:
// nothing a bank wrote can become a formula.

#include <bankflow/export.hpp>
#include <bankflow/money.hpp>
#include <bankflow/parse.hpp>

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

namespace bankflow {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view summary_sheet = "Resumo";
constexpr std::string_view skipped_sheet = "Linhas ignoradas";
constexpr char money_format[] = "\"R$ \"#,##0.00;[Red]-\"R$ \"#,##0.00";
constexpr std::size_t max_sheet_name = 31;       // characters (Excel's limit)
constexpr std::size_t max_cell_text = 32767;     // characters in a cell (Excel's limit)
constexpr std::size_t max_data_rows = 1048575;   // a sheet's rows after the header

// ---- sheet names ----

// Excel refuses these in a sheet name.
bool forbidden_in_sheet_name(char c) noexcept {
  return c == '[' || c == ']' || c == ':' || c == '?' || c == '/' || c == '\\' ||
         static_cast<unsigned char>(c) < 0x20;
}

// The first `max` UTF-8 characters of s.
std::string first_characters(std::string_view s, std::size_t max) {
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (chars++ == max) break;
  }
  return std::string(s.substr(0, i));
}

// A sheet name Excel accepts: forbidden characters replaced (a card's '*' mask by '•'), no
// apostrophe at either end, at most 31 characters, never empty.
std::string valid_sheet_name(std::string_view wanted) {
  std::string name;
  for (const char c : wanted) {
    if (c == '*') name += "\u2022";
    else name += forbidden_in_sheet_name(c) ? '_' : c;
  }
  while (!name.empty() && name.front() == '\'') name.erase(0, 1);
  name = first_characters(name, max_sheet_name);
  while (!name.empty() && (name.back() == '\'' || name.back() == ' ')) name.pop_back();
  return name.empty() ? std::string("Conta") : name;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Sheet names handed out so far; Excel compares them without case.
class sheet_names {
 public:
  sheet_names() {
    for (const auto reserved : {summary_sheet, skipped_sheet}) taken_.push_back(ascii_lower(reserved));
  }
  // valid_sheet_name(wanted), with " (2)", " (3)" … when it is taken.
  std::string unique(std::string_view wanted) {
    const std::string base = valid_sheet_name(wanted);
    std::string name = base;
    for (int n = 2; is_taken(name); ++n) {
      const std::string suffix = " (" + std::to_string(n) + ")";
      name = first_characters(base, max_sheet_name - suffix.size()) + suffix;
    }
    taken_.push_back(ascii_lower(name));
    return name;
  }

 private:
  bool is_taken(const std::string& name) const {
    return std::find(taken_.begin(), taken_.end(), ascii_lower(name)) != taken_.end();
  }
  std::vector<std::string> taken_;
};

// "Conta 455000-5", "Cartão 4514.****.****.0213 #02" (before valid_sheet_name), "Conta".
std::string account_sheet_title(const account& a) {
  std::string title;
  switch (a.kind) {
    case account_kind::savings: title = "Poupança"; break;
    case account_kind::credit_card: title = "Cartão"; break;
    default: title = "Conta"; break;
  }
  if (!a.number.empty()) title += " " + a.number;
  return title;
}

// ---- the workbook and its formats ----

struct formats {
  lxw_format* header = nullptr;
  lxw_format* date = nullptr;
  lxw_format* money = nullptr;
};

formats make_formats(lxw_workbook* wb) {
  formats f{workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb)};
  format_set_bold(f.header);
  format_set_num_format(f.date, "dd/mm/yyyy");
  format_set_num_format(f.money, money_format);
  return f;
}

// Where a sheet's cells go; remembers the first error libxlsxwriter reports.
struct sheet_out {
  lxw_worksheet* ws = nullptr;
  const formats& fmt;
  const statement& st;  // the rows' statement: their details (merchant, counterparty, instalment)
  lxw_error status = LXW_NO_ERROR;

  void check(lxw_error e) noexcept {
    if (status == LXW_NO_ERROR) status = e;
  }
  void text(lxw_row_t r, lxw_col_t c, std::string_view s) {
    if (s.empty()) return;
    // Excel's limit per cell; longer text (a whole OFX STMTTRN) is cut on a character
    check(worksheet_write_string(ws, r, c, first_characters(s, max_cell_text).c_str(), nullptr));
  }
  void money(lxw_row_t r, lxw_col_t c, std::int64_t centavos) {
    check(worksheet_write_number(ws, r, c, static_cast<double>(centavos) / 100.0, fmt.money));
  }
  void whole(lxw_row_t r, lxw_col_t c, std::size_t n) {
    check(worksheet_write_number(ws, r, c, static_cast<double>(n), nullptr));
  }
  void day(lxw_row_t r, lxw_col_t c, date d) {
    // Excel has no dates before 1900: such a date (never a bank's) stays readable as text
    if (static_cast<int>(d.year()) < 1900) return text(r, c, format_date(d));
    lxw_datetime dt{static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
                    static_cast<int>(static_cast<unsigned>(d.day())), 0, 0, 0.0};
    check(worksheet_write_datetime(ws, r, c, &dt, fmt.date));
  }
};

// One column of a sheet whose rows are `Row`s: its header, its width (in characters) and what
// it writes in each row's cell.
template <class Row>
struct column {
  std::string_view header;
  double width;
  void (*write)(sheet_out&, lxw_row_t, lxw_col_t, const Row&);
};

// The header row (bold, frozen), the column widths and an autofilter over `rows` data rows.
template <class Row, std::size_t N>
void write_frame(sheet_out& out, const std::array<column<Row>, N>& columns, std::size_t rows) {
  const auto last_col = static_cast<lxw_col_t>(columns.size() - 1);
  for (lxw_col_t c = 0; c <= last_col; ++c) {
    out.check(worksheet_write_string(out.ws, 0, c, std::string(columns[c].header).c_str(), out.fmt.header));
    out.check(worksheet_set_column(out.ws, c, c, columns[c].width, nullptr));
  }
  worksheet_freeze_panes(out.ws, 1, 0);
  out.check(worksheet_autofilter(out.ws, 0, 0, static_cast<lxw_row_t>(rows), last_col));
}

// A sheet named `name` holding one row per item of `rows` under `columns`.
template <class Row, std::size_t N, class Rows>
lxw_error write_table(lxw_workbook* wb, const formats& fmt, const statement& st, const std::string& name,
                      const std::array<column<Row>, N>& columns, const Rows& rows) {
  sheet_out out{workbook_add_worksheet(wb, name.c_str()), fmt, st};
  if (out.ws == nullptr) return LXW_ERROR_MEMORY_MALLOC_FAILED;
  write_frame(out, columns, rows.size());
  lxw_row_t r = 1;
  for (const auto& row : rows) {
    for (lxw_col_t c = 0; c < columns.size(); ++c) columns[c].write(out, r, c, row);
    ++r;
  }
  return out.status;
}

// ---- the sheets ----

// A kind as the pt-BR workbook names it (docs/FORMATS-OUT.md lists the ids).
std::string_view kind_label(transaction_kind k) noexcept {
  using enum transaction_kind;
  switch (k) {
    case pix: return "PIX";
    case ted: return "TED";
    case doc: return "DOC";
    case tef: return "Transferência";
    case boleto: return "Boleto";
    case card_purchase: return "Compra no cartão";
    case card_payment: return "Pagamento de fatura";
    case debit_card: return "Débito";
    case withdrawal: return "Saque";
    case deposit: return "Depósito";
    case salary: return "Salário";
    case yield: return "Rendimento";
    case investment: return "Aplicação";
    case redemption: return "Resgate";
    case fee: return "Tarifa";
    case tax: return "Imposto";
    case interest: return "Juros";
    case refund: return "Estorno";
    case loan: return "Empréstimo";
    case direct_debit: return "Débito automático";
    case other: break;
  }
  return "Outro";
}

// Who or where: the merchant of a purchase, else the other side of a transfer.
std::string_view party_of(const statement& st, const transaction& t) {
  const row_details* d = st.details_of(t);
  if (d == nullptr) return {};
  if (!d->merchant.empty()) return d->merchant;
  const counterparty* c = st.counterparty_of(t);
  return c != nullptr ? c->name : std::string_view();
}

// An account's transaction sheet: the columns of the CSV first, then what enrichment says of the
// row (left empty for a statement that was not enriched).
constexpr std::array<column<const transaction*>, 10> transaction_columns{{
    {"Data", 12, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) { o.day(r, c, t->posted); }},
    {"Descrição", 48, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) { o.text(r, c, t->description); }},
    {"Valor", 16, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) { o.money(r, c, t->amount); }},
    {"Saldo", 16,
     [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) {
       if (t->balance) o.money(r, c, *t->balance);
     }},
    {"Documento", 14, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) { o.text(r, c, t->document); }},
    {"FITID", 24, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) { o.text(r, c, t->fitid); }},
    {"Tipo", 18,
     [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) {
       if (o.st.enriched) o.text(r, c, kind_label(t->kind));
     }},
    {"Categoria", 20, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) { o.text(r, c, t->category); }},
    {"Estabelecimento ou contraparte", 32,
     [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) { o.text(r, c, party_of(o.st, *t)); }},
    {"Parcela", 9,
     [](sheet_out& o, lxw_row_t r, lxw_col_t c, const transaction* const& t) {
       const row_details* d = o.st.details_of(*t);
       if (d != nullptr && d->installment)
         o.text(r, c, std::to_string(d->installment->number) + "/" + std::to_string(d->installment->count));
     }},
}};

// What the summary adds up by: the month, then the category (rows without one: uncategorised).
struct summary_key {
  std::chrono::year_month month;
  std::string_view category;
  auto operator<=>(const summary_key&) const = default;
};

constexpr std::string_view uncategorised = "(sem categoria)";

struct summary_row {
  summary_key key;
  std::int64_t in = 0;   // entradas: the positive amounts
  std::int64_t out = 0;  // saídas: the negative amounts (negative)
};

constexpr std::array<column<summary_row>, 5> summary_columns{{
    {"Mês", 10,
     [](sheet_out& o, lxw_row_t r, lxw_col_t c, const summary_row& s) {
       char ym[16];
       std::snprintf(ym, sizeof ym, "%04d-%02u", static_cast<int>(s.key.month.year()),
                     static_cast<unsigned>(s.key.month.month()));
       o.text(r, c, ym);
     }},
    {"Categoria", 24, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const summary_row& s) { o.text(r, c, s.key.category); }},
    {"Entradas", 18, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const summary_row& s) { o.money(r, c, s.in); }},
    {"Saídas", 18, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const summary_row& s) { o.money(r, c, s.out); }},
    {"Saldo do mês", 18, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const summary_row& s) { o.money(r, c, s.in + s.out); }},
}};

constexpr std::array<column<skipped_row>, 6> skipped_columns{{
    {"Linha", 8,
     [](sheet_out& o, lxw_row_t r, lxw_col_t c, const skipped_row& s) {
       if (s.line != 0) o.whole(r, c, s.line);
     }},
    {"Planilha", 16, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const skipped_row& s) { o.text(r, c, s.sheet); }},
    {"Célula", 8, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const skipped_row& s) { o.text(r, c, s.cell); }},
    {"Código", 16, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const skipped_row& s) { o.text(r, c, to_string(s.code)); }},
    {"Mensagem", 48, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const skipped_row& s) { o.text(r, c, skipped_row_message(s)); }},
    {"Conteúdo", 64, [](sheet_out& o, lxw_row_t r, lxw_col_t c, const skipped_row& s) { o.text(r, c, s.raw); }},
}};

// The totals per month and category (oldest month first, categories in byte order), added up in
// int64 (in + out, of opposite signs, always fits). Error: amount_overflow.
result<std::vector<summary_row>> monthly_totals(const statement& st) {
  std::map<summary_key, summary_row> rows;
  for (const auto& t : st.transactions) {
    const summary_key key{t.posted.year() / t.posted.month(), t.category.empty() ? uncategorised : t.category};
    auto& row = rows.try_emplace(key, summary_row{key}).first->second;
    std::int64_t& total = t.amount >= 0 ? row.in : row.out;
    if (__builtin_add_overflow(total, t.amount, &total))
      return make_error(errc::amount_overflow, "the total of " + format_date(t.posted).substr(0, 7) +
                                                   " does not fit in 64-bit centavos");
  }
  std::vector<summary_row> out;
  out.reserve(rows.size());
  for (const auto& entry : rows) out.push_back(entry.second);
  return out;
}

// Each account's transactions in file order; rows without a known account go to the first.
std::vector<std::vector<const transaction*>> rows_by_account(const statement& st) {
  std::vector<std::vector<const transaction*>> by(std::max<std::size_t>(st.accounts.size(), 1));
  for (const auto& t : st.transactions) by[t.account_index < by.size() ? t.account_index : 0].push_back(&t);
  return by;
}

// Refuses what a sheet cannot hold, before anything is written. Error: limit_exceeded.
result<void> check_rows_fit(const statement& st) {
  if (st.transactions.size() <= max_data_rows && st.skipped_rows.size() <= max_data_rows) return {};
  return make_error(errc::limit_exceeded, "the statement has more rows than an Excel sheet holds (" +
                                              std::to_string(max_data_rows) + "): convert it to CSV or JSON");
}

// The workbook's creation time: the statement's last day, so the same statement always gives the
// same bytes (never before 1980, the ZIP format's epoch).
std::time_t creation_time(const statement& st) {
  using namespace std::chrono;
  const date last = st.period_end.value_or(date{year{1980}, January, day{1}});
  const auto days = sys_days(last).time_since_epoch().count();
  return static_cast<std::time_t>(std::max<std::int64_t>(days, 3652) * 86400);
}

// "Extrato Banco do Brasil 455000-5", "Fatura Nubank 1234".
std::string workbook_title(const statement& st) {
  const std::size_t primary = st.primary_account();
  const account* acct = primary < st.accounts.size() ? &st.accounts[primary] : nullptr;
  std::string title = acct != nullptr && acct->kind == account_kind::credit_card ? "Fatura" : "Extrato";
  const std::string_view bank = st.bank != nullptr && !st.bank->name.empty() ? st.bank->name : std::string_view(st.bank_name);
  if (!bank.empty()) (title += ' ') += bank;
  if (acct != nullptr && !acct->number.empty()) title += " " + acct->number;
  return title;
}

lxw_error set_properties(lxw_workbook* wb, const statement& st) {
  std::string title = workbook_title(st);
  char creator[] = "bankflow";
  lxw_doc_properties props{};
  props.title = title.data();
  props.author = creator;
  props.created = creation_time(st);
  return workbook_set_properties(wb, &props);
}

lxw_error write_sheets(lxw_workbook* wb, const statement& st, const std::vector<summary_row>& summary) {
  const formats fmt = make_formats(wb);
  sheet_names names;
  const auto by_account = rows_by_account(st);
  for (std::size_t i = 0; i < by_account.size(); ++i) {
    const std::string name = names.unique(i < st.accounts.size() ? account_sheet_title(st.accounts[i]) : "Conta");
    if (auto e = write_table(wb, fmt, st, name, transaction_columns, by_account[i]); e != LXW_NO_ERROR)
      return e;
  }
  if (auto e = write_table(wb, fmt, st, std::string(summary_sheet), summary_columns, summary); e != LXW_NO_ERROR)
    return e;
  if (st.skipped_rows.empty()) return set_properties(wb, st);
  if (auto e = write_table(wb, fmt, st, std::string(skipped_sheet), skipped_columns, st.skipped_rows);
      e != LXW_NO_ERROR)
    return e;
  return set_properties(wb, st);
}

error io_failure(std::string message, const fs::path& file) {
  auto e = make_error(errc::io_error, std::move(message));
  e.file = file.string();
  return e;
}

struct workbook_free {
  void operator()(lxw_workbook* wb) const noexcept { lxw_workbook_free(wb); }
};

// Writes the workbook of `st` to the file `path` (created or replaced). Errors: as to_xlsx.
result<void> write_workbook(const statement& st, const fs::path& path, const fs::path& temp_dir) {
  if (auto fits = check_rows_fit(st); !fits) return fits.error();
  auto summary = monthly_totals(st);
  if (!summary) return summary.error();
  std::string tmpdir = temp_dir.string();
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  std::unique_ptr<lxw_workbook, workbook_free> wb(workbook_new_opt(path.c_str(), &options));
  if (!wb) return io_failure("cannot start the workbook", path);
  const lxw_error written = write_sheets(wb.get(), st, *summary);
  const lxw_error closed = workbook_close(wb.release());  // frees it, whatever it returns
  const lxw_error first = written != LXW_NO_ERROR ? written : closed;
  if (first != LXW_NO_ERROR) return io_failure(std::string("cannot write the workbook: ") + lxw_strerror(first), path);
  return {};
}

// A file made by mkstemp (O_EXCL, 0600), removed when it goes out of scope unless kept.
class temp_file {
 public:
  // A new file "<dir>/<prefix>XXXXXX". Error: io_error.
  static result<temp_file> create(const fs::path& dir, std::string_view prefix) {
    std::string name = (dir / (std::string(prefix) + "XXXXXX")).string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return io_failure("cannot create a temporary file", dir);
    ::close(fd);
    return temp_file(std::move(name));
  }
  temp_file(temp_file&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  temp_file& operator=(temp_file&&) = delete;
  ~temp_file() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  // Renames the file to `target`; it is then no longer removed. Error: io_error.
  result<void> rename_to(const fs::path& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) return io_failure("cannot move the workbook into place", target);
    path_.clear();
    return {};
  }

 private:
  explicit temp_file(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// The mode a new file gets from this process: 0666 less the umask (/proc/self/status says it
// without changing it, unlike umask()); 0600 when it cannot tell.
mode_t new_file_mode() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0600;
  unsigned mask = 0077;
  char line[256];
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::sscanf(line, "Umask: %o", &mask) == 1) break;
  std::fclose(f);
  return static_cast<mode_t>(0666U & ~mask);
}

fs::path temp_dir_of(const xlsx_options& options) {
  if (!options.temp_dir.empty()) return options.temp_dir;
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec);
  return ec ? fs::path("/tmp") : dir;
}

}  // namespace

result<std::string> to_xlsx(const statement& st, const xlsx_options& options) {
  const fs::path dir = temp_dir_of(options);
  auto tmp = temp_file::create(dir, "bankflow-xlsx-");
  if (!tmp) return tmp.error();
  if (auto written = write_workbook(st, tmp->path(), dir); !written) return written.error();
  return read_file(tmp->path());
}

result<void> write_xlsx(const statement& st, const fs::path& path, const xlsx_options& options) {
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec))
    return io_failure("not a regular file: write to_xlsx's bytes into it instead", path);
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  auto tmp = temp_file::create(parent, "." + path.filename().string() + ".");
  if (!tmp) return tmp.error();
  if (auto written = write_workbook(st, tmp->path(), temp_dir_of(options)); !written) return written.error();
  ::chmod(tmp->path().c_str(), new_file_mode());  // mkstemp's 0600 is for private files only
  return tmp->rename_to(path);
}

}  // namespace bankflow
