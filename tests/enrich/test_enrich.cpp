// Enrichment: kinds, counterparties, instalments, merchants and categories from a row's text, the
// tricky cases one by one (the labelled set in test_labelled.cpp measures the whole).

#include <bankflow/bankflow.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace bankflow;

namespace {

row_enrichment row(std::string_view bank, std::string_view text, std::int64_t amount, bool card = false,
                   ofx_trntype trntype = ofx_trntype::none) {
  return enrich_row({.bank_id = bank, .format = card ? "csv" : "ofx", .card_bill = card,
                     .description = text, .amount = amount, .trntype = trntype});
}

// The row's counterparty; an empty one when it names none.
counterparty party(std::string_view bank, std::string_view text, std::int64_t amount) {
  const auto e = row(bank, text, amount);
  return e.counterparty ? *e.counterparty : counterparty{};
}

}  // namespace

TEST_CASE("kind ids round-trip and unknown ids are refused", "[enrich]") {
  for (unsigned i = 0; i <= static_cast<unsigned>(transaction_kind::direct_debit); ++i) {
    const auto k = static_cast<transaction_kind>(i);
    CHECK(parse_transaction_kind(to_string(k)) == k);
  }
  CHECK_FALSE(parse_transaction_kind("transfer").has_value());
  CHECK(to_string(kind_source::bank_table) == "bank_table");
  CHECK(parse_ofx_trntype(" directdebit ") == ofx_trntype::directdebit);
  CHECK(parse_ofx_trntype("NOPE") == ofx_trntype::none);
}

TEST_CASE("a specific OFX TRNTYPE decides; a vague one leaves it to the text", "[enrich]") {
  CHECK(row("bb", "SAQUE NO TAA", -4000, false, ofx_trntype::cash).kind == transaction_kind::withdrawal);
  CHECK(row("bb", "SAQUE NO TAA", -4000, false, ofx_trntype::cash).source == kind_source::ofx_trntype);
  CHECK(row("x", "JUROS", -100, false, ofx_trntype::int_).kind == transaction_kind::interest);
  CHECK(row("x", "REMUNERACAO", 100, false, ofx_trntype::int_).kind == transaction_kind::yield);
  const auto pix = row("inter", "Pix enviado: \"Cp :00000000-Maria\"", -100, false, ofx_trntype::payment);
  CHECK(pix.kind == transaction_kind::pix);
  CHECK(pix.source == kind_source::rule);
  CHECK(row("santander", "TED RECEBIDA 12.345.678/0001-90", 100, false, ofx_trntype::other).kind ==
        transaction_kind::ted);
}

TEST_CASE("bank mnemonics come before the generic rules", "[enrich]") {
  GIVEN("Itaú, Caixa and BB abbreviations") {
    CHECK(row("itau", "SISPAG SALARIO MAIO", 700000).kind == transaction_kind::salary);
    CHECK(row("itau", "SISPAG SALARIO MAIO", 700000).source == kind_source::bank_table);
    CHECK(row("itau", "RSHOP-PADARIA BOM-01/02", -1870).kind == transaction_kind::debit_card);
    CHECK(row("itau", "INT PAG TIT BANCO 237", -1870).kind == transaction_kind::boleto);
    CHECK(row("caixa", "ENVIO TEV", -1870).kind == transaction_kind::tef);
    CHECK(row("caixa", "CP MAESTRO", -1870).kind == transaction_kind::debit_card);
    CHECK(row("bb", "BB Rende Fácil - Rende Facil", -500000).kind == transaction_kind::investment);
    CHECK(row("bb", "BB Rende Fácil - Rende Facil", 312).kind == transaction_kind::redemption);
  }
  GIVEN("the same words at another bank") {
    CHECK(row("nubank", "ENVIO TEV", -1870).kind == transaction_kind::other);
    CHECK(row("nubank", "ENVIO TEV", -1870).source == kind_source::none);
  }
}

TEST_CASE("a fee names the transfer it is charged for and is still a fee", "[enrich]") {
  CHECK(row("bb", "Tar DOC/TED Eletrônico", -1045).kind == transaction_kind::fee);
  CHECK(row("santander", "Tarifa Pix", -150).kind == transaction_kind::fee);
  CHECK(row("bb", "Cobrança de I.O.F.", -143).kind == transaction_kind::tax);
  CHECK(row("x", "Crédito 13º Salário - EMPRESA", 421033).kind == transaction_kind::salary);
}

