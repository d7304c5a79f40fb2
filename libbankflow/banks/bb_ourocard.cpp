// Banco do Brasil Ourocard bill, the 80-column text from "Auto-Atendimento" (FORMATS.md §3.4.e).
//
// A transaction line starts with its date in a 9-character column (`dd/mm/yy ` or, in later
// bills, `dd/mm    `), then the description (merchant and city), the country (2 or 3 letters),
// the R$ amount and the US$ amount, right-aligned. The amounts are read from the right end of
// the line rather than at fixed columns, because real lines carry an extra trailing blank.
// Section titles, the `01 - NAME` cardholder line, `Subtotal` and `Total` sit between the
// transactions, indented 9 blanks; the summary blocks (`RESUMO EM REAL` …) end the list.

#include "core/clean_text.hpp"
#include "core/fast_paths.hpp"
#include "core/memory.hpp"
#include "detect/registry.hpp"

#include <bankflow/date.hpp>
#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <algorithm>
#include <optional>
#include <string>

namespace bankflow::detail {

namespace {

constexpr std::size_t country_column = 48;  // FORMATS.md §3.4.e, measured on the real bills

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

// amount × rate with the rate given as text ("1.7627"), in integer arithmetic, rounded half away
// from zero. Returns nullopt for a zero or unreadable rate.
std::optional<std::int64_t> convert(std::int64_t minor, std::string_view rate_text) {
  rate_text = trim(rate_text);
  std::int64_t rate = 0, scale = 1;
  bool after_point = false;
  for (char c : rate_text) {
    if (c == '.' || c == ',') {
      if (after_point) return std::nullopt;
      after_point = true;
    } else if (is_digit(c)) {
      if (rate > 1'000'000'000) return std::nullopt;
      rate = rate * 10 + (c - '0');
      if (after_point) scale *= 10;
    } else {
      return std::nullopt;
    }
  }
  if (rate == 0) return std::nullopt;
  std::int64_t product = 0;
  if (__builtin_mul_overflow(minor, rate, &product)) return std::nullopt;
  const std::int64_t half = scale / 2;
  return product >= 0 ? (product + half) / scale : (product - half) / scale;
}

// `01 - FULANO DA SILVA`: a card's number in the bill and its holder's name.
std::optional<std::pair<std::string_view, std::string>> cardholder_line(std::string_view trimmed) {
  if (trimmed.size() < 6 || !is_digit(trimmed[0]) || !is_digit(trimmed[1]) || trimmed.substr(2, 3) != " - ")
    return std::nullopt;
  std::string name = collapse_blanks(trim(trimmed.substr(5)));
  if (name.empty()) return std::nullopt;
  return std::pair{trimmed.substr(0, 2), std::move(name)};
}

bankflow::error at_line(const parse_input& in, errc code, std::string message, std::size_t line,
                        std::string field) {
  auto e = make_error(code, std::move(message), line, std::move(field));
  e.file = std::string(in.file_name);
  return e;
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

  // First pass: header fields and the dollar rate, which later lines need.
  std::optional<date> due;
  std::string card;
  std::optional<std::int64_t> total;
  std::string usd_rate;
  {
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
        due = **d;
      } else if (auto c = field_value(line, head, "nr.cart")) {
        card = std::string(*c);
      } else if (auto t = field_value(line, head, "total da fatura")) {
        std::string_view amount = *t;
        if (amount.starts_with("R$")) amount.remove_prefix(2);
        if (auto a = parse_amount(amount, number_style::pt_br); a && a->has_value()) total = **a;
      }
      folded.clear();
      append_fold(folded, line);
      if (folded.starts_with("resumo em dolar")) in_dollar_summary = true;
      else if (in_dollar_summary && folded.find(" x ") != std::string::npos) {
        // "    871,64 -      21,78 +      69,52 =      823,90   X   1.7627 =       1.452,28"
        const std::size_t x = line.find(" X ");
        if (x != std::string_view::npos) {
          std::string_view rest = line.substr(x + 3);
          const std::size_t eq = rest.find('=');
          usd_rate = std::string(trim(rest.substr(0, eq)));
        }
        in_dollar_summary = false;
      }
    }
  }
  if (!due)
    return at_line(in, errc::csv_bad_header,
                   "no \"Vencimento\" line: this does not look like a complete Ourocard bill", 0,
                   "Vencimento");

  account acct;
  acct.number = card;
  acct.kind = account_kind::credit_card;
  acct.closing_balance_date = due;
  if (total) acct.closing_balance = -*total;
  st.accounts.push_back(std::move(acct));

