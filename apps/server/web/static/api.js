/* bankflow web app: the account pages' shared plumbing. Every call goes through send(), which
 * keeps the session's CSRF token (a new one arrives with sign-up and login), sends it on every
 * write and turns an answer into {ok, status, data, code, retryAfter}. Also: a few DOM helpers,
 * the polite live region and the plain-language text of the API's error codes. Loaded after
 * i18n.js, before the page's own script. */
(function () {
  'use strict';

  var API = '/api/v1';
  var t = window.bankflowI18n.t;
  var csrf = null;

  window.bankflowI18n.add({}, {
    err_already_exists: { pt: 'Este e-mail já está cadastrado. Entre com a sua senha.', en: 'This e-mail is already registered. Log in with your password.' },
    err_weak_password: { pt: 'Senha fraca: use pelo menos 10 caracteres e evite senhas comuns.', en: 'Weak password: use at least 10 characters and avoid common passwords.' },
    err_invalid_credentials: { pt: 'E-mail ou senha incorretos.', en: 'Wrong e-mail or password.' },
    err_rate_limited_wait: { pt: 'Muitas tentativas — tente em {n} s.', en: 'Too many attempts — try again in {n} s.' },
    err_rate_limited: { pt: 'Muitas tentativas — tente mais tarde.', en: 'Too many attempts — try again later.' },
    err_insufficient_funds: { pt: 'Saldo insuficiente para este saque.', en: 'Insufficient balance for this withdrawal.' },
    err_over_operation_limit: { pt: 'O valor passa do limite por operação.', en: 'The amount is over the per-operation limit.' },
    err_daily_limit_reached: { pt: 'Limite diário atingido: tente de novo amanhã ou com um valor menor.', en: 'Daily limit reached: try again tomorrow or with a smaller amount.' },
    err_login_required: { pt: 'Entre na sua conta para continuar.', en: 'Log in to your account to continue.' },
    err_permission_denied: { pt: 'Sem permissão: esta área é só para operadores.', en: 'No permission: this area is for operators only.' },
    err_csrf_invalid: { pt: 'Sua sessão foi renovada. Recarregue a página e tente de novo.', en: 'Your session was renewed. Reload the page and try again.' },
    err_invalid_argument: { pt: 'Confira os dados: {message}.', en: 'Check the details: {message}.' },
    err_not_found: { pt: 'Não encontrado.', en: 'Not found.' },
    err_wallet_not_empty: { pt: 'Sua carteira ainda tem saldo ou operações pendentes: saque todo o dinheiro antes de excluir a conta.', en: 'Your wallet still holds money or pending operations: withdraw it all before deleting the account.' },
    confirm_cancel: { pt: 'Cancelar', en: 'Cancel' },
    err_network: { pt: 'Sem conexão com o servidor. Confira a sua internet e tente de novo.', en: 'No connection to the server. Check your internet connection and try again.' },
    err_server: { pt: 'Algo deu errado do nosso lado. Tente de novo em alguns minutos.', en: 'Something went wrong on our side. Try again in a few minutes.' }
  });

  /** Calls the API: `body` (an object) is sent as JSON; writes carry the CSRF token. */
  function send(method, path, body, headers) {
    var h = { Accept: 'application/json' };
    if (method !== 'GET' && csrf) h['X-CSRF-Token'] = csrf;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    var init = { method: method, headers: h, credentials: 'same-origin' };
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetch(API + path, init).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (data) {
        if (data && data.csrf_token) csrf = data.csrf_token;
        var err = data && data.error;
        return {
          ok: r.ok, status: r.status, data: data,
          code: err ? err.code : (r.ok ? null : 'server'), message: err ? err.message : '',
          retryAfter: parseInt(r.headers.get('Retry-After') || '', 10) || 0
        };
      });
    }, function () {
      return { ok: false, status: 0, data: null, code: 'network', message: '', retryAfter: 0 };
    });
  }

  /** GET /session: the CSRF token and the logged-in user (null for a visitor). */
  function session() {
    return send('GET', '/session').then(function (res) { return res.ok ? res.data : { user: null }; });
  }

  /** The plain-language text of a failed answer. */
  function errorText(res) {
    if (res.code === 'rate_limited') return res.retryAfter ? t('err_rate_limited_wait', { n: res.retryAfter }) : t('err_rate_limited');
    if (res.code === 'invalid_argument') return t('err_invalid_argument', { message: res.message });
    var key = 'err_' + res.code;
    return t(key) !== key ? t(key) : t('err_server');
  }

  /** A random UUID (v4) for an Idempotency-Key, also outside secure contexts. */
  function uuid() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x < 16 ? '0' : '') + x.toString(16); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  /** A small ghost button for a table row's action: `text` on it, `label` for screen readers
   * (which row it acts on), onClick on a click. */
  function smallButton(text, label, onClick) {
    var b = el('button', 'btn btn-ghost btn-small', text);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.addEventListener('click', onClick);
    return b;
  }

  /** Says `text` in the page's polite live region (#live). */
  function announce(text) {
    var live = document.getElementById('live');
    if (!live) return;
    live.textContent = '';
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  /** Shows (or, with an empty text, hides) a form's message box. */
  function showMessage(box, text) {
    box.textContent = text || '';
    box.hidden = !text;
  }

  /** Fills table #id with row(item) for each item; with none, the table hides and #emptyId shows. */
  function fillTable(id, emptyId, items, row) {
    var body = document.querySelector('#' + id + ' tbody');
    body.textContent = '';
    items.forEach(function (item) { body.appendChild(row(item)); });
    document.getElementById(emptyId).hidden = items.length > 0;
    document.getElementById(id).hidden = items.length === 0;
  }

  var confirmCount = 0;

  /** The confirmation step of a destructive action: `trigger` makes way for `question` with a
   * `yesText` button and "Cancelar". Yes runs action(), a promise of send()'s answer; a failed
   * answer is shown in the box (role=alert), a good one is the caller's to show. Cancel puts the
   * trigger back and focuses it. */
  function confirmStep(trigger, question, yesText, action) {
    var id = 'confirm-' + (++confirmCount);
    var box = el('div', 'confirm-box');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-labelledby', id);
    box.tabIndex = -1;
    var q = el('p', 'confirm-question', question);
    q.id = id;
    var error = el('p', 'form-error');
    error.setAttribute('role', 'alert');
    error.hidden = true;
    var yes = el('button', 'btn btn-danger btn-small', yesText);
    var no = el('button', 'btn btn-ghost btn-small', t('confirm_cancel'));
    yes.type = no.type = 'button';
    var buttons = el('div', 'field-row');
    buttons.appendChild(yes);
    buttons.appendChild(no);
    [q, error, buttons].forEach(function (c) { box.appendChild(c); });
    no.addEventListener('click', function () {
      box.parentNode.removeChild(box);
      trigger.hidden = false;
      trigger.focus();
    });
    yes.addEventListener('click', function () {
      yes.disabled = true;
      showMessage(error, '');
      action().then(function (res) {
        if (res.ok) return;
        yes.disabled = false;
        showMessage(error, errorText(res));
      });
    });
    trigger.hidden = true;
    trigger.parentNode.insertBefore(box, trigger.nextSibling);
    box.focus();
    return box;
  }

  window.bankflowApi = {
    send: send, session: session, errorText: errorText, uuid: uuid, el: el, smallButton: smallButton, announce: announce,
    showMessage: showMessage, fillTable: fillTable, confirmStep: confirmStep
  };
})();