TEST_CASE("savings credits, abbreviated automatic debits and redemptions, payroll loans", "[enrich]") {
  // poupança: `Remuneração Básica` is the account's yield, not a salary
  CHECK(row("x", "REMUNERACAO BASICA", 1234).kind == transaction_kind::yield);
  CHECK(row("x", "Remuneração Adicional", 812).kind == transaction_kind::yield);
  CHECK(row("x", "CREDITO DE JUROS", 55).kind == transaction_kind::yield);
  CHECK(row("x", "REMUNERACAO", 700000).kind == transaction_kind::salary);  // an employer's still is
  CHECK(row("x", "DEB.AUTOM. SEGURO", -5990).kind == transaction_kind::direct_debit);
  CHECK(row("x", "DEB AUTOM CONTA GAS", -5990).kind == transaction_kind::direct_debit);
  CHECK(row("x", "RESG.AUT.INVEST FACIL", 10000).kind == transaction_kind::redemption);
  CHECK(row("x", "PARCELA CONSIGNADO", -43210).kind == transaction_kind::loan);
  CHECK(row("x", "FINANC IMOBILIARIO", -43210).kind == transaction_kind::loan);
  CHECK(row("bb", "Juros", 500).kind == transaction_kind::yield);  // earned
  CHECK(row("bb", "Juros", -500).kind == transaction_kind::interest);  // charged
  CHECK(row("caixa", "CRED INSS", 300000).kind == transaction_kind::salary);
  CHECK(row("itau", "RES APLIC AUT MAIS", 100000).kind == transaction_kind::redemption);
  CHECK(row("santander", "DEBITO AUT. FAT.CARTAO", -5000).kind == transaction_kind::card_payment);
  CHECK(row("santander", "DEBITO AUT. SEGURO", -5000).kind == transaction_kind::direct_debit);
  const auto back = row("nubank", "Reembolso recebido pelo Pix - ANA LIMA - •••.123.456-•• - NU PAGAMENTOS - IP "
                                  "(0260) Agência: 1 Conta: 2-3", 5000);
  CHECK(back.kind == transaction_kind::refund);
  REQUIRE(back.counterparty);
  CHECK(back.counterparty->name == "ANA LIMA");
  CHECK(row("santander", "COMPRA CARTAO DEBITO MC 17/06 PADARIA BOA", -3000).merchant == "PADARIA BOA");
  CHECK(row("bradesco", "CARTAO VISA ELECTRON LOJA X", -3000).merchant == "LOJA X");
  CHECK(row("bb", "POSTO PALHOCA PALHOCA", -7500, true).merchant == "POSTO PALHOCA");  // the city repeats
  CHECK(row("bb", "PALHOCA PALHOCA", -7500, true).merchant == "PALHOCA");
  CHECK(row("itau", "IFD*55.123.456 ANA MODELO", -3000, true).merchant == "ANA MODELO");
  CHECK(row("itau", "IFD*55123456", -3000, true).merchant.empty());  // no name: none
  CHECK(row("sicredi", "DEB.CONV.TELEFONIA VIVO", -2000).kind == transaction_kind::direct_debit);
  CHECK(row("caixa", "DEB AUT TIM", -2000).kind == transaction_kind::direct_debit);
  CHECK(row("bradesco", "PAGTO COBRANCA ENEL", -2000).kind == transaction_kind::boleto);
}

TEST_CASE("wordings of the held-out rows: bills paid by direct debit, deposits by boleto, quota capital", "[enrich]") {
  // a bill paid by direct debit names the bill too
  CHECK(row("bradesco", "CONTA DE LUZ ENEL SP DEB AUT", -2000).kind == transaction_kind::direct_debit);
  CHECK(row("x", "CONTA DE LUZ ENEL SP", -2000).kind == transaction_kind::boleto);
  CHECK(row("nubank", "Depósito Recebido por Boleto", 20000).kind == transaction_kind::deposit);
  CHECK(row("pan", "Pagamento de conta - SANEPAR", -9000).kind == transaction_kind::boleto);
  CHECK(row("sicoob", "CRED.REMUNERACAO CAPITAL", 1234).kind == transaction_kind::yield);
  CHECK(row("caixa", "SAQ LOTERICO", -5000).kind == transaction_kind::withdrawal);
  CHECK(row("sicredi", "AMORTIZACAO CONTRATO 12/36", -5000).kind == transaction_kind::loan);
  const auto shop = row("sicredi", "COMPRAS NACIONAIS MERCADO BELLA VISTA", -5000);
  CHECK(shop.kind == transaction_kind::debit_card);
  CHECK(shop.merchant == "MERCADO BELLA VISTA");
  CHECK(row("sicoob", "COMPRA DEB.CARTAO PADARIA ALEMA", -900).merchant == "PADARIA ALEMA");
  CHECK(row("caixa", "COMPRA ELO", -900).kind == transaction_kind::debit_card);
  CHECK(row("itau", "COMPRA CARTÃO DROGARIA S", -900).merchant == "DROGARIA S");
  CHECK(row("itau", "COMPRA CARTAO - PADARIA REAL", -900).merchant == "PADARIA REAL");
}

