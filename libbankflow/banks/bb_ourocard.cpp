// Banco do Brasil Ourocard bill, the 80-column text from "Auto-Atendimento" (FORMATS.md §3.4.e).
//
// A transaction line starts with its date in a 9-character column (`dd/mm/yy ` or, in later
// bills, `dd/mm    `), then the description (merchant and city), the country (2 or 3 letters,
// absent on IOF lines), the R$ amount and the US$ amount, right-aligned. The amounts are read
// from the right end of the line rather than at fixed columns, because real lines carry an extra
// trailing blank. Section titles, the `01 - NAME` cardholder line, `Subtotal` and `Total` sit
// between the transactions, indented 9 blanks; the summary blocks (`RESUMO EM REAL` …) end the
// list. A line of the list that is not a transaction but carries an amount gets a warning.

#include "banks/bb_ourocard.hpp"

#include "core/append_text.hpp"
#include "core/clean_text.hpp"
#include "core/fast_paths.hpp"
#include "core/memory.hpp"

#include <bankflow/date.hpp>
#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <algorithm>
#include <optional>
#include <string>

namespace bankflow::detail {

namespace {

constexpr std::size_t country_column = 48;  // FORMATS.md §3.4.e, measured on the real bills
// The R$ column ends at column 67 and the US$ one at 79: an amount alone on a line belongs to
// the column its last character is nearer to.
constexpr std::size_t usd_column_from = 73;

// Characters in UTF-8 text: bytes that do not continue a sequence.
std::size_t columns(std::string_view s) noexcept {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// "dd/mm/yy " or "dd/mm    ": the date column of a transaction line.
std::optional<std::string_view> date_column(std::string_view line) noexcept {
  if (line.size() < 10 || !is_digit(line[0]) || !is_digit(line[1]) || line[2] != '/' ||
      !is_digit(line[3]) || !is_digit(line[4]))
    return std::nullopt;
  if (line[5] == '/' && is_digit(line[6]) && is_digit(line[7]) && line[8] == ' ')
    return line.substr(0, 8);
  if (line[5] == ' ') return line.substr(0, 5);
  return std::nullopt;
}

// Splits the last whitespace-separated token off `s` (already right-trimmed).
std::string_view pop_token(std::string_view& s) noexcept {
  s = trim(s);
  std::size_t sp = s.size();
  while (sp > 0 && s[sp - 1] != ' ' && s[sp - 1] != '\t') --sp;
  const std::string_view tok = s.substr(sp);
  s = sp == 0 ? std::string_view{} : s.substr(0, sp - 1);
  return tok;
}

// A token the bill meant as money: "1.234,56", "-130,00" (a digit or a minus and a digit first,
// a decimal comma). An installment "03/06" or a SUSEP number has no comma and stays text.
bool money_like(std::string_view t) noexcept {
  if (t.empty()) return false;
  const std::size_t first = t[0] == '-' ? 1 : 0;
  return first < t.size() && is_digit(t[first]) && t.find(',') != std::string_view::npos;
}

// A line's first byte rules out every folded prefix a check looks for when it is ASCII and not
// one of `letters` (either case): the fold that would decide it can be skipped.
bool may_start_with(std::string_view s, std::string_view letters) noexcept {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s[0]);
  if (c >= 0x80) return true;
  return letters.find(static_cast<char>(c | 0x20)) != std::string_view::npos;
}

// An amount column of the bill: the common shapes without building an error, then the full reader.
result<std::int64_t> bill_amount(std::string_view text) {
  if (std::int64_t v = 0; fast_amount(text, number_style::pt_br, v)) return v;
  return parse_amount_required(text, number_style::pt_br);
}

// "Campo       : valor" header lines; `folded_head` is the fold of the line's first 20 bytes.
std::optional<std::string_view> field_value(std::string_view line, std::string_view folded_head,
                                            std::string_view label) {
  if (!folded_head.starts_with(label)) return std::nullopt;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return trim(line.substr(colon + 1));
}

// The dollar rate as the bill prints it ("1.7627", "2,3430"): an integer and its power of ten,
// so that conversions stay in integer arithmetic.
struct exchange_rate {
  std::string text;
  std::int64_t units = 0;
  std::int64_t scale = 1;
};

std::optional<exchange_rate> read_rate(std::string_view text) {
  text = trim(text);
  if (text.starts_with("R$")) text = trim(text.substr(2));
  text = text.substr(0, text.find(' '));
  exchange_rate r;
  r.text = std::string(text);
  bool after_point = false;
  for (char c : text) {
    if (c == '.' || c == ',') {
      if (after_point) return std::nullopt;
      after_point = true;
    } else if (is_digit(c)) {
      if (r.units > 1'000'000'000 || r.scale > 1'000'000'000) return std::nullopt;
      r.units = r.units * 10 + (c - '0');
      if (after_point) r.scale *= 10;
    } else {
      return std::nullopt;
    }
  }
  if (r.units == 0) return std::nullopt;  // "X 0.0 =": no dollar purchases, no rate
  return r;
}

// How the bill turns dollars into centavos. It states its own conversion in the `RESUMO EM DÓLAR`
// block (`823,90 X 1.7627 = 1.452,28`), so the rule is the one that reproduces that line. The one
// real bill we have drops the fraction of a centavo (823,90 × 1,7627 = 1.452,28853 is printed
// 1.452,28), so that is the rule when the line cannot tell the two apart.
enum class rounding { toward_zero, half_away_from_zero };

std::optional<std::int64_t> convert(std::int64_t usd_minor, const exchange_rate& rate, rounding rule) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(usd_minor, rate.units, &product)) return std::nullopt;
  std::int64_t q = product / rate.scale;  // C++ division truncates toward zero
  const std::int64_t rem = product % rate.scale;
  if (rule == rounding::half_away_from_zero && 2 * (rem < 0 ? -rem : rem) >= rate.scale)
    q += product < 0 ? -1 : 1;
  return q;
}

