#include "ofx_generator.hpp"

#include <algorithm>
#include <array>
#include <span>

namespace bankflow::bench {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

// splitmix64: tiny, fast, and the same sequence on every platform and standard library, which
// std::uniform_int_distribution does not promise.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, n); n > 0. The modulo bias is far below anything a benchmark notices.
  std::uint64_t below(std::uint64_t n) { return next() % n; }

  /// Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  /// In [lo, hi], skewed towards lo (the minimum of three uniforms: mean at a quarter of the
  /// range), the way most card purchases are small and a few are large.
  std::int64_t skewed(std::int64_t lo, std::int64_t hi) {
    const auto range = static_cast<std::uint64_t>(hi - lo) + 1;
    const std::uint64_t m = std::min({below(range), below(range), below(range)});
    return lo + static_cast<std::int64_t>(m);
  }

  template <class T>
  const T& pick(std::span<const T> items) {
    return items[static_cast<std::size_t>(below(items.size()))];
  }

 private:
  std::uint64_t state_;
};

// --- text helpers -------------------------------------------------------------------------

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

/// Cuts s to `width` code points, then pads it with blanks to exactly `width` code points.
std::string fit(std::string_view s, std::size_t width) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(s[i])) {
      if (n == width) break;
      ++n;
    }
    out += s[i];
  }
  out.append(width - n, ' ');
  return out;
}

/// What bankflow promises for descriptions: trimmed, runs of blanks collapsed to one.
std::string normalize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_blank = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      pending_blank = !out.empty();
      continue;
    }
    if (pending_blank) out += ' ';
    pending_blank = false;
    out += c;
  }
  return out;
}

void append_digits(std::string& out, std::uint64_t value, int width) {
  std::array<char, 24> buf{};
  int n = 0;
  do {
    buf[static_cast<std::size_t>(n++)] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 && n < 24);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[static_cast<std::size_t>(--n)];
}

std::string digits(std::uint64_t value, int width) {
  std::string s;
  append_digits(s, value, width);
  return s;
}

std::string random_digits(rng& r, int count) {
  std::string s;
  for (int i = 0; i < count; ++i) s += static_cast<char>('0' + r.below(10));
  return s;
}

void append_hex(std::string& out, std::uint64_t value, int nibbles) {
  static constexpr std::string_view hex = "0123456789abcdef";
  for (int i = nibbles - 1; i >= 0; --i) out += hex[(value >> (4 * i)) & 0xFU];
}

void append_base32(std::string& out, std::uint64_t value, int chars) {
  static constexpr std::string_view crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (int i = chars - 1; i >= 0; --i) out += crockford[(value >> (5 * i)) & 0x1FU];
}

/// "20250401" (+ "100000" etc. when time is given).
std::string ofx_date(year_month_day d) {
  std::string s;
  append_digits(s, static_cast<std::uint64_t>(static_cast<int>(d.year())), 4);
  append_digits(s, static_cast<unsigned>(d.month()), 2);
  append_digits(s, static_cast<unsigned>(d.day()), 2);
  return s;
}

std::string dd_mm(year_month_day d) {
  return digits(static_cast<unsigned>(d.day()), 2) + "/" +
         digits(static_cast<unsigned>(d.month()), 2);
}

// --- vocabulary ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 20> people{
    "JOÃO SILVA",       "JOSÉ ARAÚJO",    "MARIA CONCEIÇÃO", "ANTÔNIO GONÇALVES",
    "LUÍS FERNANDES",   "FÁTIMA LIMA",    "ESTÊVÃO SOUZA",   "ÂNGELA ROCHA",
    "SÉRGIO MELO",      "LÚCIA BRANDÃO",  "FRANCISCO ASSIS", "ANA PAULA REIS",
    "CÉSAR ARRUDA",     "INÊS PEREIRA",   "MÁRCIO TORRES",   "SIMÃO PEDRO",
    "FULANO DE TAL",    "BEATRIZ CAMPOS", "RAÍSSA NOGUEIRA", "OTÁVIO BASTOS",
};

