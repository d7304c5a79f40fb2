// Categories: the shipped pt-BR rules, rule sets, and the matcher over them.

#include "enrich/row.hpp"

#include <array>

namespace bankflow {

namespace {

using k = transaction_kind;

constexpr std::uint32_t bits(std::initializer_list<transaction_kind> kinds) noexcept {
  std::uint32_t b = 0;
  for (transaction_kind x : kinds) b |= kind_bit(x);
  return b;
}

// Rows whose shop or payee names what was bought.
constexpr std::uint32_t spending =
    bits({k::card_purchase, k::debit_card, k::boleto, k::direct_debit, k::other});

// A spending row whose description holds `word` (folded) goes to `category`.
constexpr category_rule kw(std::string_view category, std::string_view word) noexcept {
  return {category, spending, {}, word, amount_sign::any, word};
}

// clang-format off
constexpr category_rule rules[] = {
    {"Salário e renda", bits({k::salary}), {}, {}, amount_sign::any, "kind salary"},
    {"Pagamento de fatura", bits({k::card_payment}), {}, {}, amount_sign::any, "kind card_payment"},
    {"Tarifas bancárias", bits({k::fee}), {}, {}, amount_sign::any, "kind fee"},
    {"Impostos e taxas", bits({k::tax}), {}, {}, amount_sign::any, "kind tax"},
    {"Juros e encargos", bits({k::interest}), {}, {}, amount_sign::any, "kind interest"},
    {"Investimentos", bits({k::yield, k::investment, k::redemption}), {}, {}, amount_sign::any, "kind yield/investment/redemption"},
    {"Empréstimos", bits({k::loan}), {}, {}, amount_sign::any, "kind loan"},
    {"Estornos", bits({k::refund}), {}, {}, amount_sign::any, "kind refund"},
    {"Saques e depósitos", bits({k::withdrawal, k::deposit}), {}, {}, amount_sign::any, "kind withdrawal/deposit"},
    // before "Mercado": the marketplace is not a grocery
    kw("Compras", "MERCADO LIVRE"), kw("Compras", "MERCADOLIVRE"),
    kw("Impostos e taxas", "IPVA"), kw("Impostos e taxas", "DETRAN"),
    kw("Impostos e taxas", "IPTU"), kw("Impostos e taxas", "DARF"),
    kw("Impostos e taxas", "GUIA DAS"),
    kw("Alimentação", "RESTAURANTE"), kw("Alimentação", "PADARIA"),
    kw("Alimentação", "LANCHONETE"), kw("Alimentação", "IFOOD"),
    kw("Alimentação", "IFD*"), kw("Alimentação", "RAPPI"),
    kw("Alimentação", "BURGER"), kw("Alimentação", "MCDONALDS"),
    kw("Alimentação", "CAFE"), kw("Alimentação", "BAR"),
    kw("Alimentação", "PIZZARIA"), kw("Alimentação", "CHURRASCARIA"),
    kw("Alimentação", "ACAI"), kw("Alimentação", "OUTBACK"),
    kw("Alimentação", "COCO BAMBU"), kw("Alimentação", "DELIVERY"),
    kw("Alimentação", "CONFEITARIA"), kw("Alimentação", "MADERO"),
    kw("Mercado", "SUPERMERCADO"), kw("Mercado", "SUPERMERCADOS"),
    kw("Mercado", "MERCADO"), kw("Mercado", "MERCADINHO"),
    kw("Mercado", "MERCEARIA"), kw("Mercado", "ATACADAO"),
    kw("Mercado", "ASSAI"), kw("Mercado", "CARREFOUR"),
    kw("Mercado", "PAO DE ACUCAR"), kw("Mercado", "HORTIFRUTI"),
    kw("Mercado", "ACOUGUE"), kw("Mercado", "ZAFFARI"),
    kw("Mercado", "ANGELONI"), kw("Mercado", "ZONA SUL"),
    kw("Mercado", "COMERCIAL DE ALIMENT"),
    kw("Transporte", "UBER"), kw("Transporte", "99 POP"),
    kw("Transporte", "99APP"), kw("Transporte", "99 TAXI"), kw("Transporte", "TAXI"),
    kw("Transporte", "POSTO"), kw("Transporte", "SHELL"),
    kw("Transporte", "IPIRANGA"), kw("Transporte", "COMBUSTIVEL"),
    kw("Transporte", "ESTACIONAMENTO"), kw("Transporte", "PEDAGIO"),
    kw("Transporte", "SEM PARAR"), kw("Transporte", "PNEUS"),
    kw("Saúde", "FARMACIA"), kw("Saúde", "DROGARIA"),
    kw("Saúde", "DROGASIL"), kw("Saúde", "RAIA"),
    kw("Saúde", "PANVEL"), kw("Saúde", "PAGUE MENOS"),
    kw("Saúde", "UNIMED"), kw("Saúde", "HOSPITAL"),
    kw("Saúde", "CLINICA"), kw("Saúde", "LABORATORIO"),
    kw("Saúde", "OTICA"), kw("Saúde", "OTICAS"),
    kw("Educação", "ESCOLA"), kw("Educação", "COLEGIO"),
    kw("Educação", "FACULDADE"), kw("Educação", "UNIVERSIDADE"),
    kw("Educação", "CURSO"), kw("Educação", "LIVRARIA"),
    kw("Educação", "LIVRARIAS"),
    kw("Lazer", "CINEMA"), kw("Lazer", "CINEMARK"),
    kw("Lazer", "STEAM"), kw("Lazer", "STEAMGAMES.COM"),
    kw("Lazer", "INGRESSO"), kw("Lazer", "SYMPLA"),
    kw("Lazer", "TEATRO"), kw("Lazer", "PUB"),
    kw("Serviços e assinaturas", "NETFLIX"), kw("Serviços e assinaturas", "NETFLIX.COM"),
    kw("Serviços e assinaturas", "SPOTIFY"), kw("Serviços e assinaturas", "AMAZON PRIME"),
    kw("Serviços e assinaturas", "APPLE.COM"), kw("Serviços e assinaturas", "GOOGLE"),
    kw("Serviços e assinaturas", "STREAMING"), kw("Serviços e assinaturas", "OPENAI"),
    kw("Serviços e assinaturas", "ASSINATURA"), kw("Serviços e assinaturas", "VIVO"),
    kw("Serviços e assinaturas", "CLARO"), kw("Serviços e assinaturas", "TIM CELULAR"),
    kw("Serviços e assinaturas", "NET SERVICOS"), kw("Serviços e assinaturas", "TELEFONE"),
    kw("Serviços e assinaturas", "INTERNET"), kw("Serviços e assinaturas", "JETBRAINS"),
    kw("Serviços e assinaturas", "JORNAL"), kw("Serviços e assinaturas", "SEGURO"),
    kw("Moradia", "CONDOMINIO"), kw("Moradia", "COND"),
    kw("Moradia", "ALUGUEL"), kw("Moradia", "IMOBILIARIA"),
    kw("Moradia", "ENERGIA"), kw("Moradia", "ENEL"),
    kw("Moradia", "CEMIG"), kw("Moradia", "COPEL"),
    kw("Moradia", "LIGHT"), kw("Moradia", "ELETROPAULO"),
    kw("Moradia", "CPFL"), kw("Moradia", "ENERGISA"),
    kw("Moradia", "SABESP"), kw("Moradia", "COPASA"),
    kw("Moradia", "SANEPAR"), kw("Moradia", "SANEAMENTO"),
    kw("Moradia", "AGUA"), kw("Moradia", "LUZ"),
    kw("Moradia", "MOVEIS"), kw("Moradia", "MAT CONSTRUC"),
    kw("Viagem", "LATAM"), kw("Viagem", "GOL"),
    kw("Viagem", "AZUL"), kw("Viagem", "HOTEL"),
    kw("Viagem", "AIRBNB"), kw("Viagem", "PASSAGEM"),
    kw("Viagem", "SMILES"), kw("Viagem", "DECOLAR"),
    kw("Viagem", "BOOKING"), kw("Viagem", "AIRLINES"),
    kw("Viagem", "HOSPEDAGEM"), kw("Viagem", "TAM"),
    {"Transferências", bits({k::pix, k::ted, k::doc, k::tef}), {}, {}, amount_sign::any, "kind transfer"},
    {"Compras", bits({k::card_purchase, k::debit_card}), {}, {}, amount_sign::any, "kind purchase"},
    {"Outros", 0, {}, {}, amount_sign::any, "everything else"},
};
// clang-format on

}  // namespace

std::span<const category_rule> default_category_rules() noexcept { return rules; }

void rule_set::add(const category_rule& rule) {
  auto keep = [&](std::string_view s, bool fold) -> std::string_view {
    if (s.empty()) return {};
    std::string& kept = text_.emplace_back();
    if (fold) detail::append_folded(kept, s);
    else kept = std::string(s);
    return kept;
  };
  category_rule r = rule;
  r.category = keep(rule.category, false);
  r.merchant = keep(rule.merchant, true);
  r.description = keep(rule.description, true);
  r.id = keep(rule.id, false);
  rules_.push_back(r);
}

void rule_set::add_defaults() {
  for (const category_rule& r : default_category_rules()) rules_.push_back(r);
}

}  // namespace bankflow