// `01 - FULANO DA SILVA` (or `1-FULANO DA SILVA` in later bills): a card's number in the bill and
// its holder's name.
std::optional<std::pair<std::string, std::string>> cardholder_line(std::string_view trimmed) {
  std::size_t i = 0;
  while (i < trimmed.size() && i < 2 && is_digit(trimmed[i])) ++i;
  if (i == 0) return std::nullopt;
  std::string number(trimmed.substr(0, i));
  if (number.size() == 1) number.insert(number.begin(), '0');
  std::string_view rest = trimmed.substr(i);
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (!rest.starts_with('-')) return std::nullopt;
  rest = trim(rest.substr(1));
  if (rest.empty() || is_digit(rest[0])) return std::nullopt;
  std::string name = collapse_blanks(rest);
  return std::pair{std::move(number), std::move(name)};
}

bankflow::error at_line(const parse_input& in, errc code, std::string message, std::size_t line,
                        std::string field) {
  auto e = make_error(code, std::move(message), line, std::move(field));
  e.file = std::string(in.file_name);
  return e;
}

// What the header and the summaries say, read before the list because its lines need it.
struct bill_facts {
  date due{};
  std::string card;
  std::optional<std::int64_t> total;
  std::optional<exchange_rate> rate;
  rounding rule = rounding::toward_zero;
};