TEST_CASE("wordings of the second held-out rows: moves that name their transfer, codes after a '*'", "[enrich]") {
  CHECK(row("itau", "SISPAG PGTO SALARIOS", 500000).kind == transaction_kind::salary);
  CHECK(row("bradesco", "APLIC.INVEST FACIL APOS TED RECEBIDA", -5000).kind == transaction_kind::investment);
  CHECK(row("c6", "RESGATE AUTOMATICO CDB P/ PIX", 5000).kind == transaction_kind::redemption);
  CHECK(row("bb", "Apl.BB Fundos Exclusivos", -5000).kind == transaction_kind::investment);
  CHECK(row("sicredi", "REM.APLIC.FINANCEIRA", 12).kind == transaction_kind::yield);
  CHECK(row("sicredi", "DEB.CARTAO CREDITO MASTER", -90000).kind == transaction_kind::card_payment);
  CHECK(row("mercadopago", "Saída de dinheiro", -5000).kind == transaction_kind::withdrawal);
  CHECK(row("mercadopago", "Dinheiro de volta", 500).kind == transaction_kind::refund);
  CHECK(row("pix", "PIX ENVIADO JOAO", -5000).kind == transaction_kind::pix);  // not a move of money invested
  CHECK(row("nubank", "Dropbox*7Hq2K", -5000, true).merchant == "Dropbox");
  CHECK(row("pan", "Netshoes*Pedido3321 Parcela 1/4", -5000, true).merchant == "Netshoes");
  CHECK(row("inter", "Adobe *Creative Clou", -5000, true).merchant == "Adobe *Creative Clou");
  CHECK(row("nubank", "Pix no Crédito - Parcela 2/3", -5000, true).merchant.empty());
  const auto bb = party("bb", "TED Transf.Eletr.Disponiv - 237 0512 0034512 RAFAEL B COSTA", 100);
  CHECK(bb.name == "RAFAEL B COSTA");
  CHECK(bb.branch == "0512");
  CHECK(bb.account == "0034512");
  const auto doc = party("sicredi", "DOC RECEBIDO 104 ***.222.555-** ELIANE F ROSA", 100);
  CHECK(doc.name == "ELIANE F ROSA");
  CHECK(doc.document == "***.222.555-**");
  CHECK(doc.bank.compe == "104");
  CHECK(party("bradesco", "TED DIF.TITUL.CC H.BANK DEST. JULIANA PEREIRA", -100).name == "JULIANA PEREIRA");
  CHECK(party("inter", "Pix devolvido: \"Cp :90400888-Ricardo Lemos\"", 100).name == "Ricardo Lemos");
  CHECK(party("itau", "TBI 0457.22190-3LUCIANA", -100).name == "LUCIANA");
  CHECK(party("itau", "TBI 1234.56789-0POUPANCA", -100).name.empty());  // to the client's own savings
  const auto bb_branch = party("bb", "Transferência enviada 18/03 2231 RAMOS E VIEIRA COMERCIO LTDA", -100);
  CHECK(bb_branch.name == "RAMOS E VIEIRA COMERCIO LTDA");
  CHECK(bb_branch.branch == "2231");
  CHECK(party("sicoob", "PIX RECEBIDO - OUTRA IF Recebimento Pix Comercial Alvorada Ltda", 100).name ==
        "Comercial Alvorada Ltda");
  CHECK(party("sicoob", "PIX EMITIDO - OUTRA IF Pagamento Pix Silvana Rocha", -100).name == "Silvana Rocha");
  CHECK(party("sicoob", "DÉB.TRANSF.CONTA Transferencia Marcia Leal", -100).name == "Marcia Leal");
  CHECK(row("sicredi", "DEB.CTA.FATURA", -100).kind == transaction_kind::card_payment);
  CHECK(row("sicoob", "DÉB.TIT.COMPE EFETIVADO", -100).kind == transaction_kind::boleto);
  CHECK(row("mercadopago", "Pagamentos pendentes do Mercado Crédito", -100).kind == transaction_kind::loan);
}