constexpr std::array<std::string_view, 20> merchants{
    "PADARIA SÃO JOÃO",   "FARMÁCIA POPULAR",    "AÇOUGUE BOI GORDO", "CAFÉ PAULISTA",
    "POSTO IPIRANGA",     "SUPERMERCADO PÃO",    "DROGARIA SÃO PAULO", "C&A MODAS",
    "SABOR & CIA",        "LIVRARIA CULTURA",    "HORTIFRUTI MAÇÃ",   "IFOOD",
    "UBER TRIP",          "MERCADO LIVRE",       "CINEMARK",          "CONFEITARIA COLOMBO",
    "ÓTICA DINIZ",        "PETSHOP CÃO FELIZ",   "LANCHONETE PÉ",     "BAR DO ZÉ",
};

constexpr std::array<std::string_view, 10> payees{
    "CONDOMÍNIO EDIF", "ENERGIA ELÉTRICA", "UNIMED SAÚDE",   "ESCOLA ALFA",
    "IPTU PREFEITURA", "VIVO TELEFÔNICA",  "CLARO NET",      "PORTO SEGURO",
    "COLÉGIO SÃO LUÍS", "ACADEMIA FÍSICA",
};

constexpr std::array<std::string_view, 5> utilities{"LIGHT", "SABESP", "CEMIG", "COMGAS",
                                                    "ENEL"};

constexpr std::array<std::string_view, 6> employers{
    "EMPRESA X LTDA", "ACME INDÚSTRIA", "CONSTRUTORA ÁGUIA", "LOGÍSTICA SUL",
    "PREFEITURA MUN", "SERVIÇOS GERAIS",
};

constexpr std::array<std::string_view, 6> other_banks{
    "ITAÚ UNIBANCO S.A. (0341)",     "BCO BRADESCO S.A. (0237)",
    "CAIXA ECONOMICA FEDERAL (0104)", "BCO DO BRASIL S.A. (0001)",
    "BCO SANTANDER (BRASIL) S.A. (0033)", "NU PAGAMENTOS - IP (0260)",
};

constexpr std::array<std::string_view, 6> compe_codes{"341", "237", "104", "001", "033", "756"};

constexpr std::array<std::int64_t, 6> fees{1160, 2990, 4500, 1045, 750, 1890};

// --- transactions -------------------------------------------------------------------------

enum class category {
  card_shop,     // RSHOP-…
  card_buy,      // COMPRA CARTÃO …
  pix_sent,
  boleto,
  title_paid,    // INT PAG TIT
  debit_auto,    // DA  LIGHT …
  ted_sent,
  fee,
  withdrawal,
  tax,           // IOF / juros
  pix_received,
  salary,
  ted_received,
  doc_received,
  yield,         // rendimento
  refund,
};

struct weighted {
  category cat;
  unsigned weight;  // per 1000
};

// About 85 % debits, mostly small; 15 % credits, some of them large.
constexpr std::array<weighted, 16> mix{{
    {category::card_shop, 300},  {category::card_buy, 150},    {category::pix_sent, 200},
    {category::boleto, 60},      {category::title_paid, 30},   {category::debit_auto, 30},
    {category::ted_sent, 20},    {category::fee, 20},          {category::withdrawal, 30},
    {category::tax, 10},         {category::pix_received, 80}, {category::salary, 15},
    {category::ted_received, 15}, {category::doc_received, 5}, {category::yield, 25},
    {category::refund, 10},
}};

category pick_category(rng& r) {
  auto x = static_cast<unsigned>(r.below(1000));
  for (const auto& w : mix) {
    if (x < w.weight) return w.cat;
    x -= w.weight;
  }
  return category::card_shop;
}

std::int64_t amount_for(category c, rng& r) {
  switch (c) {
    case category::card_shop: return -r.skewed(350, 45000);
    case category::card_buy: return -r.skewed(199, 89990);
    case category::pix_sent: return -r.skewed(500, 150000);
    case category::boleto: return -r.skewed(5000, 250000);
    case category::title_paid: return -r.skewed(5000, 300000);
    case category::debit_auto: return -r.between(6000, 60000);
    case category::ted_sent: return -r.skewed(20000, 800000);
    case category::fee: return -r.pick(std::span<const std::int64_t>(fees));
    case category::withdrawal: return -(r.between(2, 100) * 1000);  // R$ 20 to R$ 1000, by tens
    case category::tax: return -r.skewed(1, 8500);
    case category::pix_received: return r.skewed(1000, 300000);
    case category::salary: return r.between(250000, 1800000);
    case category::ted_received: return r.skewed(50000, 2000000);
    case category::doc_received: return r.skewed(10000, 500000);
    case category::yield: return r.skewed(1, 6000);
    case category::refund: return r.skewed(500, 30000);
  }
  return 0;
}