namespace bankflow::detail {

category_matcher::category_matcher(std::span<const category_rule> rules) : rules_(rules) {
  for (std::size_t i = 0; i < rules.size() && i < word_index::none; ++i) {
    const auto id = static_cast<std::uint16_t>(i);
    uses_merchants_ = uses_merchants_ || !rules[i].merchant.empty();
    if (!rules[i].description.empty()) by_description_.add(rules[i].description, id, false);
    else if (!rules[i].merchant.empty()) by_merchant_.add(rules[i].merchant, id, false);
    else
      for (unsigned k = 0; k < unconditional_.size(); ++k)
        if (rules[i].kinds == 0 || (rules[i].kinds & (std::uint32_t{1} << k)) != 0) unconditional_[k].push_back(id);
  }
  by_description_.finish();
  by_merchant_.finish();
  first_plain_.fill(word_index::none);
  first_pattern_.fill(word_index::none);
  for (std::size_t i = 0; i < rules.size() && i < word_index::none; ++i) {
    const category_rule& r = rules[i];
    const bool plain = r.description.empty() && r.merchant.empty();
    for (unsigned k = 0; k < first_plain_.size(); ++k) {
      if (r.kinds != 0 && (r.kinds & (std::uint32_t{1} << k)) == 0) continue;
      auto& first = plain && r.sign == amount_sign::any ? first_plain_[k] : first_pattern_[k];
      first = std::min(first, static_cast<std::uint16_t>(i));
    }
  }
}

bool category_matcher::applies(std::uint16_t id, transaction_kind kind, std::string_view merchant,
                               std::int64_t amount) const {
  const category_rule& r = rules_[id];
  if (r.kinds != 0 && (r.kinds & kind_bit(kind)) == 0) return false;
  if (r.sign == amount_sign::credit && amount <= 0) return false;
  if (r.sign == amount_sign::debit && amount >= 0) return false;
  // a rule with both patterns is indexed by its description: check its merchant too
  if (!r.description.empty() && !r.merchant.empty() && find_words(merchant, r.merchant) == std::string_view::npos)
    return false;
  return true;
}

category_match category_matcher::match(transaction_kind kind, std::string_view merchant,
                                       const folded_text& description, std::int64_t amount) const {
  const auto k = static_cast<std::size_t>(kind);
  if (first_plain_[k] < first_pattern_[k]) return {rules_[first_plain_[k]].category, first_plain_[k]};
  auto accept = [&](std::uint16_t id) { return applies(id, kind, merchant, amount); };
  // the first rule without a pattern that applies bounds the text searches
  std::uint16_t best = word_index::none;
  for (std::uint16_t id : unconditional_[k]) {
    if (accept(id)) {
      best = id;
      break;
    }
  }
  best = std::min(best, by_description_.best(description, accept, best));
  best = std::min(best, by_merchant_.best(merchant, accept, best));
  if (best == word_index::none) return {};
  return {rules_[best].category, best};
}

}  // namespace bankflow::detail

namespace bankflow {

category_match match_category(std::span<const category_rule> rules, transaction_kind kind, std::string_view merchant,
                              std::string_view description, std::int64_t amount) {
  detail::folded_text m, d;
  m.assign(merchant);
  d.assign(description);
  return detail::category_matcher(rules).match(kind, m.view(), d, amount);
}

}  // namespace bankflow
