// Instalment marks and merchant names on card and debit-card rows.

#include "enrich/row.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace bankflow::detail {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Up to `digits` digits at i (not continuing a number before it): their value and end.
bool small_number(std::string_view t, std::size_t i, unsigned& value, std::size_t& end, std::size_t digits) noexcept {
  if (i >= t.size() || !is_digit(t[i]) || (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '/'))) return false;
  end = i;
  value = 0;
  while (end < t.size() && is_digit(t[end]) && end - i < digits + 1) value = value * 10 + static_cast<unsigned>(t[end++] - '0');
  return end - i <= digits && (end == t.size() || !is_digit(t[end]));
}

// `n/N` or `n DE N` at i: a valid instalment (1 ≤ n ≤ N ≤ 99, N ≥ 2; with `loan`, up to 999)
// not followed by more of a date (`12/2024`, `10/12/24`).
std::optional<installment> fraction_at(std::string_view t, std::size_t i, std::size_t* end_out = nullptr,
                                       bool loan = false) noexcept {
  unsigned n = 0, count = 0;
  std::size_t end = 0;
  const std::size_t digits = loan ? 3 : 2;
  if (!small_number(t, i, n, end, digits)) return std::nullopt;
  std::size_t j = end;
  if (j < t.size() && t[j] == '/') ++j;
  else if (t.substr(j).starts_with(" DE ")) j += 4;
  else return std::nullopt;
  if (j >= t.size() || !is_digit(t[j])) return std::nullopt;
  std::size_t end2 = j;
  count = 0;
  while (end2 < t.size() && is_digit(t[end2]) && end2 - j < digits + 1)
    count = count * 10 + static_cast<unsigned>(t[end2++] - '0');
  if (end2 - j > digits || (end2 < t.size() && (is_digit(t[end2]) || t[end2] == '/'))) return std::nullopt;
  if (n < 1 || count < 2 || n > count || count > (loan ? 999U : 99U)) return std::nullopt;
  if (end_out) *end_out = end2;
  return installment{static_cast<std::uint16_t>(n), static_cast<std::uint16_t>(count), std::nullopt};
}

// After `PARC`, `PARC.` or `PARCELA`: blanks, then the fraction.
std::optional<installment_found> after_word(std::string_view t, std::size_t word_at, std::size_t word_len,
                                            bool loan) noexcept {
  std::size_t i = word_at + word_len;
  while (i < t.size() && (t[i] == ' ' || t[i] == '.' || t[i] == ':')) ++i;
  std::size_t end = 0;
  if (auto v = fraction_at(t, i, &end, loan)) return installment_found{*v, word_at, end};
  return std::nullopt;
}

// The start of a `(` … `(PARCELA` mark that opens before `at`, so a merchant cut there loses it too.
std::size_t with_opening(std::string_view t, std::size_t at) noexcept {
  std::size_t i = at;
  while (i > 0 && t[i - 1] == ' ') --i;
  if (i > 0 && (t[i - 1] == '(' || t[i - 1] == '-')) return i - 1;
  return at;
}

// Whether the word before t[i] dates what follows (`VAL 12/31`, `VENC 10/25`, `REF 05/25`): then
// it is a month, not an instalment.
bool after_date_word(std::string_view t, std::size_t i) noexcept {
  if (i == 0 || t[i - 1] != ' ') return false;
  std::size_t e = i - 1;
  while (e > 0 && t[e - 1] == ' ') --e;
  std::size_t b = e;
  while (b > 0 && (t[b - 1] >= 'A' && t[b - 1] <= 'Z')) --b;
  const std::string_view word = t.substr(b, e - b);
  for (const std::string_view w : {"VAL", "VALIDADE", "VENC", "VENCTO", "VENCIMENTO", "REF", "REFERENCIA",
                                   "COMPETENCIA", "COMP", "EXP", "MES", "DE", "EM", "ATE"})
    if (word == w) return true;
  return false;
}

// `n/N` or `n DE N` ending the text (N of up to `digits` digits): its start, or npos.
std::size_t trailing_fraction(std::string_view t, std::size_t digits) noexcept {
  std::size_t i = t.size();
  while (i > 0 && is_digit(t[i - 1]) && t.size() - i < digits) --i;
  if (i == t.size() || i == 0) return std::string_view::npos;
  std::size_t start = i;
  if (t[i - 1] == '/') start = i - 1;
  else if (t.substr(0, i).ends_with(" DE ")) start = i - 4;
  else return std::string_view::npos;
  while (start > 0 && is_digit(t[start - 1]) && i - start < 6) --start;
  return start;
}

}  // namespace

