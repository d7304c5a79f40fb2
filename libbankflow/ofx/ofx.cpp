// OFX 1.x (SGML) and 2.x (XML) with one tolerant tokenizer (FORMATS.md §2.1, §4.1), and its
// older dialect OFC (Microsoft Money 95, still offered by Itaú, BB and Caixa; §3.4.f): an <OFC>
// root, ACCTSTMT holding ACCTFROM and STMTRS, GENTRN rows (alone or inside STMTTRN), CHKNUM,
// LEDGER for the balance and DTSTART/DTEND straight in STMTRS.
//
// The tokenizer does not build a tree. It turns the body into three events — an aggregate opens,
// a leaf has a value, an aggregate closes — and never needs the DTD: a tag whose text is not
// blank, or which is closed right away, is a leaf; a tag followed only by blanks and another tag
// is an aggregate, unless its name is a known leaf (then it is an empty leaf). A closing tag that
// matches nothing open is a closed leaf's end and is ignored; one that matches an aggregate deeper
// in the stack closes everything above it. That accepts unclosed leaves, closed leaves, both in
// one file, any element order, and missing aggregate ends.

#include "ofx/ofx.hpp"

#include "core/clean_text.hpp"
#include "core/scan.hpp"

#include <bankflow/date.hpp>
#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>

namespace bankflow::detail {

namespace {

// Aggregates whose nesting the parser follows.
enum class agg : unsigned char {
  other,
  ofx,
  fi,
  stmtrs,
  ccstmtrs,
  bankacctfrom,
  ccacctfrom,
  banktranlist,
  stmttrn,
  ledgerbal,
  acctstmt,       // OFC: one account, its ACCTFROM and its STMTRS
  nested_in_trn,  // BANKACCTTO, CCACCTTO, PAYEE, CURRENCY, ORIGCURRENCY: their leaves are not ours
};

agg classify(std::string_view name) noexcept {
  switch (name.size()) {
    case 2:
      if (name == "FI") return agg::fi;
      break;
    case 3:
      if (name == "OFX") return agg::ofx;
      break;
    case 5:
      if (name == "PAYEE") return agg::nested_in_trn;
      break;
    case 6:
      if (name == "STMTRS") return agg::stmtrs;
      if (name == "GENTRN") return agg::stmttrn;  // OFC
      break;
    case 7:
      if (name == "STMTTRN") return agg::stmttrn;
      break;
    case 8:
      if (name == "CCSTMTRS") return agg::ccstmtrs;
      if (name == "CURRENCY") return agg::nested_in_trn;
      if (name == "CCACCTTO") return agg::nested_in_trn;
      if (name == "ACCTFROM") return agg::bankacctfrom;  // OFC
      if (name == "ACCTSTMT") return agg::acctstmt;      // OFC
      break;
    case 9:
      if (name == "LEDGERBAL") return agg::ledgerbal;
      break;
    case 10:
      if (name == "CCACCTFROM") return agg::ccacctfrom;
      if (name == "BANKACCTTO") return agg::nested_in_trn;
      break;
    case 12:
      if (name == "BANKACCTFROM") return agg::bankacctfrom;
      if (name == "BANKTRANLIST") return agg::banktranlist;
      if (name == "ORIGCURRENCY") return agg::nested_in_trn;
      break;
    default: break;
  }
  return agg::other;
}

// Leaves that may be empty and unclosed (`<MEMO>` then a line break): never aggregates.
bool known_leaf(std::string_view n) noexcept {
  switch (n.size()) {
    case 3: return n == "ORG" || n == "FID" || n == "SIC";
    case 4: return n == "MEMO" || n == "NAME" || n == "CODE";
    case 5: return n == "FITID" || n == "DTEND" || n == "CPAGE";
    case 6: return n == "TRNAMT" || n == "REFNUM" || n == "DTUSER" || n == "BANKID" || n == "ACCTID" ||
                   n == "BALAMT" || n == "DTASOF" || n == "CURDEF" || n == "TRNUID" ||
                   n == "CHKNUM" || n == "LEDGER";
    case 7: return n == "TRNTYPE" || n == "DTAVAIL" || n == "PAYEEID" || n == "ACCTKEY" || n == "DTSTART";
    case 8: return n == "DTPOSTED" || n == "CHECKNUM" || n == "BRANCHID" || n == "ACCTTYPE" ||
                   n == "SEVERITY" || n == "DTSERVER";
    default: return false;
  }
}

struct pending_trn {
  std::size_t offset = 0;  // where <STMTTRN> starts
  std::string_view trntype, dtposted, trnamt, fitid, checknum, refnum, memo, name;
  std::size_t dtposted_offset = 0, trnamt_offset = 0;
  bool seen_dtposted = false, seen_trnamt = false;
};

struct account_raw {
  std::optional<std::int64_t> last_balance_row;  // "Saldo do dia" & co: the closing balance when
  std::optional<date> last_balance_row_date;     // the file has no LEDGERBAL
  std::string_view balamt;
  std::string_view balamt_tag;  // BALAMT (OFX) or LEDGER (OFC)
  std::size_t balamt_offset = 0;
  std::string_view dtasof;
  std::string_view dtstart, dtend;
};

class ofx_parser {
 public:
  ofx_parser(const parse_input& in, bool expect_ofc) : in_(in), text_(in.text), ofc_(expect_ofc) {}

