/* bankflow web app: /conta, the account itself. Change the password (the other sessions end),
 * list the login sessions and end one or all, download everything the account holds (GET
 * /auth/export) and delete the account after a confirmation step (refused while the wallet
 * holds money). */
(function () {
  'use strict';

  var api = window.bankflowApi;
  var fmt = window.bankflowFormat;
  var t = window.bankflowI18n.t;

  window.bankflowI18n.add({
    title_account: 'My account — bankflow',
    account_title: 'My account',
    account_lead: 'Your password, the devices you logged in from and your data: download everything we keep or delete the account.',
    erased_title: 'Your account was deleted',
    erased_text: 'We erased your data, statements and keys, and ended every session. The wallet’s accounting entries are kept without your name, as the law requires.',
    erased_home: 'Go to the home page',
    password_title: 'Change password',
    password_current_label: 'Current password',
    password_new_label: 'New password',
    password_new_hint: 'At least 10 characters; avoid common passwords.',
    password_confirm_label: 'Confirm the new password',
    password_submit: 'Change password',
    sessions_title: 'Active sessions',
    sessions_lead: 'Every browser you logged in to the account from. End the ones you do not recognise.',
    sessions_empty: 'No active session.',
    col_session: 'Session',
    col_started: 'Started',
    col_last_seen: 'Last activity',
    col_expires: 'Expires',
    col_actions: 'Actions',
    export_title: 'Your data',
    export_lead: 'One JSON file with everything the account holds: profile, API keys (without their secrets), statements and results, wallet history and the audit log about you.',
    export_link: 'Download my data',
    erase_title: 'Delete my account',
    erase_lead: 'Erases your profile, your statements and your API keys, and ends every session. Only possible with an empty wallet: withdraw the balance first.',
    erase_start: 'Delete my account'
  }, {
    password_mismatch: { pt: 'A confirmação não é igual à nova senha.', en: 'The confirmation does not match the new password.' },
    password_missing: { pt: 'Preencha a senha atual e a nova senha.', en: 'Fill in the current and the new password.' },
    password_wrong_current: { pt: 'A senha atual está incorreta.', en: 'The current password is wrong.' },
    password_changed: { pt: 'Senha alterada. As outras sessões foram encerradas: entre de novo nos outros aparelhos com a nova senha.', en: 'Password changed. The other sessions were ended: log in again on the other devices with the new password.' },
    session_this: { pt: 'Esta sessão', en: 'This session' },
    session_other: { pt: 'Outro navegador', en: 'Another browser' },
    session_from: { pt: 'de {address}', en: 'from {address}' },
    session_end: { pt: 'Encerrar', en: 'End' },
    session_end_label: { pt: 'Encerrar a sessão iniciada em {when}', en: 'End the session started on {when}' },
    session_ended_live: { pt: 'Sessão encerrada.', en: 'Session ended.' },
    erase_question: { pt: 'Excluir a conta {email} para sempre? Isso não pode ser desfeito.', en: 'Delete the account {email} for good? This cannot be undone.' },
    erase_yes: { pt: 'Sim, excluir minha conta', en: 'Yes, delete my account' }
  });

  var user = null;
  var sessions = [];

  // ---- password ------------------------------------------------------------------------------

  /** What is wrong with the form before asking the server, or ''. */
  function passwordProblem(form) {
    if (!form.elements.current.value || !form.elements.replacement.value) return t('password_missing');
    if (form.elements.replacement.value !== form.elements.confirm.value) return t('password_mismatch');
    return '';
  }

  function changePassword(form) {
    var error = document.getElementById('password-error');
    var done = document.getElementById('password-done');
    api.showMessage(done, '');
    var problem = passwordProblem(form);
    api.showMessage(error, problem);
    if (problem) return;
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    var body = { current_password: form.elements.current.value, new_password: form.elements.replacement.value };
    api.send('POST', '/auth/password', body).then(function (res) {
      button.disabled = false;
      if (!res.ok) {
        api.showMessage(error, res.code === 'invalid_credentials' ? t('password_wrong_current') : api.errorText(res));
        return;
      }
      form.reset();
      api.showMessage(done, t('password_changed'));
      loadSessions();
    });
  }

  // ---- sessions ------------------------------------------------------------------------------

  function endSession(session) {
    api.send('DELETE', '/auth/sessions/' + encodeURIComponent(session.id)).then(function (res) {
      if (!res.ok) { api.showMessage(document.getElementById('sessions-error'), api.errorText(res)); return; }
      api.announce(t('session_ended_live'));
      loadSessions();
    });
  }

  // "Chrome · Linux" from a User-Agent; the text itself (shortened) when it names no known browser.
  function deviceName(userAgent) {
    if (!userAgent) return '';
    var browsers = [['Edg/', 'Edge'], ['OPR/', 'Opera'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'],
      ['Safari/', 'Safari'], ['curl/', 'curl']];
    var systems = [['Android', 'Android'], ['iPhone', 'iPhone'], ['iPad', 'iPad'], ['Windows', 'Windows'],
      ['Mac OS', 'macOS'], ['CrOS', 'ChromeOS'], ['Linux', 'Linux']];
    function first(list) {
      for (var i = 0; i < list.length; i++) if (userAgent.indexOf(list[i][0]) !== -1) return list[i][1];
      return '';
    }
    var browser = first(browsers), system = first(systems);
    if (!browser && !system) return userAgent.length > 40 ? userAgent.slice(0, 40) + '…' : userAgent;
    return [browser, system].filter(Boolean).join(' · ');
  }

  function sessionRow(session) {
    var tr = api.el('tr');
    tr.setAttribute('data-session-id', session.id);
    if (session.current) tr.setAttribute('data-current', '');
    var who = api.el('td');
    who.appendChild(session.current ? api.el('span', 'badge badge-ok', t('session_this')) : document.createTextNode(t('session_other')));
    var device = deviceName(session.device);
    if (device) {
      var d = api.el('span', 'session-device', device);
      d.title = session.device;
      who.appendChild(api.el('br'));
      who.appendChild(d);
    }
    if (session.client_address) {
      who.appendChild(api.el('br'));
      who.appendChild(api.el('span', 'session-address', t('session_from', { address: session.client_address })));
    }
    tr.appendChild(who);
    [['col_started', session.created_at], ['col_last_seen', session.last_seen_at],
      ['col_expires', session.idle_expires_at || session.expires_at]].forEach(function (c) {
      var td = api.el('td', 'date', fmt.dateTime(c[1]));
      td.setAttribute('data-label', t(c[0]));  // the column's name where the table becomes cards
      tr.appendChild(td);
    });
    var action = api.el('td');
    if (!session.current) {
      action.appendChild(api.smallButton(t('session_end'), t('session_end_label', { when: fmt.dateTime(session.created_at) }),
        function () { endSession(session); }));
    }
    tr.appendChild(action);
    return tr;
  }

  function renderSessions() {
    api.fillTable('sessions', 'sessions-empty', sessions, sessionRow);
  }

  function loadSessions() {
    return api.send('GET', '/auth/sessions').then(function (res) {
      api.showMessage(document.getElementById('sessions-error'), res.ok ? '' : api.errorText(res));
      if (res.ok) { sessions = res.data.sessions || []; renderSessions(); }
    });
  }

  // ---- erasure -------------------------------------------------------------------------------

  function showErased() {
    ['password-panel', 'sessions-panel', 'export-panel', 'erase-panel'].forEach(function (id) {
      document.getElementById(id).hidden = true;
    });
    var menu = document.querySelector('[data-account-menu]');
    if (menu) menu.hidden = true;
    var erased = document.getElementById('erased');
    erased.hidden = false;
    erased.focus();
  }

  function askErase(trigger) {
    api.confirmStep(trigger, t('erase_question', { email: user.email }), t('erase_yes'), function () {
      return api.send('DELETE', '/auth/me').then(function (res) {
        if (res.ok) showErased();
        return res;
      });
    });
  }

  // ---- wiring --------------------------------------------------------------------------------

  var form = document.getElementById('password-form');
  form.addEventListener('submit', function (ev) { ev.preventDefault(); changePassword(form); });
  document.getElementById('sessions-logout-all').addEventListener('click', function () {
    window.bankflowAccount.logOut(true);
  });
  var eraseStart = document.getElementById('erase-start');
  eraseStart.addEventListener('click', function () { askErase(eraseStart); });
  window.bankflowI18n.onChange(renderSessions);
  window.bankflowAccount.ready.then(function (s) {
    user = s.user;
    form.elements.email.value = user.email;
    loadSessions();
  });
})();
