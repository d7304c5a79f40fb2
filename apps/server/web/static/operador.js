/* bankflow web app: /operador, the audit log (GET /ops/audit) for operators, filtered by action,
 * with "carregar mais"; anyone else is told they have no permission (the API answers 403). */
(function () {
  'use strict';

  var api = window.bankflowApi;
  var fmt = window.bankflowFormat;
  var t = window.bankflowI18n.t;
  var PAGE = 50;

  window.bankflowI18n.add({
    title_ops: 'Operator — bankflow',
    ops_title: 'Operator: audit log',
    audit_title: 'Recorded actions',
    audit_action_label: 'Action',
    audit_all: 'All',
    audit_apply: 'Filter',
    audit_empty: 'No action recorded with this filter.',
    col_action: 'Action',
    col_actor: 'Who',
    col_subject: 'About',
    col_address: 'Address'
  }, {
    ops_denied: { pt: 'Sem permissão: o registro de auditoria é só para operadores.', en: 'No permission: the audit log is for operators only.' },
    audit_loaded: { pt: '{n} ações listadas.', en: '{n} actions listed.' }
  });

  var entries = [];
  var cursor = null;

  function row(e) {
    var tr = api.el('tr');
    tr.setAttribute('data-action', e.action);
    tr.setAttribute('data-id', String(e.id));
    tr.appendChild(api.el('td', 'date', fmt.dateTime(e.at)));
    tr.appendChild(api.el('td', null, e.action));
    [e.actor, e.subject, e.client_address].forEach(function (v) { tr.appendChild(api.el('td', 'mono', v || '—')); });
    return tr;
  }

  function render() {
    api.fillTable('audit', 'audit-empty', entries, row);
    document.getElementById('audit-more').hidden = cursor === null;
  }

  function denied(res) {
    var box = document.getElementById('ops-denied');
    api.showMessage(box, res.code === 'permission_denied' ? t('ops_denied') : api.errorText(res));
    box.setAttribute('data-code', res.code || '');
    document.getElementById('ops-panel').hidden = true;
  }

  /** The first page for the chosen action (reset) or the next one. */
  function load(reset) {
    var action = document.getElementById('audit-action').value;
    var q = '/ops/audit?limit=' + PAGE + (action ? '&action=' + encodeURIComponent(action) : '') +
      (!reset && cursor !== null ? '&cursor=' + encodeURIComponent(cursor) : '');
    return api.send('GET', q).then(function (res) {
      if (!res.ok) { denied(res); return; }
      document.getElementById('ops-panel').hidden = false;
      entries = reset ? res.data.entries : entries.concat(res.data.entries);
      cursor = res.data.next_cursor === null || res.data.next_cursor === undefined ? null : res.data.next_cursor;
      render();
      api.announce(t('audit_loaded', { n: entries.length }));
    });
  }

  document.getElementById('audit-filter').addEventListener('submit', function (ev) {
    ev.preventDefault();
    load(true);
  });
  document.getElementById('audit-more').addEventListener('click', function () { load(false); });
  window.bankflowI18n.onChange(function () {
    var box = document.getElementById('ops-denied');
    if (box.getAttribute('data-code') === 'permission_denied') box.textContent = t('ops_denied');
    render();
  });
  window.bankflowAccount.ready.then(function () { load(true); });
})();
