/* bankflow web app: /carteira, the wallet. The balance cards, deposits by PIX and withdrawals to
 * a PIX key (each under an Idempotency-Key made per action and reused on retry; the page follows
 * the operation until the provider confirms it), and the history with "carregar mais". */
(function () {
  'use strict';

  var api = window.bankflowApi;
  var fmt = window.bankflowFormat;
  var t = window.bankflowI18n.t;
  var POLL_MS = 1000;
  var PAGE = 20;

  window.bankflowI18n.add({
    title_wallet: 'My wallet — bankflow',
    wallet_title: 'My wallet',
    balance_title: 'Balance',
    balance_balance: 'Balance',
    balance_available: 'Available',
    balance_pending_in: 'Incoming',
    balance_pending_out: 'Outgoing',
    deposit_title: 'Deposit by PIX',
    deposit_amount_label: 'Amount (R$)',
    deposit_amount_hint: 'For example 50.00',
    deposit_submit: 'Create PIX',
    withdraw_title: 'Withdraw to a PIX key',
    withdraw_amount_label: 'Amount (R$)',
    withdraw_destination_label: 'PIX key',
    withdraw_destination_hint: 'CPF, e-mail, phone or random key',
    withdraw_submit: 'Withdraw',
    history_title: 'History',
    history_empty: 'No transactions yet.',
    col_operation: 'Operation',
    col_state: 'Status',
    col_amount: 'Amount'
  }, {
    op_in: { pt: 'Depósito PIX', en: 'PIX deposit' },
    op_out: { pt: 'Saque PIX', en: 'PIX withdrawal' },
    state_pending: { pt: 'Aguardando', en: 'Pending' },
    state_posted: { pt: 'Confirmado', en: 'Confirmed' },
    state_other: { pt: 'Não concluído', en: 'Not completed' },
    deposit_waiting: { pt: 'Depósito de {amount}: aguardando a confirmação do PIX…', en: 'Deposit of {amount}: waiting for the PIX confirmation…' },
    withdraw_waiting: { pt: 'Saque de {amount}: enviando ao banco…', en: 'Withdrawal of {amount}: sending to the bank…' },
    deposit_posted: { pt: 'Depósito de {amount} confirmado.', en: 'Deposit of {amount} confirmed.' },
    withdraw_posted: { pt: 'Saque de {amount} concluído.', en: 'Withdrawal of {amount} completed.' },
    op_failed: { pt: 'A operação de {amount} não foi concluída; o valor não saiu da carteira.', en: 'The operation of {amount} was not completed; the money stayed in the wallet.' },
    bad_amount: { pt: 'Digite um valor em reais, por exemplo 50,00.', en: 'Type an amount in reais, for example 50.00.' },
    no_destination: { pt: 'Digite a chave PIX de destino.', en: 'Type the destination PIX key.' }
  });

  var balance = null;
  var rows = [];
  var cursor = null;

  /** "1.234,56", "50,00", "50.00" or "50" → "1234.56" / "50.00"; null when not an amount. */
  function apiAmount(text) {
    var s = String(text).replace(/R\$|\s/g, '');
    if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, '');
    var m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(s);
    if (!m) return null;
    var cents = (m[2] || '') + '00';
    var value = m[1].replace(/^0+(?=\d)/, '') + '.' + cents.slice(0, 2);
    return /^0\.00$/.test(value) ? null : value;
  }

  function renderBalance() {
    var box = document.getElementById('balance');
    if (!balance) return;
    ['balance', 'available', 'pending_in', 'pending_out'].forEach(function (f) {
      var dd = box.querySelector('[data-field="' + f + '"]');
      dd.textContent = fmt.money(balance[f], balance.currency);
      dd.setAttribute('data-amount', balance[f]);
    });
    box.setAttribute('aria-busy', 'false');
  }

  function loadBalance() {
    return api.send('GET', '/wallet').then(function (res) {
      if (res.ok) { balance = res.data; renderBalance(); }
    });
  }

  /** One row per operation: the follow-up entries of a hold (its posting) show as its state. */
  function shown(tx) { return !tx.pending_id; }

  function stateText(state) {
    return t(state === 'pending' || state === 'posted' ? 'state_' + state : 'state_other');
  }

  function historyRow(tx) {
    var tr = api.el('tr');
    tr.setAttribute('data-id', tx.id);
    tr.setAttribute('data-state', tx.state);
    tr.setAttribute('data-direction', tx.direction);
    var when = api.el('td', 'date', fmt.dateTime(tx.created_at));
    var op = api.el('td', 'desc', t(tx.direction === 'in' ? 'op_in' : 'op_out'));
    if (tx.direction === 'out' && tx.reference) op.appendChild(api.el('span', 'sub', tx.reference));
    var state = api.el('td', null);
    state.appendChild(api.el('span', 'status status-' + (tx.state === 'posted' ? 'completed' : tx.state === 'pending' ? 'pending' : 'failed'), stateText(tx.state)));
    var amt = api.el('td', 'num amt ' + (tx.direction === 'in' ? 'pos' : 'neg'), fmt.money((tx.direction === 'in' ? '' : '-') + tx.amount));
    amt.setAttribute('data-amount', tx.amount);
    [when, op, state, amt].forEach(function (td) { tr.appendChild(td); });
    return tr;
  }

  function renderHistory() {
    api.fillTable('history', 'history-empty', rows.filter(shown), historyRow);
    document.getElementById('history-more').hidden = !cursor;
  }

  /** The first page again (reset) or the next one. */
  function loadHistory(reset) {
    var q = '/wallet/transactions?limit=' + PAGE + (!reset && cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    return api.send('GET', q).then(function (res) {
      if (!res.ok) return;
      rows = reset ? res.data.transactions : rows.concat(res.data.transactions);
      cursor = res.data.next_cursor || null;
      renderHistory();
    });
  }

  /** Refreshes until the operation `id` leaves "pending", then says how it ended. */
  function follow(id, kind, amount, status) {
    Promise.all([loadBalance(), loadHistory(true)]).then(function () {
      var tx = rows.filter(function (r) { return r.id === id; })[0];
      if (tx && tx.state === 'pending') { window.setTimeout(function () { follow(id, kind, amount, status); }, POLL_MS); return; }
      var text = tx && tx.state === 'posted' ? t(kind + '_posted', { amount: amount }) : t('op_failed', { amount: amount });
      status.textContent = text;
      status.setAttribute('data-state', tx ? tx.state : 'unknown');
      api.announce(text);
    });
  }

  /** Wires a money form: `body(form)` is the request (or a message key), POSTed to `path`. */
  function moneyForm(kind, path, body) {
    var form = document.getElementById(kind + '-form');
    var error = document.getElementById(kind + '-error');
    var status = document.getElementById(kind + '-status');
    var key = null;  // this action's Idempotency-Key, kept for a retry of the same request
    form.addEventListener('input', function () { key = null; });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var request = body(form);
      if (typeof request === 'string') { api.showMessage(error, t(request)); return; }
      key = key || api.uuid();
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      api.showMessage(error, '');
      api.send('POST', path, request, { 'Idempotency-Key': key }).then(function (res) {
        button.disabled = false;
        var retryable = res.status === 0 || res.status >= 500 || res.code === 'idempotency_in_progress';
        if (!retryable) key = null;
        if (!res.ok) { api.showMessage(error, api.errorText(res)); return; }
        form.reset();
        var amount = fmt.money(request.amount);
        var waiting = t(kind + '_waiting', { amount: amount });
        status.textContent = waiting + (res.data.instructions ? ' ' + res.data.instructions : '');
        status.setAttribute('data-state', 'pending');
        status.hidden = false;
        api.announce(waiting);
        follow(res.data.transaction.id, kind, amount, status);
      });
    });
  }

  moneyForm('deposit', '/wallet/deposits', function (form) {
    var amount = apiAmount(form.elements.amount.value);
    return amount ? { amount: amount } : 'bad_amount';
  });
  moneyForm('withdraw', '/wallet/withdrawals', function (form) {
    var amount = apiAmount(form.elements.amount.value);
    var destination = form.elements.destination.value.trim();
    if (!amount) return 'bad_amount';
    return destination ? { amount: amount, destination: destination } : 'no_destination';
  });
  document.getElementById('history-more').addEventListener('click', function () { loadHistory(false); });
  window.bankflowI18n.onChange(function () { renderBalance(); renderHistory(); });
  window.bankflowAccount.ready.then(function () { loadBalance(); loadHistory(true); });
})();
