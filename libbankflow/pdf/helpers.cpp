// Shared code for the PDF layouts: amounts, dates, installments, reconciliation (layout.hpp).

#include "pdf/layout.hpp"

#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>

namespace bankflow::detail::pdf {

using namespace std::string_view_literals;

// ---- head ----

bool head::has(std::string_view folded_text) const { return folded.find(folded_text) != std::string::npos; }

bool head::has_compact(std::string_view compact_text) const {
  return compact.find(compact_text) != std::string::npos;
}

// ---- reader ----

std::size_t reader::line_number(const pdf::page& p, const line& l) const {
  if (!p.lines.empty() && &l >= p.lines.data() && &l < p.lines.data() + p.lines.size())
    return lines_before_ + static_cast<std::size_t>(&l - p.lines.data()) + 1;
  // a line of a column the layout rebuilt (column()): the page's line at the same height
  for (std::size_t i = 0; i < p.lines.size(); ++i)
    if (p.lines[i].top <= l.top + 0.5 && p.lines[i].bottom >= l.bottom - 0.5) return lines_before_ + i + 1;
  return lines_before_ + 1;
}

std::size_t reader::card_by_last_digits(std::string_view text) {
  std::string last;
  for (auto it = text.rbegin(); it != text.rend() && last.size() < 4; ++it) {
    if (*it == ' ') continue;
    if (*it < '0' || *it > '9') break;
    last.insert(last.begin(), *it);
  }
  for (std::size_t a = 0; a < st.accounts.size(); ++a)
    if (st.accounts[a].kind == account_kind::credit_card && st.accounts[a].number == last) return a;
  account& a = st.accounts.emplace_back();
  a.kind = account_kind::credit_card;
  a.number = last;
  return st.accounts.size() - 1;
}

bool starts_with_any(std::string_view folded, std::span<const std::string_view> prefixes) {
  for (auto p : prefixes)
    if (folded.starts_with(p)) return true;
  return false;
}

bool reader::bad_row(const pdf::page& p, const line& l, errc code, std::string message, std::string field) {
  const std::size_t at = line_number(p, l);
  const std::string where = "page " + std::to_string(p.number);
  if (options_.skip_bad_rows) {
    skipped_row& s = st.skipped_rows.emplace_back();
    s.line = at;
    s.code = code;
    s.message = where + ": " + std::move(message);
    s.field = std::move(field);
    s.raw = l.text();
    return true;
  }
  error e = make_error(code, where + ": " + std::move(message) + " in \"" + l.text() + "\"", at, std::move(field));
  e.row_error = true;
  failure = std::move(e);
  return false;
}

transaction& reader::add(date posted, std::string_view description, std::int64_t amount, std::size_t line,
                         std::size_t account) {
  transaction& t = st.transactions.emplace_back();
  t.posted = posted;
  t.description = st.keep(collapse_blanks(description));
  t.amount = amount;
  t.line = line;
  t.account_index = account;
  return t;
}

void reader::warn(std::size_t line, std::string message) { st.warnings.push_back({line, std::move(message)}); }

// ---- amounts ----

std::string ascii_signs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // U+2212 MINUS SIGN, U+2013 EN DASH, U+2014 EM DASH → '-'
    if (c == 0xE2 && i + 2 < text.size() &&
        ((text[i + 1] == '\x88' && text[i + 2] == '\x92') ||
         (text[i + 1] == '\x80' && (text[i + 2] == '\x93' || text[i + 2] == '\x94')))) {
      out += '-';
      i += 2;
    } else if (c == 0xC2 && i + 1 < text.size() && text[i + 1] == '\xA0') {
      out += ' ';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// "1.234,56" / "0,20" / "1234,56": strict pt-BR money, two decimals (also "10858.22" is not).
std::optional<std::int64_t> br_number(std::string_view s) {
  const std::size_t comma = s.find(',');
  if (comma == std::string_view::npos || comma == 0 || s.size() - comma != 3) return std::nullopt;
  if (!is_digit(s[comma + 1]) || !is_digit(s[comma + 2])) return std::nullopt;
  const std::string_view whole = s.substr(0, comma);
  // groups of three after the first, or no separators at all
  if (whole.find('.') != std::string_view::npos) {
    std::size_t group = 0;
    bool first = true;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      if (whole[i] == '.') {
        if ((first && (group == 0 || group > 3)) || (!first && group != 3)) return std::nullopt;
        first = false;
        group = 0;
      } else if (is_digit(whole[i])) {
        ++group;
      } else {
        return std::nullopt;
      }
    }
    if (group != 3) return std::nullopt;
  } else {
    for (const char c : whole)
      if (!is_digit(c)) return std::nullopt;
  }
  std::int64_t v = 0;
  for (const char c : whole) {
    if (c == '.') continue;
    if (v > (INT64_MAX - 9) / 10 / 100) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v * 100 + (s[comma + 1] - '0') * 10 + (s[comma + 2] - '0');
}

bool is_sign_word(std::string_view w) noexcept { return w == "-" || w == "+"; }
bool is_currency_word(std::string_view w) noexcept { return w == "R$" || w == "-R$" || w == "+R$"; }

}  // namespace

std::optional<std::int64_t> money_word(std::string_view word_text) {
  const std::string w = ascii_signs(word_text);
  std::string_view s = w;
  int sign = 1;
  bool negative_suffix = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    if (s.front() == '-') sign = -1;
    s.remove_prefix(1);
  }
  if (s.starts_with("R$") || s.starts_with("r$")) s.remove_prefix(2);
  if (!s.empty() && s.back() == '-') {
    negative_suffix = true;
    s.remove_suffix(1);
  }
  auto v = br_number(s);
  if (!v) return std::nullopt;
  if (negative_suffix) sign = -sign;
  return sign * *v;
}

