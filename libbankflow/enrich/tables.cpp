// The data behind enrichment (see tables.hpp). Patterns are folded: upper case, no accents; they
// match whole words. Order is priority: the first rule that matches decides.

#include "enrich/tables.hpp"

#include <array>

namespace bankflow::detail {

namespace {

using k = transaction_kind;
constexpr amount_sign in = amount_sign::credit;
constexpr amount_sign out = amount_sign::debit;
constexpr amount_sign any = amount_sign::any;
constexpr where start = where::at_start;

// Itaú (FORMATS.md §3.1): 24-character mnemonics.
constexpr kind_rule itau[] = {
    {"SISPAG SALARIO", k::salary},     {"SISPAG SALARIOS", k::salary},
    {"SISPAG 13 SALARIO", k::salary},  {"PGTO SALARIO", k::salary},
    {"PGTO SALARIOS", k::salary},
    {"SISPAG TRIBUTOS", k::tax},       {"SISPAG", k::ted, any, start},
    {"SISDEB", k::direct_debit, any, start},
    {"RSHOP", k::debit_card, any, start}, {"PAY", k::debit_card, out, start},
    {"INT PAG TIT", k::boleto},        {"PAG TIT", k::boleto},
    {"BOLETO PAGO", k::boleto},        {"INT TED", k::ted, any, start},
    {"TBI", k::tef, any, start},       {"TRANSF", k::tef, any, start},
    {"REND PAGO APLIC", k::yield},     {"DEV PIX", k::refund, any, start},
    {"RES APLIC", k::redemption},
    {"CARTAO PERSONNALITE", k::card_payment}, {"ITAU BLACK", k::card_payment, out},
    {"ITAU UNIBANCO CARTAO", k::card_payment, out}, {"ITAU UNICLASS", k::card_payment, out},
    {"CIELO", k::deposit, in, start},  {"REDE", k::deposit, in, start},
    {"SFPAY", k::deposit, in, start},  {"DEP DINHEIRO", k::deposit},
};

// Bradesco (§3.2).
constexpr kind_rule bradesco[] = {
    {"PAGTO ELETRON COBRANCA", k::boleto}, {"RENTAB", k::yield, any, start},
    {"RESGATE INV", k::redemption},       {"APLIC INVEST", k::investment},
    {"APLIC.INVEST", k::investment},
    {"TED-TRANSF ELET", k::ted},          {"TRANSF CC PARA CC", k::tef},
    {"TRANSF.MMA", k::tef},               {"GASTOS CARTAO DE CREDITO", k::card_payment},
    {"PAGTO FUNCIONARIOS", k::salary},    {"COBRANCA PREST", k::boleto, in},
    {"REC NUMERARIO", k::deposit},        {"DEP ETV", k::deposit},
    {"VISA ELECTRON", k::debit_card, out},
};

// Banco do Brasil (§3.4): `Pix - Enviado`, `BB Rende Fácil`, `Transferência recebida - dd/mm …`.
constexpr kind_rule bb[] = {
    {"BB RENDE FACIL", k::investment, out}, {"BB RENDE FACIL", k::redemption, in},
    {"COBERTURA CHEQUE ESPECIAL", k::loan},  {"CIELO VENDAS", k::deposit, in},
    {"DEBITO SERVICO COBRANCA", k::fee},     {"COBRANCA", k::boleto, in, start},
    {"ESTORNO DE DEBITO", k::refund},        {"TRANSFERENCIA ON LINE", k::tef},
    {"TRANSFERENCIA AGENDADA", k::tef},      {"DESBLOQUEIO DE DEPOSITO", k::deposit},
};

// Caixa (§3.5): `CRED PIX`, `ENVIO TEV`, `CP MAESTRO` …
constexpr kind_rule caixa[] = {
    {"ENVIO TEV", k::tef},           {"CRED TEV", k::tef},           {"CP", k::debit_card, out, start},
    {"DP DIN", k::deposit},          {"CRED JUROS", k::yield, in},   {"COB COMPE", k::boleto, in},
    {"SAFR", k::deposit, in, start}, {"VISA ELECTRON CC", k::deposit, in},
    {"MASTERCARD CC", k::deposit, in}, {"ELO CC", k::deposit, in},
    {"DEB TAR", k::fee},             {"DEB CESTA", k::fee},          {"PAG FONE", k::boleto},
    {"PAG AGUA", k::boleto},         {"PAG LUZ", k::boleto},         {"TEV", k::tef, any, start},
    {"PAG CARTAO", k::card_payment},
};

// Santander (§3.3).
constexpr kind_rule santander[] = {
    {"PAGAMENTO CARTAO DE DEBITO", k::deposit, in}, {"PAGAMENTO CARTAO DE CREDITO", k::deposit, in},
    {"TRANSFERENCIA ENTRE CONTAS", k::tef},         {"REMUNERACAO CONTAMAX", k::yield},
    {"CR COB", k::boleto, in, start},
    {"DEBITO VISA ELECTRON", k::debit_card},
};

// Inter (§3.7).
constexpr kind_rule inter[] = {
    {"CASHBACK", k::refund, in, start},
};

// Mercado Pago: money moved to and from its "reservas" (savings pots).
constexpr kind_rule mercadopago[] = {
    {"RESERVA", k::investment, out, start},     {"DINHEIRO RESERVADO", k::investment, out, start},
    {"DINHEIRO RETIRADO", k::redemption, in, start}, {"PAGAMENTO DE ASSINATURA", k::direct_debit},
    {"PAGAMENTO DE CONTAS", k::boleto},   {"SAIDA DE DINHEIRO", k::withdrawal, out, start},
    {"DINHEIRO DE VOLTA", k::refund, in, start}, {"MERCADO CREDITO", k::loan},
};

// Sicoob / Sicredi: `DEB.CONV.` convênio debits, `LIQUIDACAO BOLETO`.
constexpr kind_rule sicoob[] = {
    {"DEB.CONV", k::direct_debit, any, start},
};

constexpr std::array<bank_kind_table, 8> banks{{
    {"itau", itau},         {"bradesco", bradesco},   {"bb", bb},
    {"caixa", caixa},       {"santander", santander}, {"inter", inter},
    {"mercadopago", mercadopago}, {"sicoob", sicoob},
}};

// Every bank's extrato. Fees, taxes and interest come before transfers because their texts name
// the transfer they are charged for (`Tar DOC/TED`, `Tarifa Pix`).
constexpr kind_rule account[] = {
    {"ESTORNO", k::refund},              {"DEVOLUCAO", k::refund},
    {"DEVOLVIDO", k::refund},            {"DEVOLVIDA", k::refund},
    {"REEMBOLSO", k::refund},
    {"DEV PIX", k::refund, any, start},  {"CREDITO POR CANCELAMENTO", k::refund},
    {"TARIFA", k::fee},                  {"TAR", k::fee, any, start},
    {"ANUIDADE", k::fee},                {"CESTA", k::fee},
    {"PACOTE DE SERVICOS", k::fee},      {"PACOTE SERVICOS", k::fee},
    {"MENSALIDADE PACOTE", k::fee},
    {"IOF", k::tax},                     {"I.O.F", k::tax},
    {"CRED.JUROS", k::yield, in},        {"JUROS POUPANCA", k::yield, in},
    {"CREDITO DE JUROS", k::yield, in},
    {"IR", k::tax, any, start},          {"IRRF", k::tax},
    {"DARF", k::tax},                    {"IMPOSTO", k::tax},
    {"IMPOSTOS", k::tax},                {"TRIBUTOS", k::tax, any, start},
    {"JUROS", k::yield, in},  // an account's `Juros` credit is what it earned
    {"JUROS", k::interest},              {"ENCARGOS", k::interest},
    {"MULTA", k::interest},              {"MORA", k::interest},
    {"PAGAMENTO DE FATURA", k::card_payment}, {"PAGAMENTO DA FATURA", k::card_payment},
    {"PAGAMENTO FATURA", k::card_payment},    {"PAGTO FATURA", k::card_payment},
    {"PGTO FATURA", k::card_payment},         {"FATURA CARTAO", k::card_payment},
    {"PAGTO CARTAO", k::card_payment},        {"PAG CARTAO", k::card_payment},
    {"PAGAMENTO CARTAO DE CREDITO", k::card_payment}, {"PAGAMENTO CARTAO CREDITO", k::card_payment},
    {"PAGTO CARTAO CREDITO", k::card_payment}, {"FAT.CARTAO", k::card_payment},
    {"FAT CARTAO", k::card_payment},          {"DEB.CARTAO CREDITO", k::card_payment},
    {"DEB CARTAO CREDITO", k::card_payment},
    {"REMUNERACAO APLIC", k::yield},     {"REMUNERACAO APLICACAO", k::yield},
    {"CONTA REMUNERADA", k::yield},
    // a savings account's credits (poupança): `Remuneração Básica`, `Juros Poupança`
    {"REMUNERACAO BASICA", k::yield},    {"REMUNERACAO ADICIONAL", k::yield},
    {"REMUNERACAO POUPANCA", k::yield},
    // a cooperative's interest on its members' quota capital (Sicoob, Sicredi, Unicred)
    {"REMUNERACAO CAPITAL", k::yield},   {"REMUNERACAO DE CAPITAL", k::yield},
    {"JUROS AO CAPITAL", k::yield},      {"JUROS SOBRE CAPITAL", k::yield},
    // a loan's payment names the loan product (BB `Pagamento de Empréstimo - BB Crédito Salário`)
    {"PAGAMENTO DE EMPRESTIMO", k::loan}, {"PAGTO EMPRESTIMO", k::loan},
    {"CRED PESS", k::loan},              {"PREST FINANC", k::loan},
    {"PRESTACAO HAB", k::loan},          {"PREST HAB", k::loan},
    {"DINHEIRO GUARDADO", k::investment, out},
    {"FATURA PAGA", k::card_payment},    {"PAGAMENTO DE CARTAO DE CREDITO", k::card_payment},
    {"CASHBACK", k::refund, in},         {"RESGATADO", k::redemption, in},
    {"INTEGR.CAPITAL", k::investment},   {"INTEGRALIZACAO DE CAPITAL", k::investment},
    {"CAPITAL SUBSCRITO", k::investment},
    {"DAS MEI", k::tax},                 {"DAS SIMPLES", k::tax},
    {"DEB.CTA.FATURA", k::card_payment}, {"TIT.COMPE", k::boleto},
    {"PAGAMENTO DAS", k::tax, out, start}, {"PAGTO DAS", k::tax, out, start},
    // an investment move that names the transfer it came by (`RESGATE AUTOMATICO CDB P/ PIX`,
    // `APLIC.INVEST FACIL APOS TED RECEBIDA`): the memo starts with what it is
    {"REM.APLIC", k::yield},             {"REM APLIC", k::yield},
    {"APLICACAO", k::investment, any, start}, {"APLIC", k::investment, any, start},
    {"APL", k::investment, out, start},  {"RESGATE", k::redemption, any, start},
    {"RESG", k::redemption, any, start},
    // a PIX is a PIX even when its memo says what for (C6: `Pix recebido de X - SALARIO`)
    {"PIX", k::pix},
    {"SALARIO", k::salary},              {"SALARIOS", k::salary},
    {"FOLHA", k::salary},                {"PROVENTOS", k::salary},
    {"INSS", k::salary, in},  // a benefit paid in
    {"PRO-LABORE", k::salary, in},       {"PROLABORE", k::salary, in},
    {"TRANSF ELETRON", k::ted},          {"TRANSF.ELETR", k::ted},
    {"REMUNERACAO", k::salary, in},      {"PAGTO SALARIO", k::salary},
    // a card acquirer's settlement of the client's sales
    {"CIELO", k::deposit, in},           {"STONE", k::deposit, in},
    {"GETNET", k::deposit, in},          {"PAGSEGURO", k::deposit, in},
    {"VENDAS", k::deposit, in},          {"LIBERACAO DE DINHEIRO", k::deposit, in},
    {"GPS", k::tax, out},
    {"TED", k::ted},
    {"DOC", k::doc},
    // a bill paid by direct debit names the bill too (`CONTA DE LUZ ENEL DEB AUT`)
    {"DEBITO AUTOMATICO", k::direct_debit}, {"DEB AUTOMATICO", k::direct_debit},
    {"DEBITO AUTORIZADO", k::direct_debit}, {"DEB AUTORIZADO", k::direct_debit},
    {"DEB AUTORIZ", k::direct_debit},    {"DEB AUTOR", k::direct_debit},
    {"DEB AUTOM", k::direct_debit},      {"DEB.AUTOM", k::direct_debit},
    {"DEBITO AUTOM", k::direct_debit},   {"DEBITO AUT", k::direct_debit},
    {"DEB AUT", k::direct_debit},        {"DEB.CONV", k::direct_debit, any, start},
    {"DEB CONV", k::direct_debit, any, start}, {"DEB. CONV", k::direct_debit, any, start},
    {"DA", k::direct_debit, out, start},
    // money paid in by a boleto is a deposit (Nubank `Depósito Recebido por Boleto`)
    {"DEPOSITO", k::deposit, in, start},
    {"BOLETO", k::boleto},
    // a tax paid through a convênio is a tax; paid by a boleto that says so, a boleto
    {"IPVA", k::tax},                    {"IPTU", k::tax},               {"PAGAMENTO DE TITULO", k::boleto},
    {"PAGAMENTO DE TITULOS", k::boleto}, {"PAGTO TITULO", k::boleto},
    {"PAGAMENTO TITULOS", k::boleto},    {"DEBITO CONVENIOS", k::direct_debit},
    {"TITULO", k::boleto},               {"PAG TIT", k::boleto},
    {"PAGTO ELETRON COBRANCA", k::boleto}, {"PAGTO COBRANCA", k::boleto},
    {"CONVENIO", k::boleto},
    {"LIQUIDACAO BOLETO", k::boleto},    {"CONTA DE LUZ", k::boleto},
    {"CONTA LUZ", k::boleto},            {"CONTA DE AGUA", k::boleto},
    {"CONTA TELEFONE", k::boleto},       {"CONTA DE TELEFONE", k::boleto},
    {"PAGTO ENERGIA", k::boleto},        {"PAGTO AGUA", k::boleto},
    {"PAGAMENTO DE CONTA", k::boleto},   {"PAGAMENTO DE CONTAS", k::boleto},
    {"COMPRA NO DEBITO", k::debit_card}, {"COMPRA COM CARTAO", k::debit_card},
    {"COMPRA CARTAO DEBITO", k::debit_card}, {"COMPRA CARTAO", k::debit_card},
    {"COMPRA DEBITO", k::debit_card},    {"COMPRA DEB", k::debit_card},
    {"COMPRA ELO", k::debit_card},       {"COMPRA MAESTRO", k::debit_card},
    {"COMPRA VISA", k::debit_card},      {"COMPRAS NACIONAIS", k::debit_card},
    {"COMPRA NACIONAL", k::debit_card},  {"VISA ELECTRON", k::debit_card, out},
    {"MAESTRO", k::debit_card, out},     {"CARTAO DE DEBITO", k::debit_card, out},
    {"RENDIMENTO", k::yield},            {"RENDIMENTOS", k::yield},
    {"REND", k::yield, any, start},      {"RENTABILIDADE", k::yield},
    {"RESGATE", k::redemption},         {"RESG", k::redemption, any, start},
    {"APLICACAO", k::investment},        {"APLIC", k::investment},
    {"EMPRESTIMO", k::loan},             {"FINANCIAMENTO", k::loan},
    {"FINANC", k::loan},
    {"CREDITO PESSOAL", k::loan},        {"CHEQUE ESPECIAL", k::loan, in},
    {"CONSIGNADO", k::loan},             {"EMPREST", k::loan},
    {"AMORTIZACAO", k::loan},
    {"SAQUE", k::withdrawal},            {"SAQ", k::withdrawal, out, start},
    {"RETIRADA", k::withdrawal, out},    {"TX", k::fee, out, start},
    {"TESOURO", k::investment, out},     {"INVEST", k::investment, out},
    {"CDB", k::investment, out},         {"CDB", k::redemption, in},
    {"DEPOSITO", k::deposit},            {"DEP", k::deposit, any, start},
    {"TRANSFERENCIA", k::tef},           {"TRANSF", k::tef},
};

// Card bills: the bill's own charges and credits; every other row is a purchase.
constexpr kind_rule card[] = {
    {"IOF", k::tax},                      {"ESTORNO", k::refund},
    {"DEVOLUCAO", k::refund},             {"CREDITO DE ESTORNO", k::refund},
    {"CREDITO POR CANCELAMENTO", k::refund}, {"DEPOSITO DE CONFIANCA", k::refund},
    {"CREDITO DE CONFIANCA", k::refund},  {"PAG BOLETO", k::card_payment, any, start},
    {"PAGAMENTO", k::card_payment, any, start}, {"PAGTO", k::card_payment, any, start},
    {"PGTO", k::card_payment, any, start}, {"INCLUSAO DE PAGAMENTO", k::card_payment},
    {"JUROS", k::interest},               {"ENCARGOS", k::interest},
    {"MULTA", k::interest},               {"MORA", k::interest},
    {"ROTATIVO", k::loan},                {"ENCERRAMENTO DE DIVIDA", k::loan},
    {"ANUIDADE", k::fee},                 {"TARIFA", k::fee},
    {"MENSALIDADE CARTAO", k::fee},       {"SEGURO", k::fee, any, start},
    {"PROTECAO OURO", k::fee, any, start}, {"VAR CAMBIAL", k::fee},
    // the bill's balance paid in instalments is credit the bank gives
    {"PARCELAMENTO DE FATURA", k::loan},  {"PARCELAMENTO DA FATURA", k::loan},
    {"PARCELAMENTO FATURA", k::loan},     {"CASHBACK", k::refund, in},
    {"CANCELAMENTO", k::refund, in},      {"COMPRA CANCELADA", k::refund},
    // a cash advance on the card is credit, and its emergency-limit check a fee
    {"SAQUE", k::loan},                   {"AVAL EMERG", k::fee},
    {"AVALIACAO EMERG", k::fee},          {"AVALIACAO EMERGENCIAL", k::fee},
    // the bill paid by direct debit, as the bill's credit line says it
    {"DEB AUTOM", k::card_payment, in},   {"DEBITO AUTOMATICO", k::card_payment, in},
};

constexpr party_rule parties[] = {
    {"", "TRANSFERENCIA ENVIADA PELO PIX", party_style::nubank},
    {"", "TRANSFERENCIA RECEBIDA PELO PIX", party_style::nubank},
    {"", "REEMBOLSO RECEBIDO PELO PIX", party_style::nubank},
    {"nubank", "TRANSFERENCIA ENVIADA", party_style::nubank},
    {"nubank", "TRANSFERENCIA RECEBIDA", party_style::nubank},
    {"inter", "PIX ENVIADO", party_style::inter},
    {"inter", "PIX RECEBIDO", party_style::inter},
    {"inter", "TRANSFERENCIA ENVIADA", party_style::inter},
    {"inter", "PIX DEVOLVIDO", party_style::inter},
    {"inter", "TRANSFERENCIA RECEBIDA", party_style::inter},
    {"itau", "TED", party_style::bank_branch},
    {"itau", "DOC", party_style::bank_branch},
    {"itau", "INT TED", party_style::bank_branch},
    {"itau", "TBI", party_style::branch_account},
    {"itau", "TRANSF", party_style::branch_account},
    {"itau", "PIX TRANSF", party_style::plain},
    {"itau", "PIX QRS", party_style::plain},
    {"itau", "DEV PIX", party_style::plain},
    {"itau", "SISPAG", party_style::plain, amount_sign::credit},
    {"bb", "TRANSFERENCIA RECEBIDA", party_style::branch_account},
    {"bb", "TRANSFERENCIA ENVIADA", party_style::branch_account},
    {"bb", "TED TRANSF.ELETR.DISPONIV", party_style::plain},
    {"bb", "PIX - ENVIADO", party_style::plain},
    {"bb", "PIX - RECEBIDO", party_style::plain},
    {"bradesco", "TRANSFERENCIA PIX REM:", party_style::plain},
    {"bradesco", "TRANSFERENCIA PIX DES:", party_style::plain},
    {"bradesco", "PIX QR CODE DINAMICO DES:", party_style::plain},
    {"bradesco", "PIX QR CODE ESTATICO DES:", party_style::plain},
    {"bradesco", "TED-TRANSF ELET DISPON REMET.", party_style::plain},
    {"bradesco", "TED DIF.TITUL.CC H.BANK DEST.", party_style::plain},
    {"bradesco", "DOC ELETRONICO DEST.", party_style::plain},
    {"bradesco", "TRANSF CC PARA CC PJ", party_style::plain},
    {"bradesco", "TRANSF CC PARA CC", party_style::plain},
    {"bradesco", "TRANSF.MMA.TITULARIDADE*", party_style::plain},
    {"c6", "PIX ENVIADO PARA", party_style::plain_semicolons},
    {"c6", "PIX RECEBIDO DE", party_style::plain_semicolons},
    {"caixa", "CRED PIX", party_style::plain},
    {"caixa", "DEB PIX", party_style::plain},
    {"caixa", "ENVIO PIX", party_style::plain},
    {"sicoob", "PIX RECEBIDO - OUTRA IF - RECEBIMENTO PIX", party_style::plain},
    {"sicoob", "PIX RECEBIDO - OUTRA IF -", party_style::plain},
    {"sicoob", "PIX EMITIDO OUTRA IF - PAGAMENTO PIX", party_style::plain},
    {"sicoob", "PIX EMITIDO OUTRA IF -", party_style::plain},
    {"sicoob", "PIX EMIT.OUTRA IF -", party_style::plain},
    {"sicoob", "CRED.TED-STR -", party_style::plain},
    {"sicoob", "TRANSF.ENTRE CONTAS - COOPERADO", party_style::plain},
    {"sicoob", "PIX ENVIADO - OUTRA IF -", party_style::plain},
    {"sicredi", "RECEBIMENTO PIX-PIX_CRED", party_style::plain},
    {"sicredi", "PAGAMENTO PIX-PIX_DEB", party_style::plain},
    {"sicredi", "RECEBIMENTO PIX", party_style::plain},
    {"sicredi", "PAGAMENTO PIX", party_style::plain},
    {"mercadopago", "TRANSFERENCIA PIX RECEBIDA", party_style::plain},
    {"mercadopago", "TRANSFERENCIA PIX ENVIADA", party_style::plain},
    {"", "PIX ENVIADO", party_style::plain},
    {"", "PIX RECEBIDO", party_style::plain},
    {"", "TED RECEBIDA", party_style::plain},
    {"", "TED ENVIADA", party_style::plain},
    {"", "TED RECEBIDO", party_style::plain},
    {"", "TED ENVIADO", party_style::plain},
    {"", "DOC RECEBIDO", party_style::plain},
    {"", "DOC ENVIADO", party_style::plain},
    {"", "TRANSFERENCIA ENVIADA", party_style::plain},
    {"", "TRANSFERENCIA RECEBIDA", party_style::plain},
    {"", "CRED PIX", party_style::plain},
    {"", "PIX DEVOLVIDO", party_style::plain},
    {"", "DEVOLUCAO PIX RECEBIDO", party_style::plain},
    {"", "DEVOLUCAO PIX ENVIADO", party_style::plain},
    {"", "DEVOLUCAO PIX", party_style::plain},
    {"", "DEVOLUCAO DE PIX", party_style::plain},
    {"", "ESTORNO DE PIX", party_style::plain},
    {"", "TED-CREDITO EM CONTA", party_style::plain},
    {"", "TED CREDITO EM CONTA", party_style::plain},
    {"", "DOC CREDITO EM CONTA", party_style::plain},
    {"", "DOC-CREDITO EM CONTA", party_style::plain},
    {"", "RECEBIMENTO TED", party_style::plain},
    {"", "TED TRANSF ELETR", party_style::plain},
    {"", "PIX_DEB", party_style::plain},
    {"", "PIX ENV", party_style::plain},
    {"", "PIX RECEB", party_style::plain},
    {"", "PIX EMITIDO", party_style::plain},
    {"", "TED DIFERENTE TITULARIDADE CIP", party_style::plain},
    {"", "CRED.PIX", party_style::plain},
    {"", "CRED DOC", party_style::plain},
    {"", "CRED.DOC - DOC CREDITO EM CONTA", party_style::plain},
    {"", "TRANSF ELETRON DISPONIVEL", party_style::plain},
    {"caixa", "CRED TEV", party_style::plain},
    {"caixa", "ENVIO TEV", party_style::plain},
    {"", "CRED.TED-STR", party_style::plain},
    {"", "DEB.TRANSF.CONTA", party_style::plain},
    {"", "ENVIO TED", party_style::plain},
    {"", "CRED TED", party_style::plain},
    {"", "PAGAMENTO COM QR PIX", party_style::plain},
    {"", "TRANSF RECEBIDA ENTRE CONTAS -", party_style::plain},
    {"", "TRANSF ENVIADA ENTRE CONTAS -", party_style::plain},
    {"", "TRANSFERENCIA PIX ENVIADA", party_style::plain},
    {"", "TRANSFERENCIA PIX RECEBIDA", party_style::plain},
    {"", "PIX_CRED", party_style::plain},
};

// COMPE codes of banks a memo names that bankflow does not read (known_banks() has the others).
struct code_pair {
  std::string_view key, value;
};
constexpr code_pair compe_names[] = {
    {"197", "Stone"},     {"212", "Banco Original"}, {"290", "PagSeguro"}, {"380", "PicPay"},
    {"403", "Cora"},      {"422", "Banco Safra"},    {"655", "Banco Votorantim"},
};

constexpr code_pair ispbs[] = {  // ISPB (8 digits) → COMPE
    {"00000000", "001"}, {"00360305", "104"}, {"00416968", "077"}, {"18236120", "260"},
    {"31872495", "336"}, {"60701190", "341"}, {"60746948", "237"}, {"90400888", "033"},
};

constexpr brand_alias brands[] = {
    {"MERCADOLIVRE", "Mercado Livre"}, {"MERCADO LIVRE", "Mercado Livre"},
    {"UBER EATS", "Uber Eats"},       {"UBER", "Uber"},
    {"IFOOD", "iFood"},               {"NETFLIX", "Netflix"},
    {"SPOTIFY", "Spotify"},           {"AMAZON PRIME", "Amazon Prime"},
    {"AMAZON", "Amazon"},             {"GOOGLE", "Google"},
    {"APPLE.COM", "Apple"},           {"APPLE STORE", "Apple"},
    {"99APP", "99"},                  {"99 POP", "99"},
    {"99 TAXI", "99"},                {"RAPPI", "Rappi"},
    {"SHOPEE", "Shopee"},             {"ALIEXPRESS", "AliExpress"},
    {"MAGAZINE LUIZA", "Magalu"},     {"MAGALU", "Magalu"},
    {"AMERICANAS", "Americanas"},     {"DROGASIL", "Drogasil"},
    {"DROGA RAIA", "Droga Raia"},     {"SHELL", "Shell"},
    {"IPIRANGA", "Ipiranga"},         {"CASAS BAHIA", "Casas Bahia"},
    {"STEAM", "Steam"},               {"STEAMGAMES", "Steam"},
    {"AIRBNB", "Airbnb"},             {"SHEIN", "Shein"},
    {"CARREFOUR", "Carrefour"},       {"PAO DE ACUCAR", "Pão de Açúcar"},
    {"LATAM", "LATAM"},               {"OPENAI", "OpenAI"},
    {"PAYPAL", "PayPal"},             {"DISNEY", "Disney+"},
    {"DROGARIA SAO PAULO", "Drogaria São Paulo"},
};

constexpr std::string_view prefixes[] = {
    "IFD*", "EBN*", "PAG*", "MP *", "MP*", "PG *", "MLP*", "ZP *", "DL *", "HTM*", "PAYPAL *",
    "EC *", "SUMUP *", "TON *", "PICPAY*", "PP*",
};

constexpr std::string_view lead_ins[] = {
    "COMPRA NO DEBITO VIA NUPAY -", "COMPRA NO DEBITO -", "COMPRA NO DEBITO:", "COMPRA NO DEBITO",
    "COMPRA COM CARTAO -", "COMPRA COM CARTAO", "VISA ELECTRON COMPRA:", "COMPRA CARTAO DEB MC",
    "COMPRA CARTAO DEB", "VISA ELECTRON", "COMPRA CARTAO DEBITO MC", "COMPRA CARTAO DEBITO -",
    "COMPRA CARTAO DEBITO", "COMPRA CARTAO -", "COMPRA CARTAO", "COMPRA DEBITO", "DEBITO VISA ELECTRON BRASIL", "RSHOP-", "PAY",
    "COMPRA ELO", "COMPRA MAESTRO", "CP MAESTRO", "CP ELO", "CP VISA", "CARTAO VISA ELECTRON",
    "COMPRAS NACIONAIS", "COMPRA NACIONAL", "COMPRA DEB.CARTAO", "COMPRA VISA",
};

constexpr std::string_view no_merchant[] = {"PIX CRED", "PIX PARCELADO", "PIX NO CREDITO", "SAQUE"};

constexpr std::string_view tails[] = {
    "SAO PAULO BR", "SAO PAULO BRA", "SAO PAULO", "RIO DE JANEIRO", "BELO HORIZONTE", "BELO HORIZONT",
    "PORTO ALEGRE", "CURITIBA", "FLORIANOPOLIS", "FLORIANOPOLI", "SALVADOR", "CAMPINAS", "JOINVILLE",
    "RECIFE", "FORTALEZA", "BRASILIA", "GOIANIA", "MANAUS", "BELEM", "VITORIA", "NATAL", "OSASCO",
    "SANTOS", "GUARULHOS", "NITEROI", "CONTAGEM", "BETIM", "BR", "BRA", "USA", "US",
};

}  // namespace

std::span<const bank_kind_table> bank_kind_tables() noexcept { return banks; }
std::span<const kind_rule> account_kind_rules() noexcept { return account; }
std::span<const kind_rule> card_kind_rules() noexcept { return card; }
std::span<const party_rule> party_rules() noexcept { return parties; }
std::span<const brand_alias> brand_aliases() noexcept { return brands; }
std::span<const std::string_view> merchant_prefixes() noexcept { return prefixes; }
std::span<const std::string_view> debit_card_lead_ins() noexcept { return lead_ins; }
std::span<const std::string_view> place_tails() noexcept { return tails; }
std::span<const std::string_view> merchantless_leads() noexcept { return no_merchant; }

std::string_view bank_name_by_compe(std::string_view compe) noexcept {
  if (const bank_info* b = find_bank_by_compe(compe)) return b->name;
  for (const auto& c : compe_names)
    if (c.key == compe) return c.value;
  return {};
}

std::string_view compe_by_ispb(std::string_view ispb) noexcept {
  for (const auto& c : ispbs)
    if (c.key == ispb) return c.value;
  return {};
}

}  // namespace bankflow::detail