TEST_CASE("wordings of the fifth held-out rows: acquirers' settlements, taxes by convênio, investments", "[enrich]") {
  CHECK(row("santander", "CIELO - CREDITO VENDAS ELO", 100).kind == transaction_kind::deposit);
  CHECK(row("sicoob", "CRÉD.VENDAS - PAGSEGURO LIQUIDACAO", 100).kind == transaction_kind::deposit);
  CHECK(row("mercadopago", "Liberação de dinheiro venda Point Mini", 100).kind == transaction_kind::deposit);
  CHECK(row("inter", "Crédito: \"Pró-labore Vidraçaria Lume Ltda\"", 100).kind == transaction_kind::salary);
  CHECK(row("sicoob", "DÉB.CONVÊNIO - IPVA SC 2026", -100).kind == transaction_kind::tax);
  CHECK(row("bb", "Pagamento de Boleto - DETRAN - IPVA 2025", -100).kind == transaction_kind::boleto);  // says so
  CHECK(row("caixa", "PAG GPS INSS", -100).kind == transaction_kind::tax);
  CHECK(row("btg", "Compra Tesouro IPCA+ 2035", -100).kind == transaction_kind::investment);
  CHECK(row("btg", "Vencimento CDB BANCO AURORA", 100).kind == transaction_kind::redemption);
  CHECK(row("sicoob", "DÉB.RETIRADA - RETIRADA EM DINHEIRO NO CAIXA", -100).kind == transaction_kind::withdrawal);
  CHECK(row("sicredi", "LIB FINANC CREDITO RURAL", 100).kind == transaction_kind::loan);
  CHECK(row("c6", "TX EMISSAO 2A VIA CARTAO", -100).kind == transaction_kind::fee);
  CHECK(row("santander", "CANCELAMENTO DE COMPRA LOJA ESTRELA GUIA", 100, true).kind == transaction_kind::refund);
  CHECK(row("btg", "TED DEVOLVIDA - CONTA INEXISTENTE ANA", 100).kind == transaction_kind::refund);
  CHECK(party("c6", "Pix devolvido por Arlindo Faccio", 100).name == "Arlindo Faccio");
  CHECK(party("santander", "DOC ENVIADO AGENDADO LAERCIO MONTEIRO JR", -100).name == "LAERCIO MONTEIRO JR");
  CHECK(party("caixa", "CRED TEV ROSALVO PINHO", 100).name == "ROSALVO PINHO");
}

TEST_CASE("a card bill's own charges and credits (sixth held-out rows)", "[enrich]") {
  auto bill = [](std::string_view bank, std::string_view text, std::int64_t amount) { return row(bank, text, amount, true); };
  CHECK(bill("itau", "AVAL EMERG CREDITO", -100).kind == transaction_kind::fee);
  CHECK(bill("pan", "Avaliação emergencial de crédito", -100).kind == transaction_kind::fee);
  CHECK(bill("bradesco", "SAQUE NO CREDITO BANCO24HORAS", -100).kind == transaction_kind::loan);
  CHECK(bill("bradesco", "SAQUE NO CREDITO BANCO24HORAS", -100).merchant.empty());
  CHECK(bill("caixa", "CRED COMPRA CANCELADA", 100).kind == transaction_kind::refund);
  CHECK(bill("santander", "DEB AUTOM DE FATURA EM C/C", 100).kind == transaction_kind::card_payment);
  const auto plan = bill("bradesco", "JUROS PARCELAMENTO FATURA 1/6", -100);
  CHECK(plan.kind == transaction_kind::interest);
  REQUIRE(plan.installment);
  CHECK(plan.installment->count == 6);
  CHECK_FALSE(bill("x", "ENCARGOS ROTATIVO 05/25", -100).installment);  // no plan: a month
  CHECK(party("bradesco", "TED DIFERENTE TITULARIDADE CIP ROBERTO A NETO", 100).name == "ROBERTO A NETO");
}

TEST_CASE("a realistic month (seventh held-out rows)", "[enrich]") {
  CHECK(row("itau", "ITAU UNICLASS VS 4411-2299", -100).kind == transaction_kind::card_payment);
  CHECK(row("caixa", "PAG AGUA CAGECE", -100).kind == transaction_kind::boleto);
  CHECK(row("caixa", "PRESTACAO HAB", -100).kind == transaction_kind::loan);
  CHECK(row("caixa", "TEV MESMA TIT", -100).kind == transaction_kind::tef);
  CHECK(row("nubank", "Dinheiro guardado na Caixinha Viagem", -100).kind == transaction_kind::investment);
  CHECK(row("sicoob", "DÉB. CONV. ENERGIA COPEL", -100).kind == transaction_kind::direct_debit);
  CHECK(row("sicredi", "LIQUIDACAO BOLETO COOPERATIVA HABITACIONAL", -100).kind == transaction_kind::boleto);
  const auto ted = party("santander", "TED DIFERENTE TITULARIDADE CIP 111.222.333-44", 100);
  CHECK(ted.name.empty());
  CHECK(ted.document == "111.222.333-44");
}