// `    871,64 -      21,78 +      69,52 =      823,90   X   1.7627 =       1.452,28`: the rate,
// and the rounding rule that turns the U$ balance into the R$ one the bill prints.
void read_dollar_summary(std::string_view line, std::size_t line_no, bill_facts& facts,
                         std::vector<warning>& warnings) {
  const std::size_t x = line.find(" X ");
  if (x == std::string_view::npos) return;
  std::string_view left = line.substr(0, x);
  const std::string_view usd_text = pop_token(left);
  std::string_view right = line.substr(x + 3);
  const std::size_t eq = right.find('=');
  auto rate = read_rate(right.substr(0, eq));
  if (!rate) return;
  facts.rate = std::move(rate);
  if (eq == std::string_view::npos) return;
  auto usd = parse_amount(usd_text, number_style::pt_br);
  auto brl = parse_amount(trim(right.substr(eq + 1)), number_style::pt_br);
  if (!usd || !usd->has_value() || !brl || !brl->has_value()) return;
  const auto down = convert(**usd, *facts.rate, rounding::toward_zero);
  const auto nearest = convert(**usd, *facts.rate, rounding::half_away_from_zero);
  if (down == **brl) {
    facts.rule = rounding::toward_zero;
  } else if (nearest == **brl) {
    facts.rule = rounding::half_away_from_zero;
  } else {
    warnings.push_back({line_no, "the bill's own dollar conversion (" + format_amount(**usd) + " × " +
                                     facts.rate->text + " = " + format_amount(**brl) +
                                     ") follows no rounding rule; dollar amounts are converted "
                                     "dropping fractions of a centavo"});
  }
}

result<bill_facts> read_bill_facts(const parse_input& in, std::vector<warning>& warnings) {
  bill_facts facts;
  bool due_seen = false;
  std::optional<exchange_rate> printed_rate;  // a "Cotação"/"Taxa de conversão" field line
  line_reader lines(in.text);
  std::string_view line;
  bool in_dollar_summary = false;
  std::string head, folded;  // reused from line to line
  while (lines.next(line)) {
    // most lines are transactions, which start with their date: no field or summary starts so
    const bool dated = !line.empty() && line[0] >= '0' && line[0] <= '9';
    if (dated && !in_dollar_summary) continue;
    head.clear();
    append_fold(head, line.substr(0, std::min<std::size_t>(line.size(), 20)));
    if (auto v = field_value(line, head, "vencimento")) {
      auto d = parse_date(*v, date_style::dmy_dots);
      if (!d || !d->has_value())
        return at_line(in, errc::bad_date, "cannot read the due date \"" + std::string(*v) + "\"",
                       lines.line_number(), "Vencimento");
      facts.due = **d;
      due_seen = true;
    } else if (auto c = field_value(line, head, "nr.cart")) {
      facts.card = std::string(*c);
    } else if (auto t = field_value(line, head, "total da fatura")) {
      std::string_view amount = *t;
      if (amount.starts_with("R$")) amount.remove_prefix(2);
      if (auto a = parse_amount(amount, number_style::pt_br); a && a->has_value()) facts.total = **a;
    } else if (auto r = field_value(line, head, "cotacao")) {
      printed_rate = read_rate(*r);
    } else if (auto r2 = field_value(line, head, "taxa de conversao")) {
      printed_rate = read_rate(*r2);
    } else if (auto r3 = field_value(line, head, "taxa de cambio")) {
      printed_rate = read_rate(*r3);
    }
    folded.clear();
    append_fold(folded, line);
    if (folded.starts_with("resumo em dolar")) {
      in_dollar_summary = true;
    } else if (in_dollar_summary && folded.find(" x ") != std::string::npos) {
      read_dollar_summary(line, lines.line_number(), facts, warnings);
      in_dollar_summary = false;
    }
  }
  if (!due_seen)
    return at_line(in, errc::csv_bad_header,
                   "no \"Vencimento\" line: this does not look like a complete Ourocard bill", 0,
                   "Vencimento");
  if (!facts.rate) facts.rate = std::move(printed_rate);
  return facts;
}

// The list of the bill, line by line, into `st`.
class bill_reader {
 public:
  bill_reader(const parse_input& in, const bill_facts& facts, statement& st)
      : in_(in), facts_(facts), st_(st) {}

  result<void> run();

