// The other side of a transfer, from the memo wordings in tables.cpp. Works on positions in the
// folded text and hands out views of the original description.

#include "enrich/row.hpp"

#include <span>

namespace bankflow::detail {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_letter(char c) noexcept { return c >= 'A' && c <= 'Z'; }

// A span [b, e) of the folded text.
struct span_ {
  std::size_t b = 0, e = 0;
  [[nodiscard]] bool empty() const noexcept { return b >= e; }
};

void skip_blanks(std::string_view t, span_& s, std::string_view also = {}) noexcept {
  while (s.b < s.e && (t[s.b] == ' ' || one_of(also, t[s.b]))) ++s.b;
}

void trim_end(std::string_view t, span_& s, std::string_view also = {}) noexcept {
  while (s.e > s.b && (t[s.e - 1] == ' ' || one_of(also, t[s.e - 1]))) --s.e;
}

// `dd/mm` at i, not part of a longer number.
bool day_month_at(std::string_view t, std::size_t i) noexcept {
  return i + 5 <= t.size() && is_digit(t[i]) && is_digit(t[i + 1]) && t[i + 2] == '/' &&
         is_digit(t[i + 3]) && is_digit(t[i + 4]) && (i + 5 == t.size() || !is_digit(t[i + 5])) &&
         (i == 0 || !is_digit(t[i - 1]));
}

// Skips a leading `dd/mm` and `hh:mm` (BB: `Pix - Enviado - 23/12 22:10 NAME`).
void skip_date_time(std::string_view t, span_& s) noexcept {
  if (day_month_at(t, s.b)) s.b += 5;
  skip_blanks(t, s);
  if (s.b + 5 <= s.e && is_digit(t[s.b]) && is_digit(t[s.b + 1]) && t[s.b + 2] == ':' &&
      is_digit(t[s.b + 3]) && is_digit(t[s.b + 4]))
    s.b += 5;
  skip_blanks(t, s);
}

// A CPF/CNPJ as printed, masked (`•••.123.456-••`) or not, starting at s.b: its end, or s.b.
std::size_t document_end(std::string_view t, const span_& s) noexcept {
  std::size_t i = s.b, digits = 0, marks = 0;
  for (; i < s.e; ++i) {
    const char c = t[i];
    if (is_digit(c)) ++digits;
    else if (c == '\x7F' || c == '*') ++marks;
    else if (c != '.' && c != '/' && c != '-') break;
  }
  if (i < s.e && t[i] != ' ') return s.b;
  return digits >= 6 && digits + marks >= 11 ? i : s.b;
}

// Cuts the name at what follows it in a memo: ` - ` (C6: `… - TRANSF ENVIADA PIX`), `;`
// (Santander: `Escola Crescer; Mensalidade`), a `dd/mm` (Itaú: `FULANO 01/08`, `ANA LÚC16/06`),
// `, dd/mm` (Bradesco).
void cut_name(std::string_view t, span_& s, bool semicolon_ends) noexcept {
  for (std::size_t i = s.b; i < s.e; ++i) {
    if ((t[i] == ' ' && i + 2 < s.e && t[i + 1] == '-' && t[i + 2] == ' ') || (semicolon_ends && t[i] == ';') ||
        (i > s.b && day_month_at(t, i))) {
      s.e = i;
      break;
    }
  }
  trim_end(t, s, ",\"-");
  // a trailing reference number is not part of the name: `PIX RECEBIDO CLIENTE 7617`
  std::size_t w = s.e;
  while (w > s.b && is_digit(t[w - 1])) --w;
  if (w < s.e && w > s.b && t[w - 1] == ' ') {
    s.e = w;
    trim_end(t, s);
  }
}

bool has_letter(std::string_view t, const span_& s) noexcept {
  for (std::size_t i = s.b; i < s.e; ++i)
    if (is_letter(t[i])) return true;
  return false;
}

// Leading zeros off a bank code, padded back to 3 digits: "0033" → "033", "0260" → "260".
std::string_view compe_of(std::string_view digits) noexcept {
  while (digits.size() > 3 && digits.front() == '0') digits.remove_prefix(1);
  return digits.size() == 3 ? digits : std::string_view{};
}

void set_bank(counterparty& p, std::string_view compe, std::string_view printed) {
  p.bank.compe = compe;
  const std::string_view known = compe.empty() ? std::string_view{} : bank_name_by_compe(compe);
  p.bank.name = known.empty() ? printed : known;
}

// `237.4471` (a bank's COMPE code and a branch, as Itaú prints them before a name) at s.b: kept
// in p and skipped.
bool bank_and_branch(const folded_text& f, span_& s, counterparty& p) {
  const std::string_view t = f.view();
  if (s.b + 8 > s.e || !is_digit(t[s.b]) || !is_digit(t[s.b + 1]) || !is_digit(t[s.b + 2]) || t[s.b + 3] != '.' ||
      !is_digit(t[s.b + 4]) || !is_digit(t[s.b + 5]) || !is_digit(t[s.b + 6]) || !is_digit(t[s.b + 7]))
    return false;
  set_bank(p, f.original(s.b, s.b + 3), {});
  p.branch = f.original(s.b + 4, s.b + 8);
  s.b += 8;
  return true;
}

// `237 0412 NAME`, `104 NAME`, `237 0512 0034512 NAME`, `104 0012 ***.889.102-** NAME` (TED and
// DOC memos of BB, Sicredi, Sicoob, Unicred): a known bank's COMPE code, then maybe a 4-digit
// branch and an account, before a name or a document; kept in p and skipped.
bool bank_code_then_name(const folded_text& f, span_& s, counterparty& p) {
  const std::string_view t = f.view();
  if (s.b + 5 > s.e || !is_digit(t[s.b]) || !is_digit(t[s.b + 1]) || !is_digit(t[s.b + 2]) || t[s.b + 3] != ' ')
    return false;
  const std::string_view code = f.original(s.b, s.b + 3);
  if (bank_name_by_compe(code).empty()) return false;
  span_ rest{s.b + 4, s.e};
  // a run of digits (and `-`, `X` in an account) ending in a blank, of `min` characters or more
  auto number = [&](std::size_t min, bool account) {
    std::size_t i = rest.b;
    while (i < rest.e && (is_digit(t[i]) || (account && i > rest.b && (t[i] == '-' || t[i] == 'X')))) ++i;
    return i - rest.b >= min && i < rest.e && t[i] == ' ' ? i : rest.b;
  };
  std::string_view branch, account;
  if (const std::size_t end = number(4, false); end == rest.b + 4) {
    branch = f.original(rest.b, end);
    rest.b = end + 1;
    if (const std::size_t a = number(3, true); a != rest.b) {
      account = f.original(rest.b, a);
      rest.b = a + 1;
    }
  }
  // a name follows, or a document before it; not more numbers
  if (!is_letter(t[rest.b]) && document_end(t, rest) == rest.b) return false;
  set_bank(p, code, {});
  p.branch = branch;
  p.account = account;
  s = rest;
  return true;
}

// The words that join a memo's wording to the name (`Pix enviado para NAME`, `TED recebida de
// NAME`), Bradesco's `PF`/`PJ` (person, company), Sicoob's `OUTRA IF Recebimento Pix` before it:
// skipped, as whole words. When nothing follows them (`PIX RECEBIDO - OUTRA IF`), no name does.
void skip_joining_word(std::string_view t, span_& s) noexcept {
  // by first letter, so a name's first word meets at most a few of them
  static constexpr std::string_view p_words[] = {"PARA", "POR", "PF", "PJ", "PAGAMENTO PIX"},
                                    d_words[] = {"DE", "DEST."}, o_words[] = {"OUTRA IF"},
                                    m_words[] = {"MESMA IF"}, r_words[] = {"RECEBIMENTO PIX"},
                                    t_words[] = {"TRANSFERENCIA"}, a_words[] = {"AGENDADO", "AGENDADA"};
  for (bool again = true; again && s.b < s.e;) {
    again = false;
    std::span<const std::string_view> words;
    switch (t[s.b]) {
      case 'P': words = p_words; break;
      case 'D': words = d_words; break;
      case 'O': words = o_words; break;
      case 'M': words = m_words; break;
      case 'R': words = r_words; break;
      case 'T': words = t_words; break;
      case 'A': words = a_words; break;
      default: return;
    }
    for (const std::string_view w : words)
      if (t.substr(s.b, s.e - s.b).starts_with(w) && (s.b + w.size() == s.e || t[s.b + w.size()] == ' ')) {
        s.b += w.size();
        skip_blanks(t, s, "-");
        again = true;
        break;
      }
  }
}

// Plain: [dd/mm hh:mm] [DE | PARA] [DOCUMENT | BANK.BRANCH | BANK BRANCH] NAME [tail].
std::optional<counterparty> plain(const folded_text& f, span_ s, bool semicolon_ends = true) {
  const std::string_view t = f.view();
  skip_blanks(t, s, "-:\"");
  skip_date_time(t, s);
  skip_joining_word(t, s);
  counterparty p;
  if (bank_and_branch(f, s, p)) skip_blanks(t, s, ".");
  else bank_code_then_name(f, s, p);
  if (const std::size_t end = document_end(t, s); end != s.b) {
    p.document = f.original(s.b, end);
    s.b = end;
    skip_blanks(t, s, "-");
  }
  cut_name(t, s, semicolon_ends);
  skip_blanks(t, s, "\"");
  if (!s.empty() && has_letter(t, s)) p.name = f.original(s.b, s.e);
  if (p.name.empty() && p.document.empty()) return std::nullopt;
  return p;
}

// Nubank: NAME - DOCUMENT - BANK NAME (COMPE) Agência: A Conta: C.
std::optional<counterparty> nubank(const folded_text& f, span_ s) {
  const std::string_view t = f.view();
  skip_blanks(t, s, "-");
  counterparty p;
  const std::size_t dash = t.substr(0, s.e).find(" - ", s.b);
  span_ name{s.b, dash == std::string_view::npos ? s.e : dash};
  trim_end(t, name);
  if (has_letter(t, name)) p.name = f.original(name.b, name.e);
  if (dash == std::string_view::npos) return p.name.empty() ? std::nullopt : std::optional(p);
  span_ rest{dash + 3, s.e};
  if (const std::size_t end = document_end(t, rest); end != rest.b) {
    p.document = f.original(rest.b, end);
    rest.b = end;
    skip_blanks(t, rest, "-");
  }
  // the code is the parenthesis that holds digits: `BCO SANTANDER (BRASIL) S.A. (0033)`
  std::size_t open = t.substr(0, rest.e).find(" (", rest.b);
  while (open != std::string_view::npos && !(open + 2 < rest.e && is_digit(t[open + 2])))
    open = t.substr(0, rest.e).find(" (", open + 2);
  const std::size_t close = open == std::string_view::npos ? open : t.substr(0, rest.e).find(')', open);
  if (close != std::string_view::npos) {
    set_bank(p, compe_of(f.original(open + 2, close)), f.original(rest.b, open));
    rest.b = close + 1;
  }
  const std::size_t ag = t.substr(0, rest.e).find("AGENCIA:", rest.b);
  const std::size_t cc = t.substr(0, rest.e).find("CONTA:", rest.b);
  if (ag != std::string_view::npos && cc != std::string_view::npos && cc > ag) {
    span_ b{ag + 8, cc};
    skip_blanks(t, b);
    trim_end(t, b);
    span_ a{cc + 6, rest.e};
    skip_blanks(t, a);
    trim_end(t, a);
    p.branch = f.original(b.b, b.e);
    p.account = f.original(a.b, a.e);
  }
  return p;
}

// Inter: "Cp :ISPB-NAME", quotes optional (the name may hold quotes of its own).
std::optional<counterparty> inter(const folded_text& f, span_ s) {
  const std::string_view t = f.view();
  skip_blanks(t, s, "-:\"");
  // the payer's ISPB and name, also after the kind of transfer (`"TED Recebida Cp :00341-NAME"`)
  const std::size_t cp = t.substr(0, s.e).find("CP :", s.b);
  if (cp == std::string_view::npos || (cp > s.b && t[cp - 1] != ' ')) return plain(f, s);
  s.b = cp + 4;
  const std::size_t ispb_start = s.b;
  while (s.b < s.e && is_digit(t[s.b])) ++s.b;
  counterparty p;
  set_bank(p, compe_by_ispb(f.original(ispb_start, s.b)), {});
  skip_blanks(t, s, "-");
  // the memo's closing quote, and a ` - …` after it (`"Pagamento de Titulo" - CEMIG`)
  const std::size_t quote = t.substr(0, s.e).rfind('"');
  if (quote != std::string_view::npos && quote >= s.b) s.e = quote;
  trim_end(t, s);
  if (has_letter(t, s)) p.name = f.original(s.b, s.e);
  if (p.name.empty()) return std::nullopt;
  return p;
}

// Itaú TED/DOC: `237.4471MARIA C LIMA`, `033.1234.EMPRESA EX`, `001.2345 FULANO`; internet
// TED `902014JOAOPEDR`.
std::optional<counterparty> bank_branch(const folded_text& f, span_ s) {
  const std::string_view t = f.view();
  skip_blanks(t, s);
  counterparty p;
  if (!bank_and_branch(f, s, p)) {
    const std::size_t start = s.b;
    while (s.b < s.e && is_digit(t[s.b])) ++s.b;
    if (s.b - start != 6) return std::nullopt;
  }
  skip_blanks(t, s, ".");
  trim_end(t, s);
  if (has_letter(t, s)) p.name = f.original(s.b, s.e);
  return p;
}

// BB `- 20/05 2201 12345-6 PAULO C MENDES`; Itaú `1234.56789-0`, `1234.56789-0DANIELA` (a name
// glued to the account, or after a blank).
std::optional<counterparty> branch_account(const folded_text& f, span_ s) {
  const std::string_view t = f.view();
  skip_blanks(t, s, "-");
  skip_date_time(t, s);
  const std::size_t b0 = s.b;
  while (s.b < s.e && is_digit(t[s.b])) ++s.b;
  if (s.b - b0 < 3 || s.b >= s.e || (t[s.b] != ' ' && t[s.b] != '.')) return std::nullopt;
  counterparty p;
  p.branch = f.original(b0, s.b);
  const std::size_t a0 = ++s.b;
  while (s.b < s.e && (is_digit(t[s.b]) || t[s.b] == '-' || t[s.b] == 'X')) ++s.b;
  // BB may print the branch alone before the name (`18/03 2231 RAMOS E VIEIRA`)
  if (s.b == a0 && (t[a0 - 1] != ' ' || !is_letter(t[a0]))) return std::nullopt;
  if (s.b > a0) p.account = f.original(a0, s.b);
  skip_blanks(t, s);
  // Itaú's `TBI 1234.56789-0POUPANCA` moves money to the client's own savings: no name
  const std::string_view rest = t.substr(s.b, s.e - s.b);
  if (rest == "POUPANCA" || rest == "POUP" || rest == "CC" || rest == "CONTA CORRENTE") return p;
  if (has_letter(t, s)) p.name = f.original(s.b, s.e);
  return p;
}

std::optional<counterparty> parse_party(const folded_text& f, party_style style, span_ s) {
  switch (style) {
    case party_style::nubank: return nubank(f, s);
    case party_style::inter: return inter(f, s);
    case party_style::bank_branch: return bank_branch(f, s);
    case party_style::branch_account: return branch_account(f, s);
    case party_style::plain_semicolons: return plain(f, s, false);
    case party_style::plain: break;
  }
  return plain(f, s);
}

}  // namespace

