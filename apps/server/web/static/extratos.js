/* bankflow web app: "Meus extratos" on /carteira, the account's conversions (GET
 * /bank-statements/jobs) with their downloads; "Excluir", once confirmed, deletes one (upload
 * and results) and takes it off the list. */
(function () {
  'use strict';

  var api = window.bankflowApi;
  var fmt = window.bankflowFormat;
  var t = window.bankflowI18n.t;

  window.bankflowI18n.add({
    statements_title: 'My statements',
    statements_lead: 'The statements you converted with this account, with their downloads.',
    statements_empty: 'No statement converted yet.',
    statements_convert: 'Convert a statement'
  }, {
    statement_meta: { pt: '{bank} · {count} lançamentos · enviado em {date}', en: '{bank} · {count} transactions · uploaded on {date}' },
    statement_status_failed: { pt: 'Não foi possível converter', en: 'Could not convert' },
    statement_status_waiting: { pt: 'Em processamento', en: 'Processing' },
    statement_delete: { pt: 'Excluir', en: 'Delete' },
    statement_delete_label: { pt: 'Excluir {file}', en: 'Delete {file}' },
    statement_delete_question: { pt: 'Excluir “{file}” e os arquivos gerados? Isso não pode ser desfeito.', en: 'Delete “{file}” and the files made from it? This cannot be undone.' },
    statement_delete_yes: { pt: 'Sim, excluir', en: 'Yes, delete' },
    statement_deleted_live: { pt: '“{file}” excluído.', en: '“{file}” deleted.' }
  });

  var jobs = [];

  function downloads(job) {
    var box = api.el('div', 'downloads');
    [['csv', 'download_csv'], ['xlsx', 'download_xlsx'], ['json', 'download_json']].forEach(function (d) {
      var a = api.el('a', 'btn btn-secondary btn-small', t(d[1]));
      a.href = '/api/v1/bank-statements/jobs/' + encodeURIComponent(job.id) + '/download?format=' + d[0];
      a.setAttribute('data-download', d[0]);
      a.setAttribute('aria-label', t('download_label', { file: job.filename, kind: t(d[1]) }));
      box.appendChild(a);
    });
    return box;
  }

  function remove(job) {
    return api.send('DELETE', '/bank-statements/jobs/' + encodeURIComponent(job.id)).then(function (res) {
      if (res.ok || res.code === 'not_found') {
        jobs = jobs.filter(function (j) { return j.id !== job.id; });
        render();
        api.announce(t('statement_deleted_live', { file: job.filename }));
        document.getElementById('statements-title').focus();
      }
      return res.code === 'not_found' ? { ok: true } : res;
    });
  }

  function deleteButton(job) {
    var box = api.el('div', 'job-actions');
    var b = api.smallButton(t('statement_delete'), t('statement_delete_label', { file: job.filename }), function () {
      api.confirmStep(b, t('statement_delete_question', { file: job.filename }), t('statement_delete_yes'),
        function () { return remove(job); });
    });
    b.setAttribute('data-delete', '');
    box.appendChild(b);
    return box;
  }

  function item(job) {
    var li = api.el('li', 'job');
    li.setAttribute('data-job-id', job.id);
    li.setAttribute('data-status', job.status);
    li.appendChild(api.el('h3', 'job-filename', job.filename));
    if (job.status === 'completed') {
      li.appendChild(api.el('p', 'job-meta', t('statement_meta', {
        bank: job.bank_name || job.bank || '—', count: job.transactions, date: fmt.date(job.created_at)
      })));
      li.appendChild(downloads(job));
    } else {
      li.appendChild(api.el('p', 'job-meta', t(job.status === 'failed' ? 'statement_status_failed' : 'statement_status_waiting')));
    }
    li.appendChild(deleteButton(job));
    return li;
  }

  function render() {
    var list = document.getElementById('statements');
    list.textContent = '';
    jobs.forEach(function (job) { list.appendChild(item(job)); });
    document.getElementById('statements-empty').hidden = jobs.length > 0;
  }

  window.bankflowI18n.onChange(render);
  window.bankflowAccount.ready.then(function () {
    api.send('GET', '/bank-statements/jobs').then(function (res) {
      if (res.ok) { jobs = res.data.jobs || []; render(); }
    });
  });
})();