  result<statement> run();

 private:
  // Line numbers are needed once per transaction and on errors: count them lazily, from the
  // last position asked for (offsets mostly grow), 8 bytes per step.
  std::size_t line_at(std::size_t offset) noexcept {
    if (offset < line_pos_) return line_of_offset(text_, offset);
    line_no_ += detail::count_line_breaks(text_.data() + line_pos_, text_.data() + offset,
                                          text_.data() + text_.size());
    line_pos_ = offset;
    return line_no_;
  }

  bankflow::error fail(errc code, std::string message, std::size_t offset, std::string field = {}) {
    auto e = make_error(code, std::move(message), line_at(offset), std::move(field));
    e.file = std::string(in_.file_name);
    return e;
  }

  void open(std::string_view name, std::size_t offset);
  void close(std::string_view name);
  void pop_one();
  result<void> leaf(std::string_view name, std::string_view value, std::size_t offset);
  result<void> finish_transaction();
  result<void> finish_account(std::size_t index);
  void split_account_id(account& acct) const;
  void new_account(account_kind kind);
  bool nubank_by_structure() const;
  // Tokenizes the body from its root element to the root's end, feeding open, leaf and close.
  result<void> read_body(std::size_t start);
  void identify_bank();
  void keep_declared_period();

  [[nodiscard]] bool inside(agg a) const noexcept { return depth_[static_cast<std::size_t>(a)] > 0; }

  const parse_input& in_;
  std::string_view text_;
  std::size_t line_pos_ = 0;
  std::size_t line_no_ = 1;

  struct frame {
    std::string_view name;
    agg kind;
  };
  std::vector<frame> stack_;
  std::array<int, static_cast<std::size_t>(agg::nested_in_trn) + 1> depth_{};
  bool ofc_ = false;               // the <OFC> dialect
  bool account_pending_ = false;   // OFC: ACCTSTMT opened an account its STMTRS has not taken yet
  std::size_t acctid_offset_ = 0;  // the first ACCTID, for a warning about the bank