TEST_CASE("instalments on any row that marks them, loans anywhere, never a month after VAL or VENC", "[enrich]") {
  auto inst = [](std::string_view bank, std::string_view text, std::int64_t amount, bool card = false) {
    const auto i = row(bank, text, amount, card).installment;
    return i ? std::to_string(i->number) + "/" + std::to_string(i->count) : std::string();
  };
  CHECK(inst("itau", "PAGTO BOLETO MENSALIDADE PARCELA 2/3", -100) == "2/3");       // a boleto
  CHECK(inst("bradesco", "ESTORNO DECATHLON PARC 02/04", 100, true) == "2/4");       // a refund
  CHECK(inst("sicoob", "DEB AUT SEGURO AUTO PARC 04/10", -100) == "4/10");           // a direct debit
  CHECK(inst("bb", "Pagamento de Empréstimo - BB Crédito Salário Parc 05/24", -100) == "5/24");
  CHECK(inst("neon", "Compra parcelada 2/5 - LOJAS VITORIA", -100) == "2/5");
  CHECK(inst("sicoob", "DROGARIA CATARINENSE 3 DE 10", -100, true) == "3/10");
  CHECK(inst("bradesco", "PARC CRED PESS 06/18 CONTR 4455123", -100) == "6/18");
  CHECK(inst("santander", "CREDITO PESSOAL 3/12 CONTR 998877", -100) == "3/12");
  CHECK(inst("nubank", "Parcelamento de Fatura - Parcela 3/8", -100, true) == "3/8");
  CHECK(inst("itau", "PARCELAMENTO FATURA 04/10", -100, true) == "4/10");
  CHECK(row("itau", "PARCELAMENTO FATURA 04/10", -100, true).kind == transaction_kind::loan);
  CHECK(inst("xp", "LIVRARIA CULTURA PARC03/10", -100, true) == "3/10");
  CHECK(row("xp", "LIVRARIA CULTURA PARC03/10", -100, true).merchant == "LIVRARIA CULTURA");
  CHECK(row("neon", "Compra parcelada 1/3 - ELETRO MINAS", -100, true).merchant == "ELETRO MINAS");
  CHECK(inst("caixa", "DEB PREST FINANC HABITACIONAL 118/360", -100) == "118/360");  // a mortgage
  CHECK(inst("inter", "Pagamento efetuado: \"Parcela Financiamento Imobiliario 12/240\"", -100) == "12/240");
  CHECK(inst("x", "LOJA EXEMPLO 118/360", -100, true).empty());  // a bill's purchases stop at 99
  SECTION("months and dates") {
    CHECK(inst("itau", "TARIFA 2A VIA CARTAO VAL 12/31", -100, true).empty());
    CHECK(inst("x", "EMPRESTIMO VENC 10/25", -100).empty());
    CHECK(inst("x", "FINANCIAMENTO REF 05/25 CONTR 123", -100).empty());
    CHECK(inst("x", "PIX ENVIADO ANA 2/3", -100).empty());    // a transfer's numbers are not marked
    CHECK(inst("x", "LOJA 3 DE 10", -100).empty());           // an extrato's purchase: no bare mark
  }
}

TEST_CASE("a loan's row ends in its instalment", "[enrich]") {
  const auto loan = row("itau", "PARC EMPREST 03/24", -50000);
  CHECK(loan.kind == transaction_kind::loan);
  REQUIRE(loan.installment);
  CHECK(loan.installment->number == 3);
  CHECK(loan.installment->count == 24);
  CHECK(row("bradesco", "PARCELA CREDITO PESSOAL 05/24", -50000).installment->count == 24);
  CHECK_FALSE(row("x", "EMPRESTIMO 2024", -50000).installment);
  CHECK_FALSE(row("x", "PIX ENVIADO ANA 01/08", -50000).installment);  // a transfer's date, not a loan
}

TEST_CASE("counterparties after a joining word, a bank code and branch, or an ISPB further on", "[enrich]") {
  auto name = [](std::string_view bank, std::string_view text, std::int64_t amount) {
    return std::string(party(bank, text, amount).name);
  };
  CHECK(name("pan", "Pix enviado para Fernanda G Tavares", -100) == "Fernanda G Tavares");
  CHECK(name("c6", "TED recebida de VIACAO SERRANA LTDA", 100) == "VIACAO SERRANA LTDA");
  CHECK(name("bradesco", "TRANSF CC PARA CC PF RENATA M QUEIROZ", -100) == "RENATA M QUEIROZ");
  const auto ted = row("bb", "TED-Crédito em Conta 237 0412 ANDRÉ LUIZ PEIXOTO", 100);
  REQUIRE(ted.counterparty);
  CHECK(ted.counterparty->name == "ANDRÉ LUIZ PEIXOTO");
  CHECK(ted.counterparty->bank.compe == "237");
  CHECK(ted.counterparty->branch == "0412");
  CHECK(name("unicred", "TED ENVIADA 237 ODONTO SUPRIMENTOS SA", -100) == "ODONTO SUPRIMENTOS SA");
  CHECK(name("x", "TED ENVIADA 999 ODONTO", -100) == "999 ODONTO");  // no bank has that code
  CHECK(name("inter", "Transferencia recebida: \"TED Recebida Cp :00341-LUCAS A MELO\"", 100) == "LUCAS A MELO");
  CHECK(name("bb", "Estorno de Pix - 02/09 14:05 Debora Q Lins", 100) == "Debora Q Lins");
  CHECK(name("c6", "Devolução Pix recebido de Carla Mendes", 100) == "Carla Mendes");
  CHECK(name("sicoob", "PIX RECEBIDO - OUTRA IF", 100).empty());
  CHECK(name("c6", "Estorno Pix - DEVOLUCAO PIX", 100).empty());
}