 private:
  enum class next { go_on, end };
  result<next> list_line(std::string_view line, std::size_t line_no);
  result<void> transaction_line(std::string_view line, std::string_view date_text, std::size_t line_no);
  result<date> posting_date(std::string_view text, std::size_t line_no) const;
  std::int64_t dollar_purchase(std::int64_t usd, std::size_t line_no);
  bool continuation(std::string_view trimmed);
  void cardholder(const std::pair<std::string, std::string>& holder);
  void total_line(std::string_view trimmed, std::size_t line_no);
  void other_line(std::string_view trimmed, std::size_t line_no);
  void keep_dollar_amounts();
  void warn(std::size_t line, std::string message) { st_.warnings.push_back({line, std::move(message)}); }

  const parse_input& in_;
  const bill_facts& facts_;
  statement& st_;
  bool after_trn_ = false;   // the last line with text was a transaction (continuations follow it)
  bool skipped_last_ = false;  // the last transaction line was left out (skip_bad_rows)
  std::string total_name_;   // the `Subtotal`/`Total` line just above, for the amounts under it
  std::string section_;      // the section title the rows are under, entities decoded
  std::vector<std::string> holder_numbers_;  // "01", "02" … in order of appearance
  std::size_t current_ = 0;  // the account of the rows that follow
  // rows with a US$ amount, to keep it in their description once their continuation is joined
  std::vector<std::pair<std::size_t, std::string_view>> dollar_rows_;
  std::string folded_start_, description_text_;  // reused from line to line
};

result<void> bill_reader::run() {
  line_reader lines(in_.text);
  std::string_view line;
  bool in_list = false;  // between the column header and the summaries
  st_.transactions.reserve(in_.text.size() / 80);  // at most one per 80-column line
  advise_huge_pages(st_.transactions.data(), st_.transactions.capacity() * sizeof(transaction));
  while (lines.next(line)) {
    if (!in_list) {
      const std::string_view trimmed = trim(line);
      if (fold(trimmed.substr(0, std::min<std::size_t>(trimmed.size(), 12))).starts_with("data ") &&
          trimmed.find("Valor R$") != std::string_view::npos)
        in_list = true;
      continue;
    }
    auto r = list_line(line, lines.line_number());
    if (!r) return r.error();
    if (*r == next::end) break;
  }
  if (!in_list)
    return at_line(in_, errc::csv_bad_header,
                   "no \"Data … Valor R$ Valor US$\" column header: the bill has no transaction list",
                   0, "Data");
  keep_dollar_amounts();
  return {};
}

result<bill_reader::next> bill_reader::list_line(std::string_view line, std::size_t line_no) {
  const std::string_view trimmed = trim(line);
  // a blank line does not end a transaction: its "(SUSEP …)" line may follow after one
  if (trimmed.empty()) return next::go_on;
  if (trimmed.starts_with("---")) {
    after_trn_ = false;
    return next::go_on;
  }
  folded_start_.clear();
  if (may_start_with(trimmed, "rst"))
    append_fold(folded_start_, trimmed.substr(0, std::min<std::size_t>(trimmed.size(), 16)));
  if (folded_start_.starts_with("resumo")) return next::end;
  if (folded_start_.starts_with("subtotal") || folded_start_.starts_with("total")) {
    total_line(trimmed, line_no);
    return next::go_on;
  }
  if (const auto date_text = date_column(line)) {
    total_name_.clear();
    if (auto r = transaction_line(line, *date_text, line_no); !r) {
      // with skip_bad_rows the line is listed and left out, and its continuation lines go with it
      bankflow::error e = r.error();
      if (!skip_bad_row(in_, st_, e, line)) return e;
      after_trn_ = false;
      skipped_last_ = true;
      return next::go_on;
    }
    skipped_last_ = false;
    after_trn_ = true;
    return next::go_on;
  }
  if (skipped_last_ && (trimmed.starts_with("*") || trimmed.starts_with("("))) {
    st_.skipped_rows.back().raw += '\n';
    st_.skipped_rows.back().raw += line;
    return next::go_on;
  }
  skipped_last_ = false;
  if (continuation(trimmed)) return next::go_on;
  after_trn_ = false;
  if (auto holder = cardholder_line(trimmed)) {
    total_name_.clear();
    cardholder(*holder);
    return next::go_on;
  }
  other_line(trimmed, line_no);
  return next::go_on;
}