std::optional<installment_found> find_installment(const folded_text& f, installment_search where) noexcept {
  const std::string_view t = f.view();
  const bool loan = where == installment_search::anywhere;  // a mortgage's 118/360
  // the words `PARC`, `PARCELA`, `PARCELADA`, `PARCELADO` before it (found by the word scan)
  for (std::size_t w = 0; f.has_parc_word() && w < f.words(); ++w) {
    const std::size_t at = f.word_at(w), len = f.word_length(w);
    if (len < 4 || t.substr(at, 4) != "PARC") continue;
    const std::string_view rest = t.substr(at + 4, len - 4);
    // `PARC03/10` glues the fraction to the word
    const bool glued = !rest.empty() && std::all_of(rest.begin(), rest.end(), is_digit);
    if (rest.empty() || rest == "ELA" || rest == "ELADA" || rest == "ELADO" || glued)
      if (auto found = after_word(t, at, glued ? 4 : len, loan))
        return installment_found{found->value, with_opening(t, at), found->end};
  }
  if (f.has('('))
    for (std::size_t open = t.find('('); open != std::string_view::npos; open = t.find('(', open + 1)) {
      std::size_t end = 0;
      if (auto v = fraction_at(t, open + 1, &end); v && end < t.size() && t[end] == ')')
        return installment_found{*v, open, end + 1};
    }
  if (where == installment_search::marked) return std::nullopt;
  // a card or loan row ending in `n/N` or `n DE N` (Itaú glues it to the name: `LOJA EXEMP10/10`),
  // maybe inside Inter's quotes (`"Parcela Financiamento Imobiliario 12/240"`)
  std::string_view body = t;
  while (!body.empty() && body.back() == '"') body.remove_suffix(1);
  if (const std::size_t i = trailing_fraction(body, loan ? 3 : 2); i != std::string_view::npos && !after_date_word(body, i)) {
    std::size_t end = 0;
    if (auto v = fraction_at(body, i, &end, loan); v && end == body.size()) return installment_found{*v, with_opening(t, i), end};
  }
  if (where != installment_search::anywhere || !f.has('/')) return std::nullopt;
  // a loan's `n/N` before a contract number (`CREDITO PESSOAL 3/12 CONTR 998877`)
  for (std::size_t slash = t.find('/'); slash != std::string_view::npos; slash = t.find('/', slash + 1)) {
    std::size_t i = slash;
    while (i > 0 && is_digit(t[i - 1]) && slash - i < 3) --i;
    if (i == slash || (i > 0 && t[i - 1] != ' ') || after_date_word(t, i)) continue;
    std::size_t end = 0;
    if (auto v = fraction_at(t, i, &end, true); v && (end == t.size() || t[end] == ' ')) return installment_found{*v, i, end};
  }
  return std::nullopt;
}

namespace {

struct range {
  std::size_t b, e;
};

// Which words of a short list begin (or end) with each byte, so a text is only compared with
// those that may match.
class byte_index {
 public:
  byte_index(std::span<const std::string_view> words, bool by_last) : words_(words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      const char c = by_last ? words[i].back() : words[i].front();
      masks_[static_cast<unsigned char>(c)] |= i < 64 ? std::uint64_t{1} << i : std::uint64_t{0};
      heads_.emplace_back(words[i]);
    }
  }
  /// The first word, in list order, that t[at, end) starts with (as whole words, or as bytes);
  /// empty when none does. For an index by first byte.
  [[nodiscard]] std::string_view starting(std::string_view t, std::size_t at, std::size_t end, bool whole_words) const {
    if (at >= end) return {};
    t = t.substr(0, end);
    const std::uint64_t text = head_of(t.data() + at, end - at);
    auto match = [&](std::size_t i) {
      return whole_words ? heads_[i].at(t, at, text, words_[i]) : heads_[i].bytes_at(t, at, text, words_[i]);
    };
    for (std::uint64_t bits = masks_[static_cast<unsigned char>(t[at])]; bits != 0; bits &= bits - 1)
      if (const auto i = static_cast<std::size_t>(std::countr_zero(bits)); match(i)) return words_[i];
    for (std::size_t i = 64; i < words_.size(); ++i)  // the shipped lists are shorter
      if (match(i)) return words_[i];
    return {};
  }
  /// Calls f(word) for the words that begin (end) with c, in list order, until it returns true;
  /// whether it did.
  template <class F>
  bool any(char c, F f) const {
    for (std::uint64_t bits = masks_[static_cast<unsigned char>(c)]; bits != 0; bits &= bits - 1)
      if (f(words_[static_cast<std::size_t>(std::countr_zero(bits))])) return true;
    for (std::size_t i = 64; i < words_.size(); ++i)  // the shipped lists are shorter
      if (f(words_[i])) return true;
    return false;
  }