TEST_CASE("a bank's wording that does not read leaves the memo to the next one", "[enrich]") {
  // Itaú's own `TED 237.4471NAME` does not read `TED RECEBIDA …`; the generic wording does, and
  // the bank and branch before the name are kept as such
  const auto ted = row("itau", "TED RECEBIDA 033.1234 EMPRESA X", 5000);
  REQUIRE(ted.counterparty);
  CHECK(ted.counterparty->name == "EMPRESA X");
  CHECK(ted.counterparty->bank.compe == "033");
  CHECK(ted.counterparty->branch == "1234");
  // BB's branch-and-account wording without them: the name alone
  const auto bb = row("bb", "Transferência recebida - FULANO DE TAL", 5000);
  REQUIRE(bb.counterparty);
  CHECK(bb.counterparty->name == "FULANO DE TAL");
  const auto itau = row("itau", "TED 237.4471MARIA C LIMA", -5000);
  REQUIRE(itau.counterparty);
  CHECK(itau.counterparty->name == "MARIA C LIMA");
  CHECK(itau.counterparty->bank.compe == "237");
}

TEST_CASE("card bills: purchases, payments, IOF, charges and refunds", "[enrich]") {
  CHECK(row("itau", "LOJA EXEMPLO 04/10", -25699, true).kind == transaction_kind::card_purchase);
  CHECK(row("nubank", "Pagamento em 08 ABR", 95012, true).kind == transaction_kind::card_payment);
  CHECK(row("nubank", "IOF de \"Zoom.Com\"", -332, true).kind == transaction_kind::tax);
  CHECK(row("c6", "Juros de Mora", -1230, true).kind == transaction_kind::interest);
  CHECK(row("bradesco", "ESTORNO SPOTIFY BRASIL", 2190, true).kind == transaction_kind::refund);
  CHECK(row("inter", "PIX CRED PARCELADO (Parcela 02 de 02)", -13404, true).kind == transaction_kind::card_purchase);
}

TEST_CASE("counterparties from each bank's transfer memo", "[enrich]") {
  SECTION("Nubank: name, masked document, bank by code, branch and account") {
    const auto r = row("nubank",
                       "Transferência enviada pelo Pix - ANA BEATRIZ ROCHA - •••.987.654-•• - PICPAY (0380) "
                       "Agência: 1 Conta: 9876543-2",
                       -3500);
    REQUIRE(r.counterparty);
    CHECK(r.counterparty->name == "ANA BEATRIZ ROCHA");
    CHECK(r.counterparty->document == "•••.987.654-••");
    CHECK(r.counterparty->bank.compe == "380");
    CHECK(r.counterparty->bank.name == "PicPay");
    CHECK(r.counterparty->branch == "1");
    CHECK(r.counterparty->account == "9876543-2");
  }
  SECTION("Nubank: a bank name with parentheses of its own") {
    const auto r = row("nubank",
                       "Transferência recebida - JOAO C PEREIRA - •••.321.654-•• - BCO SANTANDER (BRASIL) S.A. "
                       "(0033) Agência: 1234 Conta: 1000234-5",
                       150000);
    REQUIRE(r.counterparty);
    CHECK(r.counterparty->bank.compe == "033");
    CHECK(r.kind == transaction_kind::ted);  // another bank: not a transfer inside Nubank
  }
  SECTION("Inter: the ISPB names the bank, quotes inside the name stay") {
    const auto r = row("inter", "Pix enviado: \"Cp :18236120-Mercado \"Bom Preco\" Ltda\"", -25630);
    REQUIRE(r.counterparty);
    CHECK(r.counterparty->name == "Mercado \"Bom Preco\" Ltda");
    CHECK(r.counterparty->bank.compe == "260");
  }
  SECTION("Itaú: a name cut by the bank and glued to a date is not the date") {
    const auto r = row("itau", "PIX TRANSF ANA LÚC16/06", 30000);
    REQUIRE(r.counterparty);
    CHECK(r.counterparty->name == "ANA LÚC");
    const auto ted = row("itau", "TED 237.4471MARIA C LIMA", 250000);
    REQUIRE(ted.counterparty);
    CHECK(ted.counterparty->name == "MARIA C LIMA");
    CHECK(ted.counterparty->bank.compe == "237");
    CHECK(ted.counterparty->branch == "4471");
  }
  SECTION("BB: date, time and a document before the name") {
    const auto r = row("bb", "Pix - Recebido - 02/12 07:58 00098765432 FERNANDA C RIBEIRO", 1);
    REQUIRE(r.counterparty);
    CHECK(r.counterparty->name == "FERNANDA C RIBEIRO");
    CHECK(r.counterparty->document == "00098765432");
    const auto t = row("bb", "Transferência recebida - 20/05 2201 12345-6 PAULO C MENDES", 250000);
    REQUIRE(t.counterparty);
    CHECK(t.counterparty->branch == "2201");
    CHECK(t.counterparty->account == "12345-6");
    CHECK(t.counterparty->name == "PAULO C MENDES");
  }
  SECTION("Bradesco's trailing date and Santander's reference after a semicolon") {
    CHECK(row("bradesco", "TRANSFERENCIA PIX REM: JOÃO ANTÔNIO PEREIRA, 01/04", 1).counterparty->name ==
          "JOÃO ANTÔNIO PEREIRA");
    CHECK(row("santander", "Pix Enviado Escola Crescer; Mensalidade", -1).counterparty->name == "Escola Crescer");
  }
  SECTION("a memo with a document and no name, and one with neither") {
    const auto r = row("santander", "PIX RECEBIDO 52.769.684/0001-81", 1);
    REQUIRE(r.counterparty);
    CHECK(r.counterparty->name.empty());
    CHECK(r.counterparty->document == "52.769.684/0001-81");
    CHECK_FALSE(row("itau", "PIX ENVIADO", -1000).counterparty);
  }
}