// "****  571,15 DOLAR CANADENSE", "*** 20,00 DOLAR AMERICANO", "(SUSEP - 99999999999/2004-41)":
// the line completes the transaction above.
bool bill_reader::continuation(std::string_view trimmed) {
  if (!after_trn_ || st_.transactions.empty() || !(trimmed.starts_with("*") || trimmed.starts_with("(")))
    return false;
  std::string extra = collapse_blanks(trimmed);
  while (!extra.empty() && extra.front() == '*') extra.erase(0, 1);
  transaction& prev = st_.transactions.back();
  prev.description = st_.keep(std::string(prev.description) + " " + std::string(trim(extra)));
  return true;
}

// `01 - NAME` heads the rows of one card: the titular's (the bill's own account) first, then each
// additional card, which becomes an account of its own.
void bill_reader::cardholder(const std::pair<std::string, std::string>& holder) {
  auto known = std::find(holder_numbers_.begin(), holder_numbers_.end(), holder.first);
  if (known != holder_numbers_.end()) {
    current_ = static_cast<std::size_t>(known - holder_numbers_.begin());
  } else if (holder_numbers_.empty()) {
    holder_numbers_.push_back(holder.first);
    st_.accounts[0].holder = holder.second;
    current_ = 0;
  } else {
    account extra;
    extra.number = facts_.card + " #" + holder.first;
    extra.kind = account_kind::credit_card;
    extra.holder = holder.second;
    holder_numbers_.push_back(holder.first);
    st_.accounts.push_back(std::move(extra));
    current_ = st_.accounts.size() - 1;
  }
}

// "Subtotal    1.753,95    20,00": the bill's sums, not movements.
void bill_reader::total_line(std::string_view trimmed, std::size_t line_no) {
  after_trn_ = false;
  std::string_view rest = trimmed;
  std::string_view usd = pop_token(rest);
  std::string_view brl = pop_token(rest);
  total_name_ = collapse_blanks(trim(rest));
  if (!money_like(usd)) return;  // a bare "Total" title: nothing to account for
  if (!money_like(brl)) {
    total_name_ = collapse_blanks(trimmed.substr(0, static_cast<std::size_t>(usd.data() - trimmed.data())));
    warn(line_no, "\"" + total_name_ + "\" line (" + std::string(usd) + ") is a sum of the bill, not a transaction");
    return;
  }
  warn(line_no, "\"" + total_name_ + "\" line (R$ " + std::string(brl) + ", US$ " + std::string(usd) +
                    ") is a sum of the bill, not a transaction");
}

// Anything else in the list: a section title (`Compras a vista`, `Companhias A&eacute;reas`), or a
// line with amounts that is not a transaction, which is said in a warning.
void bill_reader::other_line(std::string_view trimmed, std::size_t line_no) {
  std::string_view rest = trimmed;
  const std::string_view last = pop_token(rest);
  if (!money_like(last)) {
    section_ = clean_text(trimmed);
    total_name_.clear();
    return;
  }
  std::string_view before = rest;
  const std::string_view first = pop_token(before);
  const bool amounts_only = trim(before).empty() && (rest.empty() || money_like(first));
  if (amounts_only && !total_name_.empty()) {
    // the real 2014 bill prints a second line of US$ sums under `SubTotal` and `Total`
    const std::string shown = rest.empty() ? std::string(last) : "R$ " + std::string(first) + ", US$ " + std::string(last);
    warn(line_no, "amounts under the \"" + total_name_ + "\" line (" + shown + ") are a sum of the bill, not a transaction");
    return;
  }
  std::string where = section_.empty() ? std::string() : " under \"" + section_ + "\"";
  warn(line_no, "a line without a date" + where + " is not a transaction; skipped \"" +
                    clean_text(trimmed) + "\"");
}