std::optional<amount_found> trailing_amount(const line& l, std::size_t first, std::size_t last, bool letter_spaced) {
  last = std::min(last, l.words.size());
  if (first >= last) return std::nullopt;
  std::size_t i = last;  // one past the word being looked at
  int sign = 1;
  bool sign_printed = false;
  amount_found out;
  out.x1 = l.words[last - 1].x1;
  // a C/D suffix word
  {
    const std::string_view w = l.words[i - 1].text;
    if ((w == "C" || w == "D") && i - 1 > first) {
      sign = w == "D" ? -1 : 1;
      sign_printed = true;
      --i;
    }
  }
  // the number: one word, or (letter-spaced) several glued back together
  std::string number;
  std::size_t number_first = i;
  bool parenthesised = false;
  {
    std::string w = ascii_signs(l.words[i - 1].text);
    if (w.size() > 2 && w.front() == '(' && w.back() == ')') {
      parenthesised = true;
      w = w.substr(1, w.size() - 2);
    }
    number = w;
    number_first = i - 1;
    if (letter_spaced) {
      // join the words before while they are digits and separators and the result still reads
      while (number_first > first) {
        const std::string_view prev = l.words[number_first - 1].text;
        if (prev.empty() || prev.find_first_not_of("0123456789.,") != std::string_view::npos) break;
        std::string joined = std::string(prev) + number;
        // stop where a complete amount would swallow another complete amount
        if (br_number(number) && prev.find(',') != std::string_view::npos) break;
        number = std::move(joined);
        --number_first;
      }
    }
  }
  std::string_view s = number;
  bool negative_suffix = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    sign_printed = true;
    if (s.front() == '-') sign = -sign;
    s.remove_prefix(1);
  }
  if (s.starts_with("R$")) s.remove_prefix(2);
  if (!parenthesised && !s.empty() && s.back() == '-') {
    negative_suffix = true;
    s.remove_suffix(1);
  }
  auto v = br_number(s);
  if (!v) return std::nullopt;
  if (negative_suffix || parenthesised) {
    sign = -sign;
    sign_printed = true;
  }
  std::size_t start = number_first;
  const bool glued_sign = number.front() == '-' || number.front() == '+';
  // "R$" (or "-R$", "R", "$") before the number, then a lone sign
  if (!glued_sign && start > first) {
    std::string w = ascii_signs(l.words[start - 1].text);
    if (letter_spaced && w == "$" && start - 1 > first) {
      // "R $", and with the sign glued to the R: "-R $", "+R $"
      const std::string r = ascii_signs(l.words[start - 2].text);
      if (r == "R" || r == "-R" || r == "+R") {
        w = r + "$";
        --start;
      }
    }
    if (is_currency_word(w)) {
      if (w.front() != 'R') {
        sign_printed = true;
        if (w.front() == '-') sign = -sign;
      }
      --start;
    }
  }
  if (!glued_sign && start > first) {
    const std::string w = ascii_signs(l.words[start - 1].text);
    if (is_sign_word(w)) {
      sign_printed = true;
      if (w == "-") sign = -sign;
      --start;
    }
  }
  out.value = sign * *v;
  out.sign_printed = sign_printed;
  out.first = start;
  out.x0 = l.words[start].x0;
  return out;
}