TEST_CASE("instalments, never a date", "[enrich]") {
  auto inst = [](std::string_view text, bool card = true) { return row("x", text, -100, card).installment; };
  REQUIRE(inst("MAGAZINE LUIZA PARC 02/10 SALVADOR"));
  CHECK(inst("MAGAZINE LUIZA PARC 02/10 SALVADOR")->number == 2);
  CHECK(inst("MAGAZINE LUIZA PARC 02/10 SALVADOR")->count == 10);
  CHECK(inst("Drogaria Exemplo Parcela 02 De 02")->count == 2);
  CHECK(inst("DELL (4/12)")->number == 4);
  CHECK(inst("NOTEBOOK LOJA EXEMP10/10")->number == 10);
  CHECK(inst("LATAM AIRLINES Parc. 3/5")->count == 5);
  SECTION("dates and numbers that look like instalments") {
    CHECK_FALSE(inst("PADARIA REF 12/2024"));
    CHECK_FALSE(inst("PADARIA 31/12"));             // 31 of 12 is no instalment
    CHECK_FALSE(inst("PROTECAO OURO MAI/2010"));
    CHECK_FALSE(inst("COMPRA 01/12/2024"));
    CHECK_FALSE(inst("LOJA 0/3"));
    CHECK_FALSE(inst("LOJA 1/100"));
    CHECK_FALSE(inst("Compra com Cartão - 08/12 16:33 LIVRARIA", false));  // an extrato's date
    CHECK_FALSE(inst("RSHOP-PADARIA BOM-01/02", false));
  }
}

TEST_CASE("merchants: acquirer marks, instalments, places and card numbers dropped", "[enrich]") {
  auto merchant = [](std::string_view bank, std::string_view text, bool card = true) {
    return std::string(row(bank, text, -100, card).merchant);
  };
  CHECK(merchant("bradesco", "IFD*RESTAURANTE DONA FLOR") == "RESTAURANTE DONA FLOR");
  CHECK(merchant("itau", "IFOOD *IFOOD") == "iFood");
  CHECK(merchant("itau", "MERCADOLIVRE*2PROD04/10") == "Mercado Livre");
  CHECK(merchant("inter", "DROGARIA ARAUJO Belo Horizont BRA") == "DROGARIA ARAUJO");
  CHECK(merchant("inter", "Mp *rtcarimport (Parcela 1/3)") == "rtcarimport");
  CHECK(merchant("c6", "DROGA RAIA 1234") == "Droga Raia");
  CHECK(merchant("nubank", "Rappi - NuPay") == "Rappi");
  CHECK(merchant("nubank", "Compra no débito via NuPay - iFood", false) == "iFood");
  CHECK(merchant("bb", "Compra com Cartão - 08/12 16:33 LIVRARIA CULTURA", false) == "LIVRARIA CULTURA");
  CHECK(merchant("itau", "RSHOP-AÇOUGUE SÃO-05/07", false) == "AÇOUGUE SÃO");
  CHECK(merchant("bb", "NETFLIX.COM LOS GATOS 20,00 DOLAR AMERICANO") == "Netflix");
  SECTION("no merchant on rows that are not purchases") {
    CHECK(merchant("itau", "PIX QRS PADARIA PÃO05/06", false).empty());
    CHECK(merchant("bradesco", "ANUIDADE DIFERENCIADA 07/12").empty());
    CHECK(merchant("caixa", "CP MAESTRO", false).empty());
  }
}