template <std::size_t N>
std::string_view any(rng& r, const std::array<std::string_view, N>& items) {
  return r.pick(std::span<const std::string_view>(items));
}

/// Itaú: upper case bank abbreviations cut or padded to 24 characters (§3.1.a, §3.1.c).
std::string itau_memo(category c, rng& r, year_month_day d) {
  std::string m;
  switch (c) {
    case category::card_shop:
      m = "RSHOP-" + fit(any(r, merchants), 11) + "-" + dd_mm(d) + " ";
      break;
    case category::card_buy: m = "COMPRA CARTÃO " + std::string(any(r, merchants)); break;
    case category::pix_sent:
      m = fit("PIX TRANSF " + std::string(any(r, people)), 17) + " " + dd_mm(d);
      break;
    case category::boleto: m = "PAGTO BOLETO " + std::string(any(r, payees)); break;
    case category::title_paid: m = "INT PAG TIT BANCO " + std::string(any(r, compe_codes)); break;
    case category::debit_auto:
      m = "DA  " + std::string(any(r, utilities)) + " " + random_digits(r, 10);
      break;
    case category::ted_sent:
      m = "TED " + std::string(any(r, compe_codes)) + "." + random_digits(r, 4) +
          std::string(any(r, people));
      break;
    case category::fee:
      m = r.below(2) == 0 ? "TAR PACOTE I MENS  " + dd_mm(d).substr(3) + "/" +
                                digits(static_cast<std::uint64_t>(static_cast<int>(d.year())) % 100, 2)
                          : std::string("TARIFA TED INTERNET");
      break;
    case category::withdrawal: m = "SAQUE 24H " + random_digits(r, 6); break;
    case category::tax: m = r.below(2) == 0 ? "IOF" : "JUROS LIMITE DA CONTA"; break;
    case category::pix_received: m = "PIX RECEB " + std::string(any(r, people)); break;
    case category::salary: m = "SISPAG SALÁRIO " + std::string(any(r, employers)); break;
    case category::ted_received:
      m = "TED " + std::string(any(r, compe_codes)) + "." + random_digits(r, 4) +
          std::string(any(r, employers));
      break;
    case category::doc_received:
      m = "DOC 756." + random_digits(r, 4) + std::string(any(r, people));
      break;
    case category::yield:
      m = r.below(2) == 0 ? "REND PAGO APLIC AUT MAIS" : "RENDIMENTO POUPANÇA";
      break;
    case category::refund: m = "ESTORNO " + std::string(any(r, merchants)); break;
  }
  return fit(m, 24);
}

std::string masked_cpf(rng& r) { return "•••." + random_digits(r, 3) + "." + random_digits(r, 3) + "-••"; }

std::string pix_party(rng& r) {
  return std::string(any(r, people)) + " - " + masked_cpf(r) + " - " +
         std::string(any(r, other_banks)) + " Agência: " + random_digits(r, 4) +
         " Conta: " + random_digits(r, 5) + "-" + random_digits(r, 1);
}

/// Nubank: long mixed-case sentences with the counterparty (§3.6.c).
std::string nubank_memo(category c, rng& r) {
  switch (c) {
    case category::card_shop:
    case category::card_buy: return "Compra no débito - " + std::string(any(r, merchants));
    case category::pix_sent: return "Transferência enviada pelo Pix - " + pix_party(r);
    case category::boleto:
    case category::title_paid:
      return "Pagamento de boleto efetuado - " + std::string(any(r, payees));
    case category::debit_auto:
      return "Débito automático - " + std::string(any(r, utilities));
    case category::ted_sent: return "Transferência enviada - " + std::string(any(r, people));
    case category::fee: return "Tarifa de saque";
    case category::withdrawal: return "Saque - Banco 24 Horas";
    case category::tax: return "IOF sobre saldo devedor";
    case category::pix_received: return "Transferência recebida pelo Pix - " + pix_party(r);
    case category::salary:
      return "Transferência Recebida - " + std::string(any(r, employers));
    case category::ted_received:
      return "Transferência recebida - " + std::string(any(r, employers));
    case category::doc_received: return "Depósito recebido por boleto";
    case category::yield: return "Rendimento da conta";
    case category::refund: return "Estorno - " + std::string(any(r, merchants));
  }
  return {};
}