// ---- dates ----

unsigned month_of(std::string_view name) {
  std::string f = fold(name);
  std::erase_if(f, [](char c) { return c == ' ' || c == '.'; });
  static constexpr std::array<std::string_view, 12> abbrev{"jan", "fev", "mar", "abr", "mai", "jun",
                                                           "jul", "ago", "set", "out", "nov", "dez"};
  static constexpr std::array<std::string_view, 12> full{"janeiro", "fevereiro", "marco",    "abril",
                                                         "maio",    "junho",     "julho",    "agosto",
                                                         "setembro", "outubro",  "novembro", "dezembro"};
  for (unsigned i = 0; i < 12; ++i)
    if (f == abbrev[i] || f == full[i]) return i + 1;
  return 0;
}

unsigned day_of(std::string_view text) {
  if (text.empty() || text.size() > 2) return 0;
  unsigned d = 0;
  for (const char c : text) {
    if (!is_digit(c)) return 0;
    d = d * 10 + static_cast<unsigned>(c - '0');
  }
  return d >= 1 && d <= 31 ? d : 0;
}

std::optional<date> dmy(std::string_view text) {
  if (text.size() != 10 && text.size() != 8) return std::nullopt;
  if (text[2] != '/' || text[5] != '/') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (!is_digit(text[i])) return std::nullopt;
  int year = 0;
  for (std::size_t i = 6; i < text.size(); ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    year = year * 10 + (text[i] - '0');
  }
  if (text.size() == 8) year += year < 70 ? 2000 : 1900;
  const unsigned day = static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0'));
  const unsigned month = static_cast<unsigned>((text[3] - '0') * 10 + (text[4] - '0'));
  const date d{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::optional<day_month> dm(std::string_view text) {
  if (text.size() != 5 || text[2] != '/') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (!is_digit(text[i])) return std::nullopt;
  day_month out{static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0')),
                static_cast<unsigned>((text[3] - '0') * 10 + (text[4] - '0'))};
  if (out.day < 1 || out.day > 31 || out.month < 1 || out.month > 12) return std::nullopt;
  return out;
}

installment installment_in(std::string_view description) {
  // the last "n/N" or "n de N" whose n ≤ N, N ≤ 99 (blanks inside are ignored: "7 /1 2")
  std::string s;
  for (const char c : description)
    if (c != ' ') s += c;
  const std::string f = fold(s);
  installment best;
  auto read_number_back = [&](std::size_t end, std::size_t& begin) {
    begin = end;
    while (begin > 0 && is_digit(f[begin - 1]) && end - begin < 2) --begin;
    if (begin == end) return 0u;
    unsigned v = 0;
    for (std::size_t i = begin; i < end; ++i) v = v * 10 + static_cast<unsigned>(f[i] - '0');
    return v;
  };
  auto read_number = [&](std::size_t from, std::size_t& end) {
    end = from;
    while (end < f.size() && is_digit(f[end]) && end - from < 2) ++end;
    if (end == from || (end < f.size() && is_digit(f[end]))) return 0u;
    unsigned v = 0;
    for (std::size_t i = from; i < end; ++i) v = v * 10 + static_cast<unsigned>(f[i] - '0');
    return v;
  };
  for (std::size_t i = 0; i < f.size(); ++i) {
    std::size_t sep_len = 0;
    if (f[i] == '/') sep_len = 1;
    else if (f.compare(i, 2, "de") == 0 && i > 0 && is_digit(f[i - 1])) sep_len = 2;
    if (sep_len == 0) continue;
    std::size_t begin = 0, end = 0;
    const unsigned n = read_number_back(i, begin);
    const unsigned of = read_number(i + sep_len, end);
    if (n == 0 || of == 0 || n > of || of < 2) continue;
    // "01/04" inside a PIX description is a date, not an installment: only at the end, or after
    // a word that says so
    const bool at_end = end == f.size() || f[end] == ')';
    const bool said = f.rfind("parc", begin) != std::string::npos || (begin > 0 && f[begin - 1] == '(') ||
                      (begin > 0 && f[begin - 1] == '-');
    if (!at_end && !said) continue;
    best = {n, of};
  }
  return best;
}

std::optional<date> date_on_bill(unsigned day, unsigned month, std::chrono::year_month bill, installment inst) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const int bill_index = static_cast<int>(bill.year()) * 12 + static_cast<int>(static_cast<unsigned>(bill.month())) - 1;
  int year = static_cast<int>(bill.year());
  if (month > static_cast<unsigned>(bill.month())) --year;
  if (inst.n > 1) {
    // the n-th installment is billed about n−1 months after the purchase
    const int expected = bill_index - static_cast<int>(inst.n - 1);
    while (year * 12 + static_cast<int>(month) - 1 > expected + 2) --year;
  }
  const date d{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!d.ok()) return std::nullopt;
  return d;
}

// ---- reconciliation ----

namespace {

reconciliation_check make_check(std::optional<std::int64_t> printed, std::int64_t computed, std::string basis) {
  reconciliation_check c;
  c.printed = printed;
  c.computed = computed;
  c.basis = std::move(basis);
  c.status = !printed ? reconciliation_status::not_printed
                      : (*printed == computed ? reconciliation_status::ok : reconciliation_status::mismatch);
  return c;
}

}  // namespace

void reconcile(statement& st, std::optional<std::int64_t> printed, std::int64_t computed, std::string basis) {
  if (!st.reconciliation) st.reconciliation.emplace();
  st.reconciliation->total = make_check(printed, computed, std::move(basis));
  const auto& c = st.reconciliation->total;
  if (c.status == reconciliation_status::mismatch)
    st.warnings.push_back({0, "the rows do not add up to the total the bank printed (" + format_amount_br(*c.printed) +
                                  "): they give " + format_amount_br(c.computed) + " (" + c.basis +
                                  "); no row was changed"});
  else if (c.status == reconciliation_status::not_printed)
    st.warnings.push_back({0, "the document prints no total to check the rows against"});
}

const reconciliation_check& reconcile_card(statement& st, std::size_t account, std::optional<std::int64_t> printed,
                                           std::int64_t computed, std::string basis) {
  if (!st.reconciliation) st.reconciliation.emplace();
  reconciliation_check& c = st.reconciliation->cards.emplace_back(make_check(printed, computed, std::move(basis)));
  c.account_index = account;
  if (c.status == reconciliation_status::mismatch) {
    const std::string name = account < st.accounts.size() ? st.accounts[account].number : std::string();
    st.warnings.push_back({0, "the rows of " + (name.empty() ? std::string("a card") : "card " + name) +
                                  " add up to " + format_amount_br(c.computed) + ", the bill prints " +
                                  format_amount_br(*c.printed) + " (" + c.basis + "); no row was changed"});
  }
  return c;
}

void reconcile_balances(statement& st, std::optional<std::int64_t> opening, std::optional<std::int64_t> closing,
                        std::optional<date> closing_date) {
  if (st.accounts.empty()) st.accounts.emplace_back();
  if (opening) st.accounts[0].opening_balance = opening;
  if (closing) st.accounts[0].closing_balance = closing;
  if (closing && closing_date) st.accounts[0].closing_balance_date = closing_date;
  const std::int64_t computed = opening.value_or(0) + sum_amounts(st);
  if (!opening) {
    if (!st.reconciliation) st.reconciliation.emplace();
    st.reconciliation->total = make_check(std::nullopt, computed, "no opening balance printed");
    return;
  }
  reconcile(st, closing, computed, "closing balance = opening balance + Σ rows");
}

std::int64_t sum_amounts(const statement& st, std::optional<std::size_t> account) {
  std::int64_t s = 0;
  for (const auto& t : st.transactions)
    if (!account || t.account_index == *account) s += t.amount;
  return s;
}

std::optional<std::int64_t> amount_in(std::string_view text) {
  // the last word that reads as money, with "R$" or a sign as separate words before it
  const std::string t = ascii_signs(text);
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < t.size();) {
    while (i < t.size() && t[i] == ' ') ++i;
    const std::size_t b = i;
    while (i < t.size() && t[i] != ' ') ++i;
    if (i > b) words.emplace_back(t.data() + b, i - b);
  }
  for (std::size_t k = words.size(); k-- > 0;) {
    auto v = money_word(words[k]);
    if (!v) continue;
    std::size_t j = k;
    if (j > 0 && (words[j - 1] == "R$" || words[j - 1] == "r$" || words[j - 1] == "-R$" || words[j - 1] == "-r$")) {
      if (words[j - 1].front() == '-') v = -*v;
      --j;
    }
    if (j > 0 && words[j - 1] == "-") v = -*v;
    return v;
  }
  return std::nullopt;
}