party_matcher::party_matcher(std::string_view bank_id) {
  for (const party_rule& r : party_rules())
    if (r.bank_id.empty() || r.bank_id == bank_id) rules_.push_back(&r);
  // Nubank's wording may follow an `Estorno - `; the others start the memo
  for (std::size_t i = 0; i < rules_.size(); ++i)
    index_.add(rules_[i]->prefix, static_cast<std::uint16_t>(i), rules_[i]->style != party_style::nubank);
  index_.finish();
}

std::optional<counterparty> party_matcher::find(const folded_text& f, std::int64_t amount) const {
  const std::string_view t = f.view();
  // the first wording that reads; a bank's own that does not (Itaú `TED RECEBIDA …` is not its
  // `TED 237.4471NAME`) leaves the row to the next one
  std::optional<counterparty> first;  // what the first wording that read gave, name or not
  std::uint16_t after = 0;             // the ids tried so far are below this
  for (int tries = 0; tries < 3; ++tries) {
    const std::uint16_t best = index_.best(f, [&](std::uint16_t id) {
      return id >= after && (rules_[id]->sign != amount_sign::credit || amount > 0);
    });
    if (best == word_index::none) break;
    const party_rule& r = *rules_[best];
    // Nubank's wording starts the memo but after an `Estorno - `
    const std::size_t at = r.style != party_style::nubank || words_at(t, 0, r.prefix) ? 0 : find_words(t, r.prefix);
    std::optional<counterparty> p = parse_party(f, r.style, {at + r.prefix.size(), t.size()});
    if (p && !p->name.empty()) return p;
    if (!first) first = p;
    after = static_cast<std::uint16_t>(best + 1);
  }
  return first;
}

}  // namespace bankflow::detail