/// C6: short upper-case labels, sometimes none (§3.8.c).
std::string c6_memo(category c, rng& r) {
  switch (c) {
    case category::card_shop:
    case category::card_buy: return "COMPRA DEBITO " + std::string(any(r, merchants));
    case category::pix_sent: return "TRANSF ENVIADA PIX";
    case category::boleto:
    case category::title_paid: return "PGTO BOLETO " + std::string(any(r, payees));
    case category::debit_auto: return "DEB AUTOMATICO " + std::string(any(r, utilities));
    case category::ted_sent: return "TED ENVIADA";
    case category::fee: return "TARIFA";
    case category::withdrawal: return "SAQUE";
    case category::tax: return {};  // C6 leaves MEMO out on some rows
    case category::pix_received: return "TRANSF RECEBIDA PIX";
    case category::salary: return "SALÁRIO " + std::string(any(r, employers));
    case category::ted_received: return "TED RECEBIDA";
    case category::doc_received: return "DEPÓSITO";
    case category::yield: return "RENDIMENTO CDB";
    case category::refund: return "ESTORNO " + std::string(any(r, merchants));
  }
  return {};
}

// --- writing ------------------------------------------------------------------------------

class ofx_writer {
 public:
  ofx_writer(std::string& out, ofx_leaf_style style, std::string_view indent)
      : out_(out), closed_(style == ofx_leaf_style::closed), indent_(indent) {}

  void open(std::string_view tag) {
    line_start();
    out_ += '<';
    out_ += tag;
    out_ += ">\r\n";
    ++depth_;
  }

  void close(std::string_view tag) {
    --depth_;
    line_start();
    out_ += "</";
    out_ += tag;
    out_ += ">\r\n";
  }

  void leaf(std::string_view tag, std::string_view value) {
    line_start();
    out_ += '<';
    out_ += tag;
    out_ += '>';
    for (char c : value) {
      switch (c) {
        case '&': out_ += "&amp;"; break;
        case '<': out_ += "&lt;"; break;
        case '>': out_ += "&gt;"; break;
        default: out_ += c;
      }
    }
    if (closed_) {
      out_ += "</";
      out_ += tag;
      out_ += '>';
    }
    out_ += "\r\n";
  }

 private:
  void line_start() {
    for (int i = 0; i < depth_; ++i) out_ += indent_;
  }

  std::string& out_;
  bool closed_;
  std::string_view indent_;
  int depth_ = 0;
};

struct profile {
  std::string_view bank_id;
  std::string_view header_separator;  // ":" or ": " (C6)
  std::string_view encoding;
  std::string_view charset;
  bool blank_line_before_ofx;
  std::string_view indent;
  std::string_view org;
  std::string_view fid;
  std::string_view bankid;
  std::string_view branchid;  // empty: no BRANCHID
  std::string_view zone;      // appended to every timestamp
  std::string_view fixed_time;  // empty: real times (C6)
  std::string_view trnuid;
};

profile profile_of(ofx_bank bank) {
  switch (bank) {
    case ofx_bank::itau:
      return {"itau", ":", "USASCII", "1252", true, "", "ITAU UNIBANCO S.A.", "341", "0341", "",
              "[-03:EST]", "100000", "1001"};
    case ofx_bank::nubank:
      return {"nubank", ":", "UTF-8", "NONE", false, "", "NU PAGAMENTOS S.A.", "260", "0260", "1",
              "[-3:BRT]", "000000", "1"};
    case ofx_bank::c6:
      return {"c6", ": ", "UTF-8", "1252", false, "  ", "Banco C6 S.A.", "336", "336", "1",
              "[-3:BRT]", "", ""};
  }
  return profile_of(ofx_bank::itau);
}

std::string timestamp(const profile& p, year_month_day d, rng& r) {
  std::string s = ofx_date(d);
  if (p.fixed_time.empty()) {
    append_digits(s, r.below(24), 2);
    append_digits(s, r.below(60), 2);
    append_digits(s, r.below(60), 2);
  } else {
    s += p.fixed_time;
  }
  s += p.zone;
  return s;
}

/// C6 writes "-800.0" when the cents end in zero.
std::string c6_amount(std::int64_t minor) {
  std::string s = format_centavos(minor);
  if (s.back() == '0') s.pop_back();
  return s;
}

bool business_day(sys_days d) {
  const weekday w{d};
  return w != std::chrono::Saturday && w != std::chrono::Sunday;
}

}  // namespace