std::string_view after(std::string_view folded_line, std::string_view label) {
  const std::size_t at = folded_line.find(label);
  if (at == std::string_view::npos) return {};
  return trim(folded_line.substr(at + label.size()));
}

std::optional<date> date_in_words(std::string_view text) {
  // "09 mai 2025", "09 MAI 2025", "10/10/2024", "15 de agosto de 2025"
  std::vector<std::string_view> w;
  for (std::size_t i = 0; i < text.size();) {
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t b = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > b) w.push_back(text.substr(b, i - b));
  }
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (auto d = dmy(w[i])) return d;
    const unsigned day = day_of(w[i]);
    if (day == 0) continue;
    std::size_t j = i + 1;
    if (j < w.size() && fold(w[j]) == "de") ++j;
    if (j >= w.size()) continue;
    const unsigned month = month_of(w[j]);
    if (month == 0) continue;
    ++j;
    if (j < w.size() && fold(w[j]) == "de") ++j;
    if (j >= w.size() || w[j].size() != 4) continue;
    int year = 0;
    for (const char c : w[j]) {
      if (!is_digit(c)) { year = -1; break; }
      year = year * 10 + (c - '0');
    }
    if (year < 0) continue;
    const date d{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    if (d.ok()) return d;
  }
  return std::nullopt;
}

std::size_t word_at_x(const line& l, double x, std::size_t from) {
  for (std::size_t i = from; i < l.words.size(); ++i)
    if (l.words[i].x0 >= x) return i;
  return l.words.size();
}

bool currency_code(std::string_view word) noexcept {
  return word.size() == 3 && std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

foreign_amount& keep_foreign(statement& st, transaction& t, std::string_view currency, std::int64_t minor) {
  foreign_amount& f = st.foreign_for(t);
  f.currency = st.keep(currency);
  f.amount = t.amount < 0 ? -std::abs(minor) : std::abs(minor);
  return f;
}

}  // namespace bankflow::detail::pdf