 private:
  std::span<const std::string_view> words_;
  std::vector<pattern_head> heads_;  // for starting()
  std::array<std::uint64_t, 256> masks_{};
};

// A set of blanks and marks below '@' (`-:"(*.,`) as bits, so trimming tests a byte with a shift.
struct byte_set {
  std::uint64_t bits = std::uint64_t{1} << ' ';
  constexpr explicit byte_set(std::string_view also) noexcept {
    for (const char c : also) bits |= std::uint64_t{1} << (static_cast<unsigned char>(c) & 63U);
  }
  [[nodiscard]] constexpr bool holds(char c) const noexcept {
    return static_cast<unsigned char>(c) < 64 && ((bits >> static_cast<unsigned char>(c)) & 1U) != 0;
  }
};

void trim(std::string_view t, range& r, byte_set drop) noexcept {
  while (r.b < r.e && drop.holds(t[r.b])) ++r.b;
  while (r.e > r.b && drop.holds(t[r.e - 1])) --r.e;
}

// Removes the first of `words` that starts the range.
bool drop_lead(std::string_view t, range& r, const byte_index& words) noexcept {
  if (r.b >= r.e) return false;
  const std::string_view w = words.starting(t, r.b, r.e, true);
  r.b += w.size();
  return !w.empty();
}

// BB/Santander debit rows put the purchase's date and time before the shop: `08/12 16:33 LOJA`.
void drop_date_time(std::string_view t, range& r) noexcept {
  auto digits = [&](std::size_t i, char sep) {
    return i + 5 <= r.e && is_digit(t[i]) && is_digit(t[i + 1]) && t[i + 2] == sep && is_digit(t[i + 3]) &&
           is_digit(t[i + 4]) && (i + 5 == r.e || t[i + 5] == ' ');
  };
  if (digits(r.b, '/')) r.b += 5;
  trim(t, r, byte_set{""});
  if (digits(r.b, ':')) r.b += 5;
  trim(t, r, byte_set{""});
}

// Cuts what follows the merchant: ` - NuPay`, ` - COMPRA DEBITO` (C6), `-dd/mm` (Itaú RSHOP),
// a foreign amount (`48,10 DOLAR AMERICANO`, `US$ 15,00`, BB Ourocard).
void cut_tail(const folded_text& f, range& r) noexcept {
  if (!f.has('-') && !f.has(',') && !f.has('$')) return;  // every tail holds one of them
  const std::string_view t = f.view();
  for (std::size_t i = r.b + 1; i < r.e; ++i) {
    const char c = t[i];
    if (c != ' ' && c != '-' && c != 'U') continue;  // no tail starts at any other byte
    const bool dash = c == ' ' && i + 2 < r.e && t[i + 1] == '-' && t[i + 2] == ' ';
    const bool money = c == ' ' && i + 1 < r.e && is_digit(t[i + 1]) &&
                       t.substr(i + 1, r.e - i - 1).find(',') < 10 &&
                       t.substr(i, r.e - i).find(" DOLAR") != std::string_view::npos;
    const bool usd = c == 'U' && t.substr(i, 4) == "US$ ";
    const bool rshop_date = c == '-' && i + 6 == r.e && is_digit(t[i + 1]) && t[i + 3] == '/';
    if (dash || money || usd || rshop_date) {
      r.e = i;
      return;
    }
  }
}

// A seller's CNPJ or CPF before its name (`IFD*55.123.456 ANA MODELO`): a first word of digits and
// `./-` with at least 8 digits, and a name after it.
void drop_leading_document(std::string_view t, range& r) noexcept {
  std::size_t i = r.b, digits = 0;
  for (; i < r.e && t[i] != ' '; ++i) {
    if (is_digit(t[i])) ++digits;
    else if (t[i] != '.' && t[i] != '/' && t[i] != '-') return;
  }
  if (digits < 8 || i >= r.e) return;
  r.b = i;
  trim(t, r, byte_set{"-"});
}

// A card descriptor whose city repeats the shop's last word (`POSTO PALHOCA PALHOCA`): the
// second one is the city. `last` is where the range's last word starts.
bool drop_repeated_city(std::string_view t, range& r, std::size_t last) noexcept {
  const std::string_view word = t.substr(last, r.e - last);
  if (word.size() < 3 || last < r.b + word.size() + 1) return false;
  const std::size_t before = last - word.size() - 1;  // where the word before would start
  if (t[last - 1] != ' ' || t.substr(before, word.size()) != word) return false;
  if (before > r.b && t[before - 1] != ' ') return false;  // a whole word
  r.e = last;
  return true;
}