  line_reader lines(in.text);
  std::string_view line;
  bool in_list = false;     // between the column header and the summaries
  bool after_trn = false;   // the previous line was a transaction (continuations follow it)
  bool skipped_last = false;  // the previous line was a transaction left out (skip_bad_rows)
  // A transaction line that cannot be read fails the bill; with skip_bad_rows it is listed and
  // left out (returns no error), and its continuation lines go with it.
  auto reject = [&](bankflow::error e, std::string_view row) -> std::optional<bankflow::error> {
    if (!skip_bad_row(in, st, e, row)) return e;
    after_trn = false;
    skipped_last = true;
    return std::nullopt;
  };
  std::vector<std::string_view> holder_numbers;  // "01", "02" … in order of appearance
  std::size_t current = 0;  // the account of the rows that follow
  std::string folded_start, description_text;  // reused from line to line
  st.transactions.reserve(in.text.size() / 80);  // at most one per 80-column line
  advise_huge_pages(st.transactions.data(), st.transactions.capacity() * sizeof(transaction));
  while (lines.next(line)) {
    const std::size_t line_no = lines.line_number();
    const std::string_view trimmed = trim(line);
    if (!in_list) {
      if (fold(trimmed.substr(0, std::min<std::size_t>(trimmed.size(), 12))).starts_with("data ") &&
          trimmed.find("Valor R$") != std::string_view::npos)
        in_list = true;
      continue;
    }
    if (trimmed.empty() || trimmed.starts_with("---")) {
      after_trn = false;
      skipped_last = false;
      continue;
    }
    folded_start.clear();
    if (may_start_with(trimmed, "rst"))
      append_fold(folded_start, trimmed.substr(0, std::min<std::size_t>(trimmed.size(), 16)));
    if (folded_start.starts_with("resumo")) break;
    if (folded_start.starts_with("subtotal") || folded_start.starts_with("total")) {
      after_trn = false;
      skipped_last = false;
      continue;
    }

    const auto date_text = date_column(line);
    if (!date_text) {
      // a continuation of the transaction above: "****  571,15 DOLAR CANADENSE", "(SUSEP …)"
      if (skipped_last && (trimmed.starts_with("*") || trimmed.starts_with("("))) {
        st.skipped_rows.back().raw += '\n';
        st.skipped_rows.back().raw += line;
        continue;
      }
      skipped_last = false;
      if (after_trn && !st.transactions.empty() &&
          (trimmed.starts_with("*") || trimmed.starts_with("("))) {
        std::string extra = collapse_blanks(trimmed);
        while (!extra.empty() && extra.front() == '*') extra.erase(0, 1);
        transaction& prev = st.transactions.back();
        prev.description = st.keep(std::string(prev.description) + " " + std::string(trim(extra)));
        continue;
      }
      after_trn = false;  // a section title or the cardholder line
      if (auto holder = cardholder_line(trimmed)) {
        // `01 - NAME` heads the rows of one card: the titular's (the bill's own account) first,
        // then each additional card, which becomes an account of its own.
        auto known = std::find(holder_numbers.begin(), holder_numbers.end(), holder->first);
        if (known != holder_numbers.end()) {
          current = static_cast<std::size_t>(known - holder_numbers.begin());
        } else if (holder_numbers.empty()) {
          holder_numbers.push_back(holder->first);
          st.accounts[0].holder = holder->second;
          current = 0;
        } else {
          account extra;
          extra.number = card + " #" + std::string(holder->first);
          extra.kind = account_kind::credit_card;
          extra.holder = holder->second;
          holder_numbers.push_back(holder->first);
          st.accounts.push_back(std::move(extra));
          current = st.accounts.size() - 1;
        }
      }
      continue;
    }

    std::string_view rest = line.size() > 9 ? line.substr(9) : std::string_view{};
    const std::string_view usd_text = pop_token(rest);
    const std::string_view brl_text = pop_token(rest);
    std::string_view country = pop_token(rest);
    // A city that fills its column touches the country at column 48: "LAURO DE FREITASBR".
    // Columns count characters: the text is UTF-8 by now, the bill was single-byte.
    if (country.size() > 3) {
      const std::size_t start = static_cast<std::size_t>(country.data() - line.data());
      const std::size_t shift = start - columns(line.substr(0, start));  // extra bytes of accents
      const std::size_t at = country_column + shift;
      const std::size_t end = start + country.size();
      if (start < at && end > at + 1 && end <= at + 3) {
        rest = line.substr(9, at - 9);
        country = line.substr(at, end - at);
      }
    }
    const std::string_view description = trim(rest);
    if (country.size() < 2 || country.size() > 3 ||
        !std::all_of(country.begin(), country.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      if (auto e = reject(at_line(in, errc::csv_bad_row,
                                  "a transaction line without the country and two amounts at its end",
                                  line_no, "País"), line))
        return *e;
      continue;
    }
    auto brl = bill_amount(brl_text);
    auto usd = bill_amount(usd_text);
    if (!brl || !usd) {
      const auto& bad = !brl ? brl.error() : usd.error();
      if (auto e = reject(at_line(in, bad.code, bad.message, line_no, !brl ? "Valor R$" : "Valor US$"), line))
        return *e;
      continue;
    }

    date posted{};
    if (date_text->size() == 8) {
      auto d = parse_date(*date_text, date_style::dmy);
      if (!d || !d->has_value()) {
        if (auto e = reject(at_line(in, errc::bad_date, "cannot read the date \"" + std::string(*date_text) + "\"",
                                    line_no, "Data"), line))
          return *e;
        continue;
      }
      posted = **d;
    } else {
      auto d = parse_day_month(*date_text, *due);
      if (!d) {
        if (auto e = reject(at_line(in, errc::bad_date, d.error().message, line_no, "Data"), line)) return *e;
        continue;
      }
      posted = *d;
    }

    transaction t;
    t.posted = posted;
    description_text.clear();
    append_clean_text(description_text, description);  // blanks collapsed, entities decoded
    t.description = st.keep(description_text);
    t.line = line_no;
    t.account_index = current;
    // the bill writes purchases positive; normalized card bills write them negative
    t.amount = -*brl;
    if (*brl == 0 && *usd != 0) {
      auto converted = convert(-*usd, usd_rate);
      t.amount = converted.value_or(0);
      st.warnings.push_back(
          {line_no, "purchase of US$ " + format_amount(*usd) +
                        (converted ? " converted at the bill's rate " + usd_rate + " to R$ " +
                                         format_amount(-*converted)
                                   : std::string(" has no R$ value and no exchange rate in the bill"))});
    }
    st.transactions.push_back(std::move(t));
    after_trn = true;
    skipped_last = false;
  }
  if (!in_list)
    return at_line(in, errc::csv_bad_header,
                   "no \"Data … Valor R$ Valor US$\" column header: the bill has no transaction list",
                   0, "Data");
  finish_statement(st);
  return st;
}

}  // namespace bankflow::detail