result<date> bill_reader::posting_date(std::string_view text, std::size_t line_no) const {
  if (text.size() == 8) {
    auto d = parse_date(text, date_style::dmy);
    if (!d || !d->has_value())
      return at_line(in_, errc::bad_date, "cannot read the date \"" + std::string(text) + "\"", line_no, "Data");
    return **d;
  }
  // `dd/mm`: the year is the due date's, unless the month comes after the due month — a bill
  // due in January lists December's purchases, and installments bought months before.
  const unsigned day = static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0'));
  const unsigned month = static_cast<unsigned>((text[3] - '0') * 10 + (text[4] - '0'));
  std::chrono::year year = facts_.due.year();
  if (month > static_cast<unsigned>(facts_.due.month())) --year;
  const date d{year, std::chrono::month{month}, std::chrono::day{day}};
  if (month < 1 || month > 12 || !d.ok())
    return at_line(in_, errc::bad_date,
                   "no such day \"" + std::string(text) + "\" in " + std::to_string(static_cast<int>(year)) +
                       " (the year comes from the due date)",
                   line_no, "Data");
  return d;
}

// The amounts at a transaction line's end, from the right: R$ then US$, or one of them alone
// (its column says which). `rest` is left before them. False when the line ends in no amount.
bool amount_texts(std::string_view line, std::string_view& rest, std::string_view& brl_text,
                  std::string_view& usd_text) {
  rest = line.size() > 9 ? line.substr(9) : std::string_view{};
  std::string_view amounts[2];
  std::size_t found = 0;
  while (found < 2) {
    std::string_view left = rest;
    const std::string_view tok = pop_token(left);
    if (!money_like(tok)) break;
    amounts[found++] = tok;
    rest = left;
  }
  if (found == 0) return false;
  if (found == 2) {
    usd_text = amounts[0];
    brl_text = amounts[1];
  } else {
    const std::size_t end = static_cast<std::size_t>(amounts[0].data() - line.data()) + amounts[0].size();
    (columns(line.substr(0, end)) > usd_column_from ? usd_text : brl_text) = amounts[0];
  }
  return true;
}

// `rest` (the line up to its amounts) without the country column: two or three letters from
// column 48 (`BR`, `BRA`; a bank's code such as `211` on a payment), or nothing (IOF lines). A
// city that fills its column touches it: "LAURO DE FREITASBR". Columns count characters: the
// text is UTF-8 by now, the bill was single-byte.
std::string_view without_country(std::string_view line, std::string_view rest) {
  std::string_view left = rest;
  const std::string_view country = pop_token(left);
  const std::size_t start = static_cast<std::size_t>(country.data() - line.data());
  // extra bytes of accents: they matter to a token from byte 48 on, or one that may touch it
  const std::size_t shift =
      start < country_column && country.size() <= 3 ? 0 : start - columns(line.substr(0, start));
  const std::size_t at = country_column + shift;
  const std::size_t end = start + country.size();
  if (!country.empty() && start >= at && country.size() <= 3) return left;
  if (country.size() > 3 && start < at && end > at + 1 && end <= at + 3 &&
      std::all_of(line.begin() + static_cast<std::ptrdiff_t>(at), line.begin() + static_cast<std::ptrdiff_t>(end),
                  [](char c) { return c >= 'A' && c <= 'Z'; }))
    return line.substr(9, at - 9);
  return rest;
}