// An order or reference code the shop glues to its name after a `*` (`Dropbox*7Hq2K`,
// `Netshoes*Pedido3321`): one word that holds a digit. `Adobe *Creative Clou` keeps its words.
void drop_order_code(const folded_text& f, range& r) noexcept {
  if (!f.has('*')) return;
  const std::string_view t = f.view();
  const std::size_t star = t.substr(r.b, r.e - r.b).rfind('*');
  if (star == std::string_view::npos || star == 0) return;
  const std::size_t at = r.b + star;
  bool digit = false;
  for (std::size_t i = at + 1; i < r.e; ++i) {
    if (!is_word_char(t[i])) return;
    digit = digit || is_digit(t[i]);
  }
  if (digit && t[at - 1] != ' ') r.e = at;
}

// Drops trailing numbers (`DROGA RAIA 1234`, card and terminal numbers) and place names
// (`SAO PAULO BR`, `Betim BRA`), keeping at least one word.
void drop_tails(std::string_view t, range& r) noexcept {
  for (int round = 0; round < 4; ++round) {
    trim(t, r, byte_set{"-*.,"});
    const std::size_t sp = t.substr(r.b, r.e - r.b).rfind(' ');
    if (sp == std::string_view::npos) return;
    const std::size_t last = r.b + sp + 1;
    bool numeric = true;
    for (std::size_t i = last; i < r.e; ++i) numeric = numeric && (is_digit(t[i]) || t[i] == '-' || t[i] == '/');
    if (numeric) {
      r.e = last;
      continue;
    }
    static const byte_index places(place_tails(), true);
    const bool dropped = places.any(t[r.e - 1], [&](std::string_view place) {
      if (place.size() >= r.e - r.b || !t.substr(r.b, r.e - r.b).ends_with(place) || t[r.e - place.size() - 1] != ' ')
        return false;
      r.e -= place.size();
      return true;
    });
    if (!dropped && !drop_repeated_city(t, r, last)) return;
  }
}

}  // namespace

brand_matcher::brand_matcher() {
  const auto brands = brand_aliases();
  folded_names_.resize(brands.size());
  for (std::size_t i = 0; i < brands.size(); ++i) {
    index_.add(brands[i].pattern, static_cast<std::uint16_t>(i), false);
    append_folded(folded_names_[i], brands[i].name);
  }
  index_.finish();
}

std::pair<std::string_view, std::string_view> brand_matcher::find(const folded_text& f, std::size_t b,
                                                                  std::size_t e) const {
  const std::uint16_t best = index_.best(f, b, e, [](std::uint16_t) { return true; });
  if (best == word_index::none) return {};
  return {brand_aliases()[best].name, folded_names_[best]};
}

merchant_found find_merchant(const folded_text& f, transaction_kind kind,
                               const std::optional<installment_found>& mark, const brand_matcher& brands) {
  if (kind != transaction_kind::card_purchase && kind != transaction_kind::debit_card) return {};
  static const byte_index no_merchant(merchantless_leads(), false), lead_ins(debit_card_lead_ins(), false),
      prefixes(merchant_prefixes(), false);
  const std::string_view t = f.view();
  if (!no_merchant.starting(t, 0, t.size(), true).empty()) return {};
  range r{0, mark ? mark->at : t.size()};
  // `Compra parcelada 2/5 - LOJA`: the shop follows the mark
  if (mark && mark->end < t.size()) {
    range before = r;
    trim(t, before, byte_set{"-"});
    if (before.b >= before.e || t.substr(before.b, before.e - before.b) == "COMPRA") r = {mark->end, t.size()};
  }
  if (kind == transaction_kind::debit_card) {
    drop_lead(t, r, lead_ins);
    trim(t, r, byte_set{"-:\""});
    static constexpr std::string_view estab_words[] = {"NO ESTABELECIMENTO"};
    static const byte_index estab(estab_words, false);
    drop_lead(t, r, estab);
    trim(t, r, byte_set{""});
    drop_date_time(t, r);
  }
  cut_tail(f, r);
  trim(t, r, byte_set{"-:\"("});
  r.b += prefixes.starting(t, r.b, r.e, false).size();
  trim(t, r, byte_set{"-* "});
  drop_leading_document(t, r);
  if (const auto [brand, folded] = brands.find(f, r.b, r.e); !brand.empty()) return {brand, folded};
  drop_order_code(f, r);
  drop_tails(t, r);
  if (r.b >= r.e) return {};
  const std::string_view name = t.substr(r.b, r.e - r.b);
  if (std::none_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return {};
  return {f.original(r.b, r.e), t.substr(r.b, r.e - r.b)};
}

}  // namespace bankflow::detail