TEST_CASE("categories: first match wins, and says which rule", "[enrich]") {
  CHECK(row("bradesco", "UBER *TRIP HELP.UBER.COM", -2347, true).category.category == "Transporte");
  CHECK(row("bradesco", "MERCADOLIVRE*MERCADOLIVRE", -4129, true).category.category == "Compras");
  CHECK(row("bb", "Crédito Salário - EMPRESA ALFA LTDA", 428055).category.category == "Salário e renda");
  CHECK(row("bb", "STEAM PURCHASE BELLEVUE 19,99 DOLAR AMERICANO", -5375, true).category.category == "Lazer");
  SECTION("a user's rules go first; patterns are folded") {
    rule_set mine;
    mine.add({.category = "Pets", .description = "pet shop", .id = "mine: pets"});
    mine.add({.category = "Aluguel recebido", .kinds = kind_bit(transaction_kind::pix),
              .sign = amount_sign::credit, .id = "mine: rent"});
    mine.add_defaults();
    const auto pets = enrich_row({.bank_id = "itau", .card_bill = true, .description = "PET SHOP MODELO",
                                  .amount = -13520}, &mine);
    CHECK(pets.category.category == "Pets");
    CHECK(pets.category.rule == 0);
    const auto rent = enrich_row({.bank_id = "itau", .description = "PIX RECEBIDO FULANO", .amount = 90000}, &mine);
    CHECK(rent.category.category == "Aluguel recebido");
    const auto sent = enrich_row({.bank_id = "itau", .description = "PIX ENVIADO FULANO", .amount = -90000}, &mine);
    CHECK(sent.category.category == "Transferências");
    CHECK(sent.category.rule > 1);
  }
  SECTION("no rules, no category") {
    const rule_set none;
    CHECK(enrich_row({.bank_id = "itau", .description = "IOF", .amount = -1}, &none).category.category.empty());
  }
}

TEST_CASE("parse() enriches; the option turns it off", "[enrich]") {
  const std::string csv =
      "Data,Valor,Identificador,Descrição\n"
      "01/05/2026,-100.00,a1,Transferência enviada pelo Pix - RAFAEL M DIAS - •••.123.456-•• - NU PAGAMENTOS - IP "
      "(0260) Agência: 1 Conta: 1234567-8\n"
      "02/05/2026,-39.90,a2,Compra no débito - SPOTIFY\n";
  auto st = parse(csv);
  REQUIRE(st);
  REQUIRE(st->transactions.size() == 2);
  CHECK(st->enriched);
  CHECK(st->transactions[0].kind == transaction_kind::pix);
  REQUIRE(st->counterparty_of(st->transactions[0]));
  CHECK(st->counterparty_of(st->transactions[0])->name == "RAFAEL M DIAS");
  CHECK_FALSE(st->counterparty_of(st->transactions[1]));
  CHECK_FALSE(st->foreign_of(st->transactions[0]));
  CHECK(st->details_of(st->transactions[1])->merchant == "Spotify");
  SECTION("a clone keeps its own copies") {
    statement copy = st->clone();
    st = parse("x");  // the original is gone
    CHECK(copy.counterparty_of(copy.transactions[0])->name == "RAFAEL M DIAS");
    CHECK(copy.transactions[1].category == "Serviços e assinaturas");
  }
  SECTION("off") {
    parse_options o;
    o.enrich = false;
    auto plain = parse(csv, o);
    REQUIRE(plain);
    CHECK_FALSE(plain->enriched);
    CHECK(plain->transactions[0].kind == transaction_kind::other);
    CHECK(plain->details.empty());
  }
}

TEST_CASE("an IOF row that names its purchase is linked to it", "[enrich]") {
  statement st;
  st.bank = find_bank("nubank");
  st.accounts.emplace_back().kind = account_kind::credit_card;
  for (std::string_view d : {"Zoom.Com 888-799-9666", "Uber", "IOF de \"Zoom.Com 888-799-9666\""}) {
    transaction& t = st.transactions.emplace_back();
    t.description = st.keep(d);
    t.amount = -100;
  }
  enrich(st);
  const row_details* d = st.details_of(st.transactions[2]);
  REQUIRE(d);
  const foreign_amount* f = st.foreign_of(st.transactions[2]);
  REQUIRE(f);
  CHECK(f->iof_of == std::size_t{0});
  CHECK(f->currency.empty());
}

TEST_CASE("a row's counterparty and foreign amount live beside its details", "[enrich]") {
  statement st;
  transaction& t = st.transactions.emplace_back();
  CHECK(st.details_of(t) == nullptr);
  CHECK(st.counterparty_of(t) == nullptr);
  st.foreign_for(t).currency = "USD";
  REQUIRE(st.details_of(t));
  CHECK(st.details_of(t)->foreign == 1);
  CHECK(st.counterparty_of(t) == nullptr);
  st.counterparty_for(t).name = "ANA";
  st.counterparty_for(t).document = "123";  // the same one, not a second
  REQUIRE(st.counterparties.size() == 1);
  CHECK(st.counterparty_of(t)->name == "ANA");
  CHECK(st.counterparty_of(t)->document == "123");
  CHECK(st.foreign_of(t)->currency == "USD");
  SECTION("enrich() again keeps the parser's foreign amount and drops what it no longer finds") {
    st.transactions[0].description = "XYZ";
    enrich(st);
    CHECK(st.counterparty_of(st.transactions[0]) == nullptr);
    REQUIRE(st.foreign_of(st.transactions[0]));
    CHECK(st.foreign_of(st.transactions[0])->currency == "USD");
  }
}
