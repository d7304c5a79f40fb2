/* bankflow web app: /chaves, the account's API keys. A new key's token is shown once, with a
 * copy button; the list shows each key's scope and last use, and revokes. */
(function () {
  'use strict';

  var api = window.bankflowApi;
  var fmt = window.bankflowFormat;
  var t = window.bankflowI18n.t;

  window.bankflowI18n.add({
    title_keys: 'API keys — bankflow',
    keys_title: 'API keys',
    keys_lead: 'A key lets a program use the API on your behalf, with the Authorization: Bearer header. Give each program its own key and revoke the ones no longer in use.',
    key_new_title: 'Create a key',
    key_name_label: 'Name',
    key_name_hint: 'To remember where it is used, for example “office spreadsheet”.',
    key_scope_label: 'Permission',
    scope_read: 'Read only',
    scope_read_write: 'Read and write (includes withdrawals)',
    key_submit: 'Create key',
    token_warning: 'Copy the key now: it will not be shown again. Keep it like a password.',
    token_copy: 'Copy',
    keys_list_title: 'Your keys',
    keys_empty: 'No key created.',
    col_name: 'Name',
    col_scope: 'Permission',
    col_created: 'Created',
    col_last_used: 'Last used',
    col_actions: 'Actions'
  }, {
    key_scope_read: { pt: 'Somente leitura', en: 'Read only' },
    key_scope_read_write: { pt: 'Leitura e escrita', en: 'Read and write' },
    key_never_used: { pt: 'Nunca usada', en: 'Never used' },
    key_revoked: { pt: 'Revogada em {date}', en: 'Revoked on {date}' },
    key_revoke: { pt: 'Revogar', en: 'Revoke' },
    key_revoke_label: { pt: 'Revogar a chave {name}', en: 'Revoke the key {name}' },
    key_created_live: { pt: 'Chave {name} criada. Copie-a agora: ela não será mostrada de novo.', en: 'Key {name} created. Copy it now: it will not be shown again.' },
    key_revoked_live: { pt: 'Chave {name} revogada.', en: 'Key {name} revoked.' },
    key_copied: { pt: 'Chave copiada.', en: 'Key copied.' },
    key_no_name: { pt: 'Dê um nome à chave.', en: 'Give the key a name.' }
  });

  var keys = [];

  function revoke(key) {
    api.send('DELETE', '/api-keys/' + encodeURIComponent(key.id)).then(function (res) {
      if (!res.ok) { api.announce(api.errorText(res)); return; }
      api.announce(t('key_revoked_live', { name: key.name }));
      load();
    });
  }

  function row(key) {
    var tr = api.el('tr');
    tr.setAttribute('data-key-id', key.id);
    tr.appendChild(api.el('td', 'desc', key.name));
    tr.appendChild(api.el('td', null, t('key_scope_' + key.scope)));
    tr.appendChild(api.el('td', 'date', fmt.dateTime(key.created_at)));
    tr.appendChild(api.el('td', 'date', key.last_used_at ? fmt.dateTime(key.last_used_at) : t('key_never_used')));
    var action = api.el('td');
    if (key.revoked_at) {
      action.appendChild(api.el('span', 'status status-failed', t('key_revoked', { date: fmt.date(key.revoked_at) })));
    } else {
      action.appendChild(api.smallButton(t('key_revoke'), t('key_revoke_label', { name: key.name }),
        function () { revoke(key); }));
    }
    tr.appendChild(action);
    return tr;
  }

  function render() {
    api.fillTable('keys', 'keys-empty', keys, row);
  }

  function load() {
    return api.send('GET', '/api-keys').then(function (res) {
      if (res.ok) { keys = res.data.api_keys || []; render(); }
    });
  }

  function showToken(token) {
    var box = document.getElementById('token-box');
    document.getElementById('token').textContent = token;
    box.hidden = false;
    box.focus();
  }

  function copyToken() {
    var text = document.getElementById('token').textContent;
    var done = function () { api.announce(t('key_copied')); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { selectToken(); });
    } else {
      selectToken();
    }
  }

  /** Without the clipboard API, the token is selected for the person to copy. */
  function selectToken() {
    var range = document.createRange();
    range.selectNodeContents(document.getElementById('token'));
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  var form = document.getElementById('key-form');
  var error = document.getElementById('key-error');
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var name = form.elements.name.value.trim();
    if (!name) { api.showMessage(error, t('key_no_name')); return; }
    api.showMessage(error, '');
    api.send('POST', '/api-keys', { name: name, scope: form.elements.scope.value }).then(function (res) {
      if (!res.ok) { api.showMessage(error, api.errorText(res)); return; }
      form.reset();
      showToken(res.data.token);
      api.announce(t('key_created_live', { name: name }));
      load();
    });
  });
  document.getElementById('token-copy').addEventListener('click', copyToken);
  window.bankflowI18n.onChange(render);
  window.bankflowAccount.ready.then(load);
})();