  statement st_;
  std::vector<account_raw> raw_accounts_;
  std::size_t current_account_ = 0;
  bool have_account_ = false;
  pending_trn trn_;
  bool in_trn_ = false;
  std::string_view bankid_, fid_, org_, curdef_;
  std::optional<bankflow::error> deferred_;
  std::size_t trn_end_ = 0;  // where the STMTTRN being finished ends, for skipped_rows' raw text
  std::string desc_buf_;
};

void ofx_parser::new_account(account_kind kind) {
  st_.accounts.emplace_back();
  raw_accounts_.emplace_back();
  current_account_ = st_.accounts.size() - 1;
  have_account_ = true;
  st_.accounts.back().kind = kind;
}

void ofx_parser::open(std::string_view name, std::size_t offset) {
  agg kind = classify(name);
  // Itaú's OFC wraps each GENTRN in a STMTTRN: one transaction, not two
  if (kind == agg::stmttrn && name == "GENTRN" && inside(agg::stmttrn)) kind = agg::other;
  const bool statement = kind == agg::stmtrs || kind == agg::ccstmtrs;
  // A new STMTTRN (or statement) while the last one is still open: its end tag was left out.
  if ((kind == agg::stmttrn && inside(agg::stmttrn)) ||
      (statement && (inside(agg::stmtrs) || inside(agg::ccstmtrs))) ||
      (kind == agg::acctstmt && inside(agg::acctstmt))) {
    while (!stack_.empty()) {
      const agg top = stack_.back().kind;
      pop_one();
      if (top == kind || (statement && (top == agg::stmtrs || top == agg::ccstmtrs))) break;
    }
  }
  // OFC: an ACCTFROM outside ACCTSTMT and STMTRS still starts the account the next STMTRS reads
  if (kind == agg::bankacctfrom && ofc_ && !inside(agg::acctstmt) && !inside(agg::stmtrs) &&
      !account_pending_) {
    new_account(account_kind::unknown);
    account_pending_ = true;
  }
  stack_.push_back({name, kind});
  ++depth_[static_cast<std::size_t>(kind)];
  switch (kind) {
    case agg::acctstmt:
      new_account(account_kind::unknown);
      account_pending_ = true;
      break;
    case agg::stmtrs:
    case agg::ccstmtrs: {
      if (account_pending_) {  // the account ACCTSTMT (or a lone ACCTFROM) opened
        account_pending_ = false;
        if (kind == agg::ccstmtrs) st_.accounts[current_account_].kind = account_kind::credit_card;
        break;
      }
      new_account(kind == agg::ccstmtrs ? account_kind::credit_card : account_kind::unknown);
      break;
    }
    case agg::stmttrn:
      trn_ = pending_trn{};
      trn_.offset = offset;
      in_trn_ = true;
      break;
    default: break;
  }
}

void ofx_parser::pop_one() {
  const frame f = stack_.back();
  stack_.pop_back();
  --depth_[static_cast<std::size_t>(f.kind)];
  if (f.kind == agg::stmttrn && in_trn_) {
    in_trn_ = false;
    if (auto r = finish_transaction(); !r && !deferred_) {
      // one bad transaction; with skip_bad_rows it is listed and the others are read
      bankflow::error e = r.error();
      const std::string_view raw = text_.substr(trn_.offset, trn_end_ - trn_.offset);
      if (!have_account_ || !skip_bad_row(in_, st_, e, trim(raw))) deferred_ = std::move(e);
    }
  }
}

void ofx_parser::close(std::string_view name) {
  for (std::size_t i = stack_.size(); i-- > 0;) {
    if (stack_[i].name == name) {
      while (stack_.size() > i) pop_one();
      return;
    }
  }
  // the end of a closed leaf, or a stray end tag: nothing to do
}

result<void> ofx_parser::leaf(std::string_view name, std::string_view value, std::size_t offset) {
  if (in_trn_ && !inside(agg::nested_in_trn)) {
    switch (name.size()) {
      case 4:
        if (name == "MEMO") trn_.memo = value;
        else if (name == "NAME") trn_.name = value;
        break;
      case 5:
        if (name == "FITID") trn_.fitid = value;
        break;
      case 6:
        if (name == "TRNAMT") {
          trn_.trnamt = value;
          trn_.trnamt_offset = offset;
          trn_.seen_trnamt = true;
        }
        else if (name == "REFNUM") trn_.refnum = value;
        else if (name == "CHKNUM") trn_.checknum = value;  // OFC
        break;
      case 7:
        if (name == "TRNTYPE") trn_.trntype = value;
        break;
      case 8:
        if (name == "DTPOSTED") {
          trn_.dtposted = value;
          trn_.dtposted_offset = offset;
          trn_.seen_dtposted = true;
        }
        else if (name == "CHECKNUM") trn_.checknum = value;
        break;
      default: break;
    }
    return {};
  }
  if (in_trn_) {
    // PAYEE's NAME is the counterparty, same meaning as NAME
    if (name == "NAME" && trn_.name.empty()) trn_.name = value;
    return {};
  }
  if (!have_account_) {
    if (inside(agg::fi)) {
      if (name == "ORG") org_ = value;
      else if (name == "FID") fid_ = value;
    }
    return {};
  }
  account& acct = st_.accounts[current_account_];
  account_raw& raw = raw_accounts_[current_account_];
  if (inside(agg::bankacctfrom) || inside(agg::ccacctfrom)) {
    if (name == "BANKID") { if (bankid_.empty()) bankid_ = value; }
    else if (name == "BRANCHID") acct.branch = std::string(value);
    else if (name == "ACCTID") {
      acct.number = std::string(value);
      if (acctid_offset_ == 0) acctid_offset_ = offset;
    } else if (name == "ACCTTYPE" && acct.kind != account_kind::credit_card) {
      // OFC numbers the types: 0 checking, 1 savings, 2 credit card, 3 money market, 4 credit line
      if (value == "CHECKING" || value == "0") acct.kind = account_kind::checking;
      else if (value == "SAVINGS" || value == "MONEYMRKT" || value == "1" || value == "3")
        acct.kind = account_kind::savings;
      else if (value == "CREDITLINE" || value == "2" || value == "4")
        acct.kind = account_kind::credit_card;
    }
  } else if (inside(agg::ledgerbal)) {
    if (name == "BALAMT") { raw.balamt = value; raw.balamt_tag = name; raw.balamt_offset = offset; }
    else if (name == "DTASOF") raw.dtasof = value;
  } else if (name == "LEDGER") {  // OFC: the balance is a leaf of STMTRS
    raw.balamt = value;
    raw.balamt_tag = name;
    raw.balamt_offset = offset;
  } else if (name == "DTSTART") {  // in BANKTRANLIST (OFX) or straight in STMTRS (OFC)
    if (raw.dtstart.empty()) raw.dtstart = value;
  } else if (name == "DTEND") {
    if (raw.dtend.empty()) raw.dtend = value;
  } else if (name == "CURDEF") {
    if (curdef_.empty()) curdef_ = value;
  }
  return {};
}

bool is_balance_description(std::string_view folded) noexcept {
  static constexpr std::array<std::string_view, 9> names{
      "saldo anterior", "saldo do dia", "saldo dia", "saldo", "s a l d o",
      "saldo final",    "saldo ant",    "saldo total disponivel dia", "saldo atual"};
  return std::find(names.begin(), names.end(), folded) != names.end();
}

result<void> ofx_parser::finish_transaction() {
  const std::size_t at = trn_.offset;
  if (!have_account_) return fail(errc::ofx_bad_element, "STMTTRN outside a statement", at, "STMTTRN");
  if (!trn_.seen_dtposted)
    return fail(errc::ofx_bad_element, "transaction without DTPOSTED", at, "DTPOSTED");
  if (!trn_.seen_trnamt)
    return fail(errc::ofx_bad_element, "transaction without TRNAMT", at, "TRNAMT");

  // description: MEMO, plus NAME when it adds something (Sicoob: MEMO = type, NAME = party)
  std::string desc = clean_text(trn_.memo);
  if (!trn_.name.empty()) {
    std::string name = clean_text(trn_.name);
    if (desc.empty()) desc = std::move(name);
    else if (!name.empty() && fold(desc).find(fold(name)) == std::string::npos)
      desc += " - " + name;
  }

  auto amount = parse_amount(trn_.trnamt, number_style::automatic);
  if (!amount) {
    auto e = amount.error();
    return fail(e.code, e.message, trn_.trnamt_offset, "TRNAMT");
  }
  // only descriptions that start with S can be balance rows: skip folding the rest
  const bool maybe_balance = !desc.empty() && (desc[0] == 'S' || desc[0] == 's') && desc.size() < 40;
  const std::string folded = maybe_balance ? fold(desc) : std::string();
  // OFC lists SALDO PARCIAL / SALDO FINAL & co as rows with a FITID of their own: every
  // "SALDO …" there is a balance; in OFX only the known names without a FITID are
  const bool balance_row =
      maybe_balance && (ofc_ ? folded == "saldo" || folded.starts_with("saldo ")
                             : is_balance_description(folded) &&
                                   (trn_.fitid.empty() || trim(trn_.fitid) == "0"));
  if (!amount->has_value() || balance_row) {
    account& acct = st_.accounts[current_account_];
    if (amount->has_value()) {
      if (folded.starts_with("saldo ant") || folded.starts_with("saldo inicial")) {
        if (!acct.opening_balance) acct.opening_balance = **amount;
      } else {
        raw_accounts_[current_account_].last_balance_row = **amount;
        if (auto d = parse_date(trn_.dtposted, date_style::ofx); d && d->has_value())
          raw_accounts_[current_account_].last_balance_row_date = **d;
      }
    }
    st_.warnings.push_back({line_at(at), "balance row \"" + desc + "\" is not a transaction"});
    return {};
  }

  auto posted = parse_date(trn_.dtposted, date_style::ofx);
  if (!posted) return fail(errc::bad_date, posted.error().message, trn_.dtposted_offset, "DTPOSTED");
  if (!posted->has_value())
    return fail(errc::bad_date, "transaction with an all-zero DTPOSTED", trn_.dtposted_offset,
                "DTPOSTED");

  transaction& t = st_.transactions.emplace_back();  // filled in place: no moves
  t.posted = **posted;
  t.description = st_.keep(desc);
  t.amount = **amount;
  t.fitid = st_.keep(trn_.fitid);  // leaf values are trimmed already
  t.document = st_.keep(trn_.checknum.empty() ? trn_.refnum : trn_.checknum);
  t.account_index = current_account_;
  t.line = line_at(at);
  t.trntype = parse_ofx_trntype(trn_.trntype);
  return {};
}

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ACCTIDs that carry the agency too (FORMATS.md §3.1.c, §3.2.d, §3.3.a): split them so the
// account reads as the bank's own CSV and app write it. Nothing is dropped.
void ofx_parser::split_account_id(account& acct) const {
  if (!acct.branch.empty() || !st_.bank) return;
  const std::string& id = acct.number;
  const std::string_view bank = st_.bank->id;
  if (bank == "itau" && id.size() == 10 && all_digits(id)) {  // agency 4 + account 5 + digit 1
    acct.branch = id.substr(0, 4);
    acct.number = id.substr(4, 5) + "-" + id.substr(9);
  } else if (bank == "bradesco") {  // "agência/conta"
    const auto slash = id.find('/');
    if (slash != std::string::npos && all_digits(id.substr(0, slash)) &&
        all_digits(id.substr(slash + 1))) {
      acct.branch = id.substr(0, slash);
      acct.number = id.substr(slash + 1);
    }
  } else if (bank == "santander" && id.size() == 13 && all_digits(id)) {  // agency 4 + account 9
    acct.branch = id.substr(0, 4);
    acct.number = id.substr(4);
  }
}

result<void> ofx_parser::finish_account(std::size_t index) {
  account& acct = st_.accounts[index];
  const account_raw& raw = raw_accounts_[index];
  acct.number = std::string(trim(acct.number));
  acct.branch = std::string(trim(acct.branch));
  if (!raw.balamt.empty()) {
    std::string_view v = trim(raw.balamt);
    const std::string tag(raw.balamt_tag);
    if (v.starts_with("--")) {  // seen in OFC LEDGER: "--10081.88"
      v.remove_prefix(1);
      st_.warnings.push_back({line_at(raw.balamt_offset),
                              tag + " \"-" + std::string(v) +
                                  "\" has a doubled minus sign; read as " + std::string(v)});
    }
    const bool itau_cents = tag == "BALAMT" && st_.bank && st_.bank->id == "itau" && !v.empty() &&
                            v.find_first_of(".,") == std::string_view::npos;
    auto amount = parse_amount(v, number_style::automatic);
    if (!amount) return fail(amount.error().code, amount.error().message, raw.balamt_offset, tag);
    if (amount->has_value()) {
      acct.closing_balance = **amount;
      if (itau_cents) {
        acct.closing_balance = **amount / 100;
        st_.warnings.push_back({line_at(raw.balamt_offset),
                                "BALAMT \"" + std::string(v) +
                                    "\" has no decimal separator; read as centavos (Itaú)"});
      }
    }
    if (auto d = parse_date(raw.dtasof, date_style::ofx); d && d->has_value())
      acct.closing_balance_date = **d;
  }
  if (!acct.closing_balance && raw.last_balance_row) {
    acct.closing_balance = raw.last_balance_row;
    acct.closing_balance_date = raw.last_balance_row_date;
  }
  split_account_id(acct);
  return {};
}

// The bank from BANKID, then FID, then ORG (FORMATS.md §4.1).
const bank_info* identify(std::string_view bankid, std::string_view fid, std::string_view org) {
  if (auto* b = find_bank_by_compe(bankid)) return b;
  if (auto* b = find_bank_by_compe(fid)) return b;
  const std::string names = fold(std::string(org) + " " + std::string(fid));
  struct alias {
    std::string_view text, id;
  };
  static constexpr std::array<alias, 14> aliases{{
      {"banco do brasil", "bb"},
      {"santander", "santander"},
      {"intermedium", "inter"},
      {"banco inter", "inter"},
      {"nu pagamentos", "nubank"},
      {"nubank", "nubank"},
      {"banco c6", "c6"},
      {"cooperativo do brasil", "sicoob"},
      {"sicoob", "sicoob"},
      {"sicredi", "sicredi"},
      {"itau", "itau"},
      {"bradesco", "bradesco"},
      {"caixa", "caixa"},
      {"btg", "btg"},
  }};
  for (const auto& a : aliases)
    if (names.find(a.text) != std::string::npos) return find_bank(a.id);
  return nullptr;
}

const bank_info unknown_bank{"unknown", "", ""};

// A COMPE code as three digits ("0422" and "422" are the same bank); other text as written.
std::string normalize_code(std::string_view code) {
  code = trim(code);
  if (!all_digits(code)) return std::string(code);
  while (code.size() > 3 && code.front() == '0') code.remove_prefix(1);
  std::string out(code);
  if (out.size() < 3) out.insert(0, 3 - out.size(), '0');
  return out;
}

// Where the `<OFX>` or `<OFC>` root element (`open` = "<OFX" or "<OFC") starts; npos if nowhere.
std::size_t find_root(std::string_view text, std::string_view open) noexcept {
  for (std::size_t p = text.find(open); p != std::string_view::npos; p = text.find(open, p + 1)) {
    const char c = p + 4 < text.size() ? text[p + 4] : '\0';
    if (c == '>' || c == ' ' || c == '\t' || c == '\r' || c == '\n') return p;
  }
  return std::string_view::npos;
}

bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// Nubank's card OFX may come without FI and BANKID (FORMATS.md §3.6): a card statement whose
// ACCTID is a UUID is theirs; no other bank is known to write one.
bool ofx_parser::nubank_by_structure() const {
  return !st_.accounts.empty() && st_.accounts.front().kind == account_kind::credit_card &&
         is_uuid(trim(st_.accounts.front().number));
}

result<statement> ofx_parser::run() {
  // The body starts at <OFX> (or <OFC>); everything before it is the header, whatever its shape.
  const std::size_t ofx_at = find_root(text_, "<OFX");
  const std::size_t ofc_at = find_root(text_, "<OFC");
  if (ofx_at == std::string_view::npos && ofc_at == std::string_view::npos)
    return fail(errc::ofx_not_ofx,
                ofc_ ? "no <OFC> element: this is not an OFC file"
                     : "no <OFX> element: this is not an OFX file",
                0);
  ofc_ = ofc_at < ofx_at;
  const std::size_t start = ofc_ ? ofc_at : ofx_at;
  if (auto r = read_body(start); !r) return r.error();
  if (st_.accounts.empty())
    return fail(errc::ofx_no_statement,
                ofc_ ? "no account statement (ACCTSTMT or STMTRS) in this OFC file"
                     : "no bank or card statement (STMTRS or CCSTMTRS) in this OFX file",
                start);

  st_.format = ofc_ ? "ofc" : "ofx";
  identify_bank();
  const std::string_view cur = trim(curdef_);
  if (cur == "BRC") st_.currency = "BRL";  // Santander 2011 files say BRC
  else if (!cur.empty()) st_.currency = std::string(cur);

  for (std::size_t i = 0; i < st_.accounts.size(); ++i)
    if (auto r = finish_account(i); !r) return r.error();
  keep_declared_period();
  finish_statement(st_);
  return std::move(st_);
}

// A tag's name: up to the first blank (XML attributes are not used by OFX).
std::string_view tag_name(std::string_view tag) noexcept {
  for (std::size_t i = 0; i < tag.size(); ++i) {
    const char c = tag[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return tag.substr(0, i);
  }
  return tag;
}

result<void> ofx_parser::read_body(std::size_t start) {
  const std::string_view root = ofc_ ? "OFC" : "OFX";
  std::string_view pending;  // the last opened tag, waiting to learn if it is a leaf
  std::size_t pending_offset = 0;
  std::size_t value_start = 0;
  std::size_t pos = start;
  const std::size_t n = text_.size();
  const char* const data = text_.data();
  st_.transactions.reserve(n / 100);  // ≥ 100 bytes per transaction in every real OFX

  while (true) {
    const std::size_t lt = static_cast<std::size_t>(detail::find1(data + pos, data + n, '<') - data);
    if (lt == n) break;
    const std::size_t gt = static_cast<std::size_t>(detail::find1(data + lt + 1, data + n, '>') - data);
    if (gt == n)
      return fail(errc::ofx_truncated, "the file ends inside a tag: it is incomplete", lt);

    std::string_view tag = text_.substr(lt + 1, gt - lt - 1);
    const bool closing = !tag.empty() && tag.front() == '/';
    if (!tag.empty() && (tag.front() == '?' || tag.front() == '!')) {
      if (tag.starts_with("!--")) {  // comment: skip to -->
        const std::size_t close_at = text_.find("-->", lt + 4);
        if (close_at == std::string_view::npos)
          return fail(errc::ofx_truncated, "unterminated comment", lt);
        pos = close_at + 3;
      } else {
        pos = gt + 1;
      }
      continue;
    }
    tag = tag_name(closing ? tag.substr(1) : tag);
    if (tag.empty()) return fail(errc::ofx_bad_element, "empty tag name", lt);

    if (!pending.empty()) {
      const std::string_view value = trim(text_.substr(value_start, lt - value_start));
      if (closing && tag == pending) {
        if (auto r = leaf(pending, value, pending_offset); !r) return r;
        pending = {};
        pos = gt + 1;
        continue;
      }
      if (!value.empty() || known_leaf(pending)) {
        if (auto r = leaf(pending, value, pending_offset); !r) return r;
      } else {
        trn_end_ = pending_offset;
        open(pending, pending_offset);
        if (deferred_) return *deferred_;
      }
      pending = {};
    }

    if (closing) {
      trn_end_ = tag == "STMTTRN" ? gt + 1 : lt;
      close(tag);
      if (deferred_) return *deferred_;
      if (tag == root) return {};
    } else {
      pending = tag;
      pending_offset = lt;
      value_start = gt + 1;
    }
    pos = gt + 1;
  }
  return fail(errc::ofx_truncated, "the file ends before </" + std::string(root) + ">: it is incomplete", n);
}

// The bank: from BANKID, FID or ORG; from the structure for Nubank's bare card files; --bank wins.
void ofx_parser::identify_bank() {
  st_.bank = identify(bankid_, fid_, org_);
  if (!st_.bank && !in_.forced_bank && bankid_.empty() && fid_.empty() && org_.empty() &&
      nubank_by_structure()) {
    st_.bank = find_bank("nubank");
    st_.warnings.push_back({line_at(acctid_offset_),
                            "the file names no bank (no FI or BANKID): Nubank inferred from its "
                            "structure, a card statement whose ACCTID is a UUID"});
  }
  if (in_.forced_bank) st_.bank = in_.forced_bank;
  if (!st_.bank) {
    st_.bank = &unknown_bank;
    st_.bank_code = normalize_code(!bankid_.empty() ? bankid_ : fid_);
    st_.bank_name = decode_entities(std::string(trim(org_)));
  }
}

// The period is the file's own DTSTART–DTEND (all its statements'), kept by finish_statement;
// DTSTART = DTEND is the export time (Santander, C6), not a range: the transactions' dates then
void ofx_parser::keep_declared_period() {
  for (const auto& raw : raw_accounts_) {
    auto s = parse_date(raw.dtstart, date_style::ofx);
    auto e = parse_date(raw.dtend, date_style::ofx);
    if (s && e && s->has_value() && e->has_value() && **s < **e) {
      if (!st_.period_start || **s < *st_.period_start) st_.period_start = **s;
      if (!st_.period_end || **e > *st_.period_end) st_.period_end = **e;
    }
  }
}

// Value of the first `<TAG>` in the head, trimmed; empty when absent.
std::string_view head_value(std::string_view head, std::string_view tag) {
  const std::size_t p = head.find(tag);
  if (p == std::string_view::npos) return {};
  const std::size_t from = p + tag.size();
  const std::size_t end = head.find('<', from);
  return trim(head.substr(from, end == std::string_view::npos ? head.size() - from : end - from));
}

}  // namespace

void probe_ofx(const probe_input& in, std::vector<candidate>& out) {
  const std::string_view head = in.head;
  const std::string_view start = trim(head.substr(0, 64));
  const bool header = start.starts_with("OFXHEADER") || start.starts_with("<?xml") ||
                      head.find("<?OFX") != std::string_view::npos;
  const bool body = head.find("<OFX>") != std::string_view::npos;
  if (!header && !body) return;
  if (!body && find_root(head, "<OFC") != std::string_view::npos) return;  // OFC with an OFX-like header
  const bool statement = head.find("<STMTRS>") != std::string_view::npos ||
                         head.find("<CCSTMTRS>") != std::string_view::npos ||
                         head.find("<STMTTRNRS>") != std::string_view::npos ||
                         head.find("<CCSTMTTRNRS>") != std::string_view::npos;
  candidate c;
  c.format = "ofx";
  c.confidence = header && body ? (statement || in.truncated ? 1.0 : 0.9) : body ? 0.9 : 0.6;
  const std::string_view bankid = head_value(head, "<BANKID>");
  const std::string_view fid = head_value(head, "<FID>");
  const std::string_view org = head_value(head, "<ORG>");
  c.bank = identify(bankid, fid, org);
  if (!c.bank && bankid.empty() && fid.empty() && org.empty() &&
      head.find("<CCSTMTRS>") != std::string_view::npos && is_uuid(head_value(head, "<ACCTID>"))) {
    // Nubank by its structure alone (see nubank_by_structure): less sure than a stated bank
    c.bank = find_bank("nubank");
    c.confidence = std::min(c.confidence, 0.8);
  }
  if (!c.bank) c.bank_code = normalize_code(!bankid.empty() ? bankid : fid);
  out.push_back(std::move(c));
}

void probe_ofc(const probe_input& in, std::vector<candidate>& out) {
  const std::string_view head = in.head;
  const std::size_t root = find_root(head, "<OFC");
  if (root == std::string_view::npos) return;
  if (find_root(head.substr(0, root), "<OFX") != std::string_view::npos) return;  // an OFX file
  const bool statement = head.find("<ACCTSTMT>") != std::string_view::npos ||
                         head.find("<STMTRS>") != std::string_view::npos;
  // before the root only a header may stand: "OFXHEADER:100"-like lines, or nothing
  const std::string_view before = trim(head.substr(0, root));
  const bool clean_start = before.empty() || before.starts_with("OFXHEADER") ||
                           before.starts_with("OFCHEADER") || before.find('<') == std::string_view::npos;
  candidate c;
  c.format = "ofc";
  c.confidence = (statement || in.truncated) && clean_start ? 1.0 : statement ? 0.8 : 0.6;
  const std::string_view bankid = head_value(head, "<BANKID>");
  c.bank = identify(bankid, {}, {});
  if (!c.bank) c.bank_code = normalize_code(bankid);
  out.push_back(std::move(c));
}

result<statement> parse_ofx(const parse_input& in) { return ofx_parser(in, false).run(); }

result<statement> parse_ofc(const parse_input& in) { return ofx_parser(in, true).run(); }

}  // namespace bankflow::detail