std::string format_centavos(std::int64_t minor) {
  const bool negative = minor < 0;
  // Unsigned negation so that INT64_MIN formats too.
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::string s = negative ? "-" : "";
  append_digits(s, magnitude / 100, 1);
  s += '.';
  append_digits(s, magnitude % 100, 2);
  return s;
}

std::optional<ofx_bank> parse_ofx_bank(std::string_view name) {
  if (name == "itau") return ofx_bank::itau;
  if (name == "nubank") return ofx_bank::nubank;
  if (name == "c6") return ofx_bank::c6;
  return std::nullopt;
}

std::optional<ofx_leaf_style> parse_ofx_leaf_style(std::string_view name) {
  if (name == "unclosed") return ofx_leaf_style::unclosed;
  if (name == "closed") return ofx_leaf_style::closed;
  return std::nullopt;
}

std::string_view to_string(ofx_bank bank) { return profile_of(bank).bank_id; }

std::string_view to_string(ofx_leaf_style style) {
  return style == ofx_leaf_style::closed ? "closed" : "unclosed";
}

ofx_leaf_style default_style(ofx_bank bank) {
  return bank == ofx_bank::itau ? ofx_leaf_style::unclosed : ofx_leaf_style::closed;
}

generated_ofx generate_ofx(const ofx_options& options) {
  const profile p = profile_of(options.bank);
  const ofx_leaf_style style = options.style.value_or(default_style(options.bank));
  rng r(options.seed);
  const std::size_t n = options.transactions;

  generated_ofx g;
  g.bank_id = p.bank_id;
  g.expected.reserve(n);
  g.opening_balance = r.between(100000, 5000000);

  // Spread the entries over business days: a quarter for small files, at most ~400 a day for
  // big ones (Itaú's FITID numbers the entries of a day with three digits).
  const std::size_t per_day_avg = std::clamp<std::size_t>((n + 64) / 65, 3, 400);

  // Dates first: DTSTART/DTEND come before the transactions in the file.
  std::vector<year_month_day> dates;
  dates.reserve(n);
  sys_days current = sys_days{year{2025} / month{4} / day{1}};
  while (dates.size() < n) {
    while (!business_day(current)) current += days{1};
    const auto today = static_cast<std::size_t>(r.between(1, static_cast<std::int64_t>(2 * per_day_avg - 1)));
    const std::size_t count = std::min(today, n - dates.size());
    for (std::size_t i = 0; i < count; ++i) dates.emplace_back(current);
    current += days{1};
  }
  const year_month_day first_day = n > 0 ? dates.front() : year_month_day{sys_days{year{2025} / month{4} / day{1}}};
  const year_month_day last_day = n > 0 ? dates.back() : first_day;
  const year_month_day server_day{sys_days{last_day} + days{1}};

  std::string& out = g.bytes;
  out.reserve(1024 + n * (options.bank == ofx_bank::nubank ? 420 : 230));

  for (std::string_view kv : {"OFXHEADER|100", "DATA|OFXSGML", "VERSION|102", "SECURITY|NONE",
                              "ENCODING|", "CHARSET|", "COMPRESSION|NONE", "OLDFILEUID|NONE",
                              "NEWFILEUID|NONE"}) {
    const auto bar = kv.find('|');
    const std::string_view key = kv.substr(0, bar);
    std::string_view value = kv.substr(bar + 1);
    if (key == "ENCODING") value = p.encoding;
    if (key == "CHARSET") value = p.charset;
    out += key;
    out += p.header_separator;
    out += value;
    out += "\r\n";
  }
  if (p.blank_line_before_ofx) out += "\r\n";

  // ULIDs share the export's prefix (§3.8.c); UUIDs are random but for a unique tail.
  const std::uint64_t id_prefix = r.next();
  std::string trnuid(p.trnuid);
  if (trnuid.empty()) {
    append_base32(trnuid, id_prefix, 10);
    append_base32(trnuid, 0, 16);
  }

  ofx_writer w(out, style, p.indent);
  w.open("OFX");
  w.open("SIGNONMSGSRSV1");
  w.open("SONRS");
  w.open("STATUS");
  w.leaf("CODE", "0");
  w.leaf("SEVERITY", "INFO");
  w.close("STATUS");
  w.leaf("DTSERVER", options.bank == ofx_bank::nubank
                         ? ofx_date(server_day) + "093827[0:GMT]"
                         : timestamp(p, server_day, r));
  w.leaf("LANGUAGE", "POR");
  w.open("FI");
  w.leaf("ORG", p.org);
  w.leaf("FID", p.fid);
  w.close("FI");
  w.close("SONRS");
  w.close("SIGNONMSGSRSV1");
  w.open("BANKMSGSRSV1");
  w.open("STMTTRNRS");
  w.leaf("TRNUID", trnuid);
  w.open("STATUS");
  w.leaf("CODE", "0");
  w.leaf("SEVERITY", "INFO");
  w.close("STATUS");
  w.open("STMTRS");
  w.leaf("CURDEF", "BRL");
  w.open("BANKACCTFROM");
  w.leaf("BANKID", p.bankid);
  if (!p.branchid.empty()) w.leaf("BRANCHID", p.branchid);
  switch (options.bank) {
    case ofx_bank::itau: w.leaf("ACCTID", random_digits(r, 10)); break;
    case ofx_bank::nubank: w.leaf("ACCTID", random_digits(r, 8) + "-" + random_digits(r, 1)); break;
    case ofx_bank::c6: w.leaf("ACCTID", random_digits(r, 9)); break;
  }
  w.leaf("ACCTTYPE", "CHECKING");
  w.close("BANKACCTFROM");
  w.open("BANKTRANLIST");
  w.leaf("DTSTART", timestamp(p, first_day, r));
  w.leaf("DTEND", timestamp(p, last_day, r));

  unsigned seq_in_day = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const year_month_day d = dates[i];
    seq_in_day = (i > 0 && dates[i - 1] == d) ? seq_in_day + 1 : 1;
    const category c = pick_category(r);
    const std::int64_t amount = amount_for(c, r);

    std::string fitid;
    switch (options.bank) {
      case ofx_bank::itau:
        fitid = ofx_date(d);
        append_digits(fitid, seq_in_day, 3);
        break;
      case ofx_bank::nubank: {
        const std::uint64_t hi = r.next();
        append_hex(fitid, hi >> 32, 8);
        fitid += '-';
        append_hex(fitid, (hi >> 16) & 0xFFFFU, 4);
        fitid += "-4";
        append_hex(fitid, hi & 0xFFFU, 3);
        fitid += '-';
        append_hex(fitid, 0x8000U | (r.next() & 0x3FFFU), 4);
        fitid += '-';
        append_hex(fitid, i + 1, 12);  // the counter makes every FITID unique
        break;
      }
      case ofx_bank::c6:
        append_base32(fitid, id_prefix, 10);
        append_base32(fitid, r.next() & 0xFFFFFFFFFFULL, 8);
        append_base32(fitid, i + 1, 8);
        break;
    }

    std::string memo;
    switch (options.bank) {
      case ofx_bank::itau: memo = itau_memo(c, r, d); break;
      case ofx_bank::nubank: memo = nubank_memo(c, r); break;
      case ofx_bank::c6: memo = c6_memo(c, r); break;
    }

    w.open("STMTTRN");
    w.leaf("TRNTYPE", amount < 0 ? "DEBIT" : "CREDIT");
    w.leaf("DTPOSTED", timestamp(p, d, r));
    w.leaf("TRNAMT", options.bank == ofx_bank::c6 ? c6_amount(amount) : format_centavos(amount));
    w.leaf("FITID", fitid);
    if (options.bank == ofx_bank::itau) w.leaf("CHECKNUM", fitid);
    if (options.bank == ofx_bank::c6) w.leaf("REFNUM", random_digits(r, 38));
    if (!memo.empty()) w.leaf("MEMO", memo);
    w.close("STMTTRN");

    g.sum += amount;
    (amount < 0 ? g.debits : g.credits) += 1;
    g.expected.push_back({d, amount, std::move(fitid), normalize(memo)});
  }
  g.closing_balance = g.opening_balance + g.sum;

  w.close("BANKTRANLIST");
  w.open("LEDGERBAL");
  w.leaf("BALAMT", format_centavos(g.closing_balance));
  w.leaf("DTASOF", timestamp(p, last_day, r));
  w.close("LEDGERBAL");
  w.close("STMTRS");
  w.close("STMTTRNRS");
  w.close("BANKMSGSRSV1");
  w.close("OFX");
  return g;
}

}  // namespace bankflow::bench