result<void> bill_reader::transaction_line(std::string_view line, std::string_view date_text,
                                           std::size_t line_no) {
  std::string_view rest, brl_text, usd_text;
  if (!amount_texts(line, rest, brl_text, usd_text))
    return at_line(in_, errc::bad_amount, "a transaction line without an amount at its end", line_no,
                   "Valor R$");
  std::int64_t brl = 0, usd = 0;
  if (!brl_text.empty()) {
    auto a = bill_amount(brl_text);
    if (!a) return at_line(in_, a.error().code, a.error().message, line_no, "Valor R$");
    brl = *a;
  }
  if (!usd_text.empty()) {
    auto a = bill_amount(usd_text);
    if (!a) return at_line(in_, a.error().code, a.error().message, line_no, "Valor US$");
    usd = *a;
  }
  rest = without_country(line, rest);
  auto posted = posting_date(date_text, line_no);
  if (!posted) return posted.error();

  transaction t;
  t.posted = *posted;
  description_text_.clear();
  append_clean_text(description_text_, rest);  // blanks collapsed, entities decoded
  t.description = st_.keep(description_text_);
  t.line = line_no;
  t.account_index = current_;
  // the bill writes purchases positive; normalized card bills write them negative
  t.amount = -brl;
  if (usd != 0) dollar_rows_.emplace_back(st_.transactions.size(), usd_text);
  if (brl == 0 && usd != 0) t.amount = dollar_purchase(usd, line_no);
  st_.transactions.push_back(std::move(t));
  return {};
}

// A purchase with a US$ amount only: R$ at the bill's rate when it gives one (0 otherwise), and
// a warning saying which.
std::int64_t bill_reader::dollar_purchase(std::int64_t usd, std::size_t line_no) {
  std::optional<std::int64_t> converted;
  if (facts_.rate) converted = convert(-usd, *facts_.rate, facts_.rule);
  warn(line_no, "purchase of US$ " + format_amount(usd) +
                    (converted ? " converted at the bill's rate " + facts_.rate->text + " to R$ " +
                                     format_amount(-*converted)
                               : std::string(" has no R$ value and no exchange rate in the bill")));
  return converted.value_or(0);
}

// Both amounts are kept: the R$ one is the row's amount, the US$ one stays in the description
// ("… US$ 554,98"), unless the continuation line already says it ("*** 20,00 DOLAR AMERICANO").
void bill_reader::keep_dollar_amounts() {
  const std::string_view rate = facts_.rate ? st_.keep(facts_.rate->text) : std::string_view{};
  for (const auto& [index, usd_text] : dollar_rows_) {
    transaction& t = st_.transactions[index];
    // the row's foreign amount for enrichment: US$, signed like the row (a purchase is negative)
    if (auto usd = bill_amount(usd_text)) st_.foreign_for(t) = foreign_amount{"USD", -*usd, rate, std::nullopt};
    const std::string said = std::string(usd_text) + " DOLAR AMERICANO";
    if (t.description.find(said) != std::string_view::npos) continue;
    std::string d(t.description);
    if (!d.empty()) d += ' ';
    d += "US$ ";
    d += usd_text;
    t.description = st_.keep(d);
  }
}

}  // namespace

void probe_bb_ourocard_txt(const probe_input& in, std::vector<candidate>& out) {
  const std::string_view h = in.head;
  const bool sisbb = h.find("SISBB") != std::string_view::npos;
  const bool title = h.find("Fatura do Cart") != std::string_view::npos;
  const bool ourocard = h.find("OUROCARD") != std::string_view::npos;
  const double score = (sisbb ? 0.4 : 0.0) + (title ? 0.35 : 0.0) + (ourocard ? 0.25 : 0.0);
  if (score < 0.5) return;
  candidate c;
  c.format = "bb-ourocard-txt";
  c.bank = find_bank("bb");
  c.confidence = score;
  out.push_back(std::move(c));
}

result<statement> parse_bb_ourocard_txt(const parse_input& in) {
  statement st;
  st.bank = find_bank("bb");
  st.format = "bb-ourocard-txt";

  auto facts = read_bill_facts(in, st.warnings);
  if (!facts) return facts.error();

  account acct;
  acct.number = facts->card;
  acct.kind = account_kind::credit_card;
  acct.closing_balance_date = facts->due;
  if (facts->total) acct.closing_balance = -*facts->total;
  st.accounts.push_back(std::move(acct));

  bill_reader reader(in, *facts, st);
  if (auto r = reader.run(); !r) return r.error();
  finish_statement(st);
  return st;
}

}  // namespace bankflow::detail
