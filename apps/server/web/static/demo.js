/* bankflow demo: upload a statement, follow its job live (Server-Sent Events), preview and
 * download the result. Talks to the bankflow-server API under /api/v1. */
(function () {
  'use strict';

  var API = '/api/v1';
  var MAX_BYTES = 10 * 1024 * 1024;
  var PREVIEW_ROWS = 8;
  var ACCEPTED = /\.(csv|txt|ofx|ofc|qfx|tsv|xls|xlsx|xlsm|pdf)$/i;
  var FINAL = { completed: true, failed: true };

  var t = window.bankflowI18n.t;
  var fmt = window.bankflowFormat;

  var csrf = null;
  var expiresAt = null;
  var jobs = {};      // id → {job, el, source, preview, previewFailed, downloaded, announced, file}
  var order = [];     // ids, newest first
  // {file, skip, password, replaces} waiting for their turn to upload (skip: skip_bad_rows;
  // password: a PDF's, held only until its upload is sent; replaces: the id of the failed job of
  // the same file whose card the new job takes over)
  var queue = [];
  var uploading = false;

  var $ = function (id) { return document.getElementById(id); };

  var el = window.bankflowApi.el;
  var announce = window.bankflowApi.announce;

  // --- session ---------------------------------------------------------------------------------

  function loadSession() {
    return fetch(API + '/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('session HTTP ' + r.status);
        return r.json();
      })
      .then(function (s) {
        csrf = s.csrf_token;
        expiresAt = s.expires_at;
        showExpiry();
        // account.js reads the user from this answer instead of racing it for a new session
        document.dispatchEvent(new CustomEvent('bankflow:session', { detail: s }));
        return s;
      });
  }

  /** The session's real end (absolute, 24 h after it was created), in local time. */
  function showExpiry() {
    var out = $('session-expiry');
    var d = new Date(expiresAt);
    if (!expiresAt || isNaN(d.getTime())) { out.hidden = true; return; }
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    var when = pad(d.getDate()) + '/' + pad(d.getMonth() + 1) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
    out.textContent = ' ' + t('session_expiry', { when: when });
    out.hidden = false;
  }

  // --- errors in plain Portuguese ----------------------------------------------------------------

  function extension(name) {
    var m = /\.([a-z0-9]+)$/i.exec(name || '');
    return m ? m[1].toLowerCase() : '';
  }

  /** What kind of non-text container a file is, from the server's message or the file name. */
  function containerKind(message, name) {
    var msg = (message || '').toLowerCase();
    var ext = extension(name);
    if (msg.indexOf('image') >= 0 || /^(png|jpe?g|gif|webp|bmp|heic|heif|tiff?)$/.test(ext)) return 'image';
    if (msg.indexOf('excel') >= 0 || msg.indexOf('word') >= 0 || /^(ods|numbers)$/.test(ext)) return 'sheet';
    if (msg.indexOf('zip') >= 0 || msg.indexOf('compressed') >= 0 || /^(zip|rar|7z|gz)$/.test(ext)) return 'zip';
    return 'container';
  }

  /** Whether a job's file is a PDF: by its name, or by the server's message about it. */
  function isPdf(name, message) {
    return extension(name) === 'pdf' || /\bpdf\b/i.test(message || '');
  }

  /** A PDF that did not open with the password it was sent with (the server says "wrong"). */
  function wrongPassword(message) {
    return /\bwrong\b/i.test(message || '');
  }

  function waitText(seconds) {
    if (!(seconds > 0)) return null;
    return seconds >= 90 ? t('minutes', { n: Math.ceil(seconds / 60) }) : t('seconds', { n: seconds });
  }

  /** {title, text, help} for an error code from the API (or from the checks made here). */
  function explain(code, file, message, extra) {
    var v = { file: file || '', size: extra && extra.size ? fmt.size(extra.size) : '' };
    switch (code) {
      case 'file_too_large':
      case 'payload_too_large':
      case 'too_large':
        return { title: t('err_too_big_title'), text: t('err_too_big_text', v), help: t('err_too_big_help') };
      case 'empty_input':
        return { title: t('err_empty_title'), text: t('err_empty_text', v), help: t('err_empty_help') };
      case 'unsupported_container':
      case 'unsupported_type': {
        var kind = containerKind(message, file);
        if (kind === 'container') {
          return { title: t('err_container_title'), text: t('err_container_text', v), help: t('err_generic_help') };
        }
        return { title: t('err_' + kind + '_title'), text: t('err_' + kind + '_text', v), help: t('err_' + kind + '_help') };
      }
      case 'encrypted':
        if (isPdf(file, message)) {
          if (wrongPassword(message)) return { title: t('err_pdf_wrong_title'), text: t('err_pdf_wrong_text', v), help: t('err_pdf_wrong_help') };
          return { title: t('err_pdf_encrypted_title'), text: t('err_pdf_encrypted_text', v), help: t('err_pdf_encrypted_help') };
        }
        return { title: t('err_encrypted_title'), text: t('err_encrypted_text', v), help: t('err_encrypted_help') };
      case 'scanned_pdf':
        return { title: t('err_scanned_title'), text: t('err_scanned_text', v), help: t('err_scanned_help') };
      case 'not_a_statement':
        return { title: t('err_not_statement_title'), text: t('err_not_statement_text', v), help: t('err_not_statement_help') };
      case 'damaged_container':
        return { title: t('err_damaged_title'), text: t(isPdf(file, message) ? 'err_pdf_damaged_text' : 'err_damaged_text', v), help: t('err_damaged_help') };
      case 'limit_exceeded':
        if (isPdf(file, message)) return { title: t('err_limit_title'), text: t('err_pdf_limit_text', v), help: t('err_pdf_limit_help') };
        return { title: t('err_limit_title'), text: t('err_limit_text', v), help: t('err_damaged_help') };
      case 'no_worksheet':
        return { title: t('err_noworksheet_title'), text: t('err_noworksheet_text', v), help: t('err_noworksheet_help') };
      case 'binary_input':
        return { title: t('err_binary_title'), text: t('err_binary_text', v), help: t('err_generic_help') };
      case 'unknown_format':
      case 'ambiguous_format':
      case 'ofx_not_ofx':
        if (isPdf(file, message)) return { title: t('err_unknown_title'), text: t('err_pdf_unknown_text', v), help: t('err_pdf_unknown_help') };
        return { title: t('err_unknown_title'), text: t('err_unknown_text', v), help: t('err_unknown_help') };
      case 'rate_limited': {
        var wait = waitText(extra && extra.retryAfter);
        return {
          title: t('err_rate_title'), text: t('err_rate_text'),
          help: wait ? t('err_rate_help', { wait: wait }) : t('err_rate_help_nowait')
        };
      }
      case 'csrf_invalid':
      case 'session_invalid':
      case 'session_expired':
      case 'session_revoked':
        return { title: t('err_session_title'), text: t('err_session_text'), help: t('err_session_help') };
      case 'network':
        return { title: t('err_network_title'), text: t('err_network_text', v), help: t('err_network_help') };
      case 'client_type':
        return { title: t('err_type_title'), text: t('err_type_text', v), help: t('err_generic_help') };
      case 'bad_amount': case 'amount_overflow': case 'amount_precision': case 'ambiguous_amount':
      case 'bad_date': case 'csv_unterminated_quote': case 'csv_bad_header': case 'csv_bad_row':
      case 'ofx_truncated': case 'ofx_no_statement': case 'ofx_bad_element':
        return { title: t('err_parse_title'), text: t('err_parse_text', v), help: t('err_parse_help') };
      default:
        return { title: t('err_server_title'), text: t('err_server_text', v), help: t('err_server_help') };
    }
  }

  // --- upload ----------------------------------------------------------------------------------

  /** Checks made before any byte leaves the browser: returns an error code or null. */
  function precheck(file) {
    if (file.size > MAX_BYTES) return 'file_too_large';
    if (file.size === 0) return 'empty_input';
    var type = (file.type || '').toLowerCase();
    var ext = extension(file.name);
    if (/^image\//.test(type) || /^(png|jpe?g|gif|webp|bmp|heic|heif|tiff?|ods|numbers|zip|rar|7z|gz)$/.test(ext)) {
      return 'unsupported_container';
    }
    if (!ACCEPTED.test(file.name) && type && !/^text\//.test(type) && type !== 'application/x-ofx' && type !== 'application/vnd.ms-excel' &&
        type !== 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' && type !== 'application/pdf') {
      return 'client_type';
    }
    return null;
  }

  function hideUploadError() { $('upload-error').hidden = true; }

  function showUploadError(info) {
    $('upload-error-title').textContent = info.title;
    $('upload-error-text').textContent = info.text;
    $('upload-error-help').textContent = info.help;
    var box = $('upload-error');
    box.hidden = false;
  }

  function setProgress(name, percent) {
    var box = $('upload-progress');
    box.hidden = false;
    $('upload-name').textContent = name;
    $('upload-bar').value = percent;
    $('upload-percent').textContent = percent + '%';
  }

  function parseError(xhr) {
    try {
      var body = JSON.parse(xhr.responseText);
      if (body && body.error) return { code: body.error.code, message: body.error.message };
    } catch (e) { /* not JSON */ }
    if (xhr.status === 413) return { code: 'file_too_large', message: '' };
    if (xhr.status === 429) return { code: 'rate_limited', message: '' };
    return { code: 'http_' + xhr.status, message: xhr.statusText || '' };
  }

  /** Uploads one queue item ({file, skip, password}). A PDF's password goes only in this request's
   *  form body: never in the URL, and never into any storage of the browser. */
  function send(item, retried) {
    var file = item.file;
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', API + '/files/upload');
      xhr.setRequestHeader('X-CSRF-Token', csrf || '');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) setProgress(file.name, Math.min(100, Math.round((e.loaded / e.total) * 100)));
      });
      xhr.addEventListener('load', function () {
        if (xhr.status === 201 || xhr.status === 200) {
          var body = null;
          try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
          if (body && body.job) { resolve({ job: body.job }); return; }
          resolve({ error: { code: 'bad_response', message: '' } });
          return;
        }
        var err = parseError(xhr);
        if (xhr.status === 403 && !retried) {
          // The session may have been renewed: fetch a fresh CSRF token and try once more.
          loadSession().then(function () { return send(item, true); }, function () { return { error: err }; })
            .then(resolve);
          return;
        }
        err.retryAfter = parseInt(xhr.getResponseHeader('Retry-After') || '', 10);
        resolve({ error: err });
      });
      xhr.addEventListener('error', function () { resolve({ error: { code: 'network', message: '' } }); });
      xhr.addEventListener('abort', function () { resolve({ error: { code: 'network', message: '' } }); });
      var form = new FormData();
      form.append('file', file, file.name);
      if (item.skip) form.append('skip_bad_rows', '1');
      if (item.password) form.append('password', item.password);
      // the visitor's own category rules (a rules file), tried before the shipped ones
      var rules = document.getElementById('rules-input');
      if (rules && rules.files && rules.files[0]) form.append('rules', rules.files[0], rules.files[0].name);
      setProgress(file.name, 0);
      xhr.send(form);
    });
  }

  function pump() {
    if (uploading || queue.length === 0) return;
    var item = queue.shift();
    var file = item.file;
    var problem = precheck(file);
    if (problem) {
      showUploadError(explain(problem, file.name, '', { size: file.size }));
      pump();
      return;
    }
    uploading = true;
    $('dropzone').classList.add('is-busy');
    send(item, false).then(function (res) {
      var viaPassword = !!item.password;
      item.password = null;  // sent: not kept any longer
      uploading = false;
      $('dropzone').classList.remove('is-busy');
      $('upload-progress').hidden = true;
      var old = item.replaces && jobs[item.replaces];
      if (res.job) {
        // a file sent again with its password takes the place of the card that asked for it
        var at = old ? dropJob(item.replaces) : -1;
        addJob(res.job, true, at);
        var entry = jobs[res.job.id];
        entry.file = file;  // kept for "convert ignoring the bad rows" and for a PDF's password
        if (viaPassword) entry.focusPassword = true;
        announce(t('live_upload_done', { file: res.job.filename || file.name }));
      } else {
        var e = res.error;
        var info = explain(e.code, file.name, e.message, { size: file.size, retryAfter: e.retryAfter });
        if (old) {
          old.passwordError = info.title + ' ' + info.help;
          old.focusPassword = true;
          render(item.replaces);
        } else {
          showUploadError(info);
        }
      }
      pump();
    });
  }

  function handleFiles(list) {
    if (!list || list.length === 0) return;
    hideUploadError();
    for (var i = 0; i < list.length; i++) queue.push({ file: list[i], skip: false });
    pump();
  }

  /** Uploads the file of a job that failed on one row again, asking to skip the bad rows. After a
   *  reload the browser no longer holds the file: the visitor picks it again. */
  function retrySkipping(entry) {
    if (entry.file) {
      hideUploadError();
      queue.push({ file: entry.file, skip: true });
      pump();
      return;
    }
    var input = document.createElement('input');
    input.type = 'file';
    input.className = 'visually-hidden';
    input.addEventListener('change', function () {
      if (input.files && input.files[0]) {
        hideUploadError();
        queue.push({ file: input.files[0], skip: true });
        pump();
      }
      input.remove();
    });
    document.body.appendChild(input);
    input.click();
  }

  /** Sends the PDF of a job that failed for its password again, with the password typed. After a
   *  reload the browser no longer holds the file: the visitor picks it again. */
  function retryWithPassword(entry, password) {
    var id = entry.job.id;
    entry.passwordError = null;
    if (entry.file) {
      hideUploadError();
      queue.push({ file: entry.file, skip: false, password: password, replaces: id });
      pump();
      return;
    }
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = '.pdf,application/pdf';
    input.className = 'visually-hidden';
    input.addEventListener('change', function () {
      if (input.files && input.files[0]) {
        hideUploadError();
        queue.push({ file: input.files[0], skip: false, password: password, replaces: id });
        pump();
      }
      password = null;
      input.remove();
    });
    input.addEventListener('cancel', function () { password = null; input.remove(); });
    document.body.appendChild(input);
    input.click();
  }

  /** The password field of a PDF that is protected (or was sent with a wrong password). The typed
   *  password lives only in this field and in the upload that carries it. */
  function passwordPrompt(entry, wrong) {
    var id = entry.job.id;
    var box = el('div', 'pdf-password');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-labelledby', 'pw-label-' + id);
    box.setAttribute('data-field', 'pdf-password');
    var label = el('label', 'field-label', t('pdf_password_label'));
    label.id = 'pw-label-' + id;
    label.htmlFor = 'pw-' + id;
    box.appendChild(label);
    var hint = el('p', 'field-hint', t('pdf_password_hint'));
    hint.id = 'pw-hint-' + id;
    var problem = entry.passwordError || (wrong ? t('pdf_password_wrong') : null);
    var error = el('p', 'field-error', problem);
    error.id = 'pw-error-' + id;
    error.setAttribute('data-field', 'password-error');
    error.hidden = !problem;
    var row = el('div', 'field-row');
    var input = el('input', 'field-input');
    input.type = 'password';
    input.id = 'pw-' + id;
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('spellcheck', 'false');
    input.setAttribute('data-focus', 'password');
    input.setAttribute('aria-describedby', (problem ? error.id + ' ' : '') + hint.id);
    if (problem) input.setAttribute('aria-invalid', 'true');
    var button = el('button', 'btn btn-primary btn-small', t(entry.file ? 'pdf_password_submit' : 'pdf_password_pick'));
    button.type = 'button';
    button.setAttribute('data-action', 'pdf-password');
    button.setAttribute('data-focus', 'password-submit');
    var submit = function () {
      var value = input.value;
      if (!value) {
        error.textContent = t('pdf_password_empty');
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', error.id + ' ' + hint.id);
        input.focus();
        return;
      }
      input.value = '';
      button.disabled = true;
      retryWithPassword(entry, value);
      if (!entry.file) button.disabled = false;  // the file picker may be cancelled
    };
    button.addEventListener('click', submit);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { e.preventDefault(); submit(); }
    });
    row.appendChild(input);
    row.appendChild(button);
    box.appendChild(row);
    box.appendChild(error);
    box.appendChild(hint);
    return box;
  }

  /** Whether a document is a card bill (its check is against the bill's total) rather than an
   *  account statement (against the closing balance). */
  function isBill(job, preview) {
    if (/(^|-)(fatura|ourocard|cartao)(-|$)/.test(job.format || '')) return true;
    var r = preview.reconciliation;
    if (r && /^bill/i.test(r.basis || '')) return true;
    if (r && /^closing/i.test(r.basis || '')) return false;
    return !!preview.due_date;
  }

  var RECON_ICONS = {
    ok: 'M5 12.5l4.5 4.5L19 7.5',
    mismatch: 'M12 8v5M12 16.5v.5M10.3 3.9 2.4 17.6A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-2.9L13.7 3.9a2 2 0 0 0-3.4 0z',
    not_printed: 'M12 11v5M12 7.5v.5M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z'
  };

  function unsigned(value) {
    return value === null || value === undefined ? value : String(value).replace(/^[+-]/, '');
  }

  /** The rows checked against what the bank printed (a PDF's bill total or closing balance):
   *  green when they match, a warning when they do not, a neutral note when nothing is printed. */
  function reconciliationNote(entry) {
    var p = entry.preview;
    var r = p && p.reconciliation;
    if (!r || !RECON_ICONS[r.status]) return null;
    var kind = isBill(entry.job, p) ? 'bill' : 'statement';
    var cur = p.currency;
    var v = { printed: fmt.money(r.printed, cur), computed: fmt.money(r.computed, cur), difference: fmt.money(unsigned(r.difference), cur) };
    var box = el('div', 'recon recon-' + r.status.replace('_', '-'));
    box.setAttribute('data-field', 'reconciliation');
    box.setAttribute('data-status', r.status);
    var head = el('p', 'recon-text');
    head.appendChild(icon(RECON_ICONS[r.status], 'recon-icon'));
    head.appendChild(el('span', null, t('recon_' + r.status + '_' + kind, v)));
    box.appendChild(head);
    if (r.status === 'mismatch') box.appendChild(el('p', 'recon-help', t('recon_mismatch_help')));
    var cards = r.cards || [];
    if (cards.length) {
      var details = el('details', 'recon-cards');
      if (cards.some(function (c) { return c.status === 'mismatch'; })) details.open = true;
      details.appendChild(el('summary', null, t('recon_cards')));
      var list = el('ul');
      cards.forEach(function (c, i) {
        var cv = { printed: fmt.money(c.printed, cur), computed: fmt.money(c.computed, cur) };
        var li = el('li');
        li.setAttribute('data-status', c.status);
        li.appendChild(el('strong', null, t('recon_card', { account: c.account || String(i + 1) }) + ': '));
        li.appendChild(document.createTextNode(t(RECON_ICONS[c.status] ? 'recon_card_' + c.status : 'recon_card_not_printed', cv)));
        list.appendChild(li);
      });
      details.appendChild(list);
      box.appendChild(details);
    }
    return box;
  }

  /** The rows a job left out (skip_bad_rows): how many, and each one's line and reason. */
  function skippedRows(entry) {
    var job = entry.job;
    var box = el('div', 'job-skipped');
    box.setAttribute('data-field', 'skipped');
    box.appendChild(el('p', 'notice-title', t(job.skipped_rows === 1 ? 'skipped_one' : 'skipped_many', { n: job.skipped_rows })));
    box.appendChild(el('p', null, t('skipped_help')));
    var rows = entry.preview && entry.preview.skipped_rows;
    if (rows && rows.length) {
      var details = el('details');
      details.appendChild(el('summary', null, t('skipped_list')));
      var list = el('ul', 'skipped-list');
      rows.forEach(function (r) {
        var where = r.sheet ? r.sheet + (r.cell ? '!' + r.cell : '') : t('skipped_line', { n: r.line });
        var li = el('li');
        li.appendChild(el('strong', null, where + ': '));
        li.appendChild(document.createTextNode(r.message));
        if (r.raw) li.appendChild(el('code', 'tech', r.raw));
        list.appendChild(li);
      });
      details.appendChild(list);
      box.appendChild(details);
    }
    return box;
  }

  // --- jobs ------------------------------------------------------------------------------------

  function jobUrl(id, suffix) { return API + '/bank-statements/jobs/' + encodeURIComponent(id) + (suffix || ''); }

  function addJob(job, isNew, at) {
    if (jobs[job.id]) { update(job, false); return; }
    jobs[job.id] = { job: job, el: null, source: null, preview: null, previewFailed: false, downloaded: false };
    if (at >= 0) order.splice(at, 0, job.id);
    else if (isNew) order.unshift(job.id); else order.push(job.id);
    render(job.id);
    if (!FINAL[job.status]) watch(job.id);
    else if (job.status === 'completed') loadPreview(job.id);
  }

  /** Takes a job's card off the page (the job itself stays the session's): returns its place. */
  function dropJob(id) {
    var entry = jobs[id];
    var at = order.indexOf(id);
    if (entry.source) entry.source.close();
    if (entry.el && entry.el.parentNode) entry.el.parentNode.removeChild(entry.el);
    delete jobs[id];
    if (at >= 0) order.splice(at, 1);
    return at;
  }

  function update(job, live) {
    var entry = jobs[job.id];
    if (!entry) return;
    var before = entry.job.status;
    entry.job = job;
    render(job.id);
    if (live && before !== job.status) {
      if (job.status === 'completed') {
        entry.liveDone = true;
        announce(t('live_done', { file: job.filename, count: job.transactions }));
      } else if (job.status === 'failed' && job.error_code === 'encrypted' && isPdf(job.filename, job.error) && wrongPassword(job.error)) {
        announce(job.filename + ': ' + t('pdf_password_wrong'));
      } else {
        announce(t('live_status', { file: job.filename, status: t('status_' + job.status) }));
      }
    }
    if (job.status === 'completed' && !entry.preview && !entry.previewFailed) loadPreview(job.id);
  }

  /** Live status over SSE: the server sends the current state first, then every change. */
  function watch(id) {
    var entry = jobs[id];
    if (!window.EventSource) { poll(id); return; }
    var source = new EventSource(jobUrl(id, '/status'));
    entry.source = source;
    source.addEventListener('message', function (ev) {
      var job;
      try { job = JSON.parse(ev.data); } catch (e) { return; }
      if (!job || job.id !== id) return;
      update(job, true);
      if (FINAL[job.status]) { source.close(); entry.source = null; }
    });
    source.addEventListener('error', function () {
      // The stream ended or broke. After a final state we are done; otherwise ask once for the
      // current state (EventSource reconnects by itself while the server is reachable).
      if (FINAL[entry.job.status]) { source.close(); entry.source = null; return; }
      if (source.readyState === EventSource.CLOSED) { entry.source = null; poll(id); }
    });
  }

  function poll(id) {
    var entry = jobs[id];
    fetch(jobUrl(id), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) return;
        update(job, true);
        if (!FINAL[job.status]) window.setTimeout(function () { poll(id); }, 1500);
      })
      .catch(function () { if (!FINAL[entry.job.status]) window.setTimeout(function () { poll(id); }, 3000); });
  }

  function loadPreview(id) {
    var entry = jobs[id];
    fetch(jobUrl(id, '/preview?limit=' + PREVIEW_ROWS), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('preview HTTP ' + r.status);
        return r.json();
      })
      .then(function (p) {
        entry.preview = p;
        render(id);
        if (entry.liveDone && p.reconciliation && p.reconciliation.status === 'mismatch') {
          announce(t('live_done', { file: entry.job.filename, count: entry.job.transactions }) + ' ' +
                   t('live_recon_mismatch', { file: entry.job.filename }));
        }
      })
      .catch(function () { entry.previewFailed = true; render(id); });
  }

  // --- rendering -------------------------------------------------------------------------------

  var ICONS = {
    pending: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
    processing: 'M21 12a9 9 0 1 1-6.2-8.6',
    completed: 'M5 12.5l4.5 4.5L19 7.5',
    failed: 'M12 8v5M12 16.5v.5M10.3 3.9 2.4 17.6A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-2.9L13.7 3.9a2 2 0 0 0-3.4 0z'
  };

  function icon(path, cls) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    if (cls) svg.setAttribute('class', cls);
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', path);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '2.4');
    p.setAttribute('stroke-linecap', 'round');
    p.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(p);
    return svg;
  }

  function fact(label, value, field) {
    var d = el('div', 'fact');
    d.appendChild(el('dt', null, label));
    var dd = el('dd', null, value);
    if (field) dd.setAttribute('data-field', field);
    d.appendChild(dd);
    return d;
  }

  function period(p) {
    if (!p || !p.start) return t('period_none');
    if (p.start === p.end) return fmt.date(p.start);
    return fmt.date(p.start) + ' – ' + fmt.date(p.end);
  }

  function amountCell(value) {
    var td = el('td', 'num');
    var parts = fmt.amountParts(value);
    td.textContent = fmt.amount(value);
    if (value !== null && value !== undefined) td.setAttribute('data-amount', String(value));
    if (parts && parts.negative) td.classList.add('neg');
    else if (parts && /[1-9]/.test(parts.text)) td.classList.add('pos');
    return td;
  }

  // What a row is (enrichment: docs/FORMATS-OUT.md): its kind in words, with the other side, the
  // merchant or the instalment under it when the bank printed them.
  function kindCell(tx) {
    var td = el('td', 'kind');
    var kind = tx.kind || 'other';
    td.setAttribute('data-kind', kind);
    td.appendChild(el('span', 'kind-name', t('kind_' + kind)));
    var who = tx.merchant || (tx.counterparty && tx.counterparty.name) || '';
    var extra = [];
    if (who) extra.push(who);
    if (tx.installment) extra.push(t('installment_of', { n: tx.installment.number, count: tx.installment.count }));
    if (extra.length) td.appendChild(el('span', 'kind-detail', extra.join(' · ')));
    return td;
  }

  function previewTable(entry) {
    var p = entry.preview;
    var wrap = el('div', 'preview');
    if (!p) {
      wrap.appendChild(el('p', 'preview-note', entry.previewFailed ? t('preview_error') : t('preview_loading')));
      return wrap;
    }
    var rows = p.transactions || [];
    if (rows.length === 0) return null;
    var scroller = el('div', 'table-scroll');
    scroller.setAttribute('tabindex', '0');
    var table = el('table', 'preview-table');
    var total = p.total !== undefined ? p.total : entry.job.transactions;
    var caption = el('caption', null, rows.length < total ? t('preview_caption', { n: rows.length, total: total }) : t('preview_caption_all', { total: total }));
    table.appendChild(caption);
    scroller.setAttribute('aria-label', caption.textContent);
    // a statement without a running balance (most card bills, some CSVs) gets no empty column
    var hasBalance = rows.some(function (tx) { return tx.balance !== null && tx.balance !== undefined; });
    var cols = [['col_date', ''], ['col_description', ''], ['col_kind', ''], ['col_category', ''], ['col_amount', 'num']];
    if (hasBalance) cols.push(['col_balance', 'num col-balance']);
    var thead = el('thead');
    var hr = el('tr');
    cols.forEach(function (c) {
      var th = el('th', c[1] || null, t(c[0]));
      th.setAttribute('scope', 'col');
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el('tbody');
    rows.forEach(function (tx) {
      var tr = el('tr');
      var d = el('td', 'date', fmt.date(tx.date));
      d.setAttribute('data-date', tx.date);
      tr.appendChild(d);
      tr.appendChild(el('td', 'desc', tx.description));
      tr.appendChild(kindCell(tx));
      var cat = el('td', 'category', tx.category || '');
      tr.appendChild(cat);
      var amt = amountCell(tx.amount);
      amt.classList.add('amt');
      tr.appendChild(amt);
      if (hasBalance) {
        var bal = amountCell(tx.balance);
        bal.classList.add('col-balance');
        tr.appendChild(bal);
      }
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    scroller.appendChild(table);
    wrap.appendChild(scroller);
    return wrap;
  }

  function downloadLink(entry, kind, query, label, primary) {
    var a = el('a', 'btn ' + (primary ? 'btn-primary' : 'btn-secondary'), label);
    a.href = jobUrl(entry.job.id, '/download' + query);
    a.setAttribute('download', '');
    a.setAttribute('data-download', kind);
    a.setAttribute('aria-label', t('download_label', { file: entry.job.filename, kind: label }));
    a.addEventListener('click', function () {
      entry.downloaded = true;
      var note = entry.el && entry.el.querySelector('.download-note');
      if (note) note.hidden = false;
    });
    return a;
  }

  function render(id) {
    var entry = jobs[id];
    var job = entry.job;
    var li = el('li', 'job job-' + job.status);
    li.setAttribute('data-job-id', job.id);
    li.setAttribute('data-status', job.status);

    var top = el('div', 'job-top');
    var name = el('div', 'job-file');
    name.appendChild(el('h3', 'job-filename', job.filename || job.id));
    var when = fmt.time(job.created_at);
    if (when) name.appendChild(el('p', 'job-meta', t('uploaded_at', { time: when })));
    top.appendChild(name);
    var badge = el('span', 'status status-' + job.status);
    badge.appendChild(icon(ICONS[job.status] || ICONS.pending, job.status === 'processing' ? 'spin' : null));
    badge.appendChild(document.createTextNode(t('status_' + job.status)));
    top.appendChild(badge);
    li.appendChild(top);

    if (job.status === 'pending' || job.status === 'processing') {
      var prog = el('div', 'job-working');
      prog.appendChild(el('span', 'indeterminate'));
      prog.appendChild(el('p', null, t(job.status === 'pending' ? 'waiting' : 'processing')));
      li.appendChild(prog);
    } else if (job.status === 'completed') {
      var facts = el('dl', 'job-facts');
      var bankFact = fact(t('bank'), job.bank_name || t('bank_unknown'), 'bank');
      if (typeof job.confidence === 'number') {
        var conf = el('span', 'confidence', t('confidence', { pct: Math.round(job.confidence * 100) }));
        conf.setAttribute('data-field', 'confidence');
        bankFact.querySelector('dd').appendChild(conf);
      }
      facts.appendChild(bankFact);
      facts.appendChild(fact(t('transactions'), String(job.transactions), 'transactions'));
      facts.appendChild(fact(t('period'), period(job.period || (entry.preview && entry.preview.period)), 'period'));
      if (entry.preview && entry.preview.closing_balance !== null && entry.preview.closing_balance !== undefined) {
        facts.appendChild(fact(t('closing'), fmt.amount(entry.preview.closing_balance), 'closing'));
      }
      if (entry.preview && entry.preview.due_date) {
        var due = fact(t('due_date'), fmt.date(entry.preview.due_date), 'due_date');
        due.querySelector('dd').setAttribute('data-date', entry.preview.due_date);
        facts.appendChild(due);
      }
      li.appendChild(facts);
      var recon = reconciliationNote(entry);
      if (recon) li.appendChild(recon);
      if (job.skipped_rows > 0) li.appendChild(skippedRows(entry));
      var preview = previewTable(entry);
      if (preview) li.appendChild(preview);
      var dl = el('div', 'downloads');
      dl.setAttribute('role', 'group');
      dl.setAttribute('aria-label', t('downloads'));
      dl.appendChild(downloadLink(entry, 'csv', '', t('download_csv'), true));
      dl.appendChild(downloadLink(entry, 'excel-br', '?style=excel-br', t('download_excel'), false));
      dl.appendChild(downloadLink(entry, 'xlsx', '?format=xlsx', t('download_xlsx'), false));
      dl.appendChild(downloadLink(entry, 'json', '?format=json', t('download_json'), false));
      li.appendChild(dl);
      var note = el('p', 'download-note', t('downloaded_note'));
      note.hidden = !entry.downloaded;
      li.appendChild(note);
    } else if (job.status === 'failed') {
      var info = explain(job.error_code, job.filename, job.error);
      // a PDF that needs its password: asked for right here, in the job's card
      var askPassword = job.error_code === 'encrypted' && isPdf(job.filename, job.error);
      var wrong = askPassword && wrongPassword(job.error);
      if (askPassword && !wrong && !entry.file) info.help = t('err_pdf_encrypted_help_reupload');
      var box = el('div', 'job-error');
      box.appendChild(el('p', 'notice-title', info.title));
      box.appendChild(el('p', null, info.text));
      box.appendChild(el('p', 'notice-help', info.help));
      if (askPassword) box.appendChild(passwordPrompt(entry, wrong));
      if (job.error) {
        var details = el('details');
        details.appendChild(el('summary', null, t('details')));
        details.appendChild(el('p', 'tech', job.error));
        box.appendChild(details);
      }
      if (job.row_error && !job.skip_bad_rows) {
        // one row could not be read: the rest of the file can still be converted, with that row listed
        box.appendChild(el('p', null, t('skip_offer_text')));
        var retry = el('button', 'btn btn-secondary btn-small', t('skip_offer'));
        retry.type = 'button';
        retry.setAttribute('data-action', 'skip-bad-rows');
        retry.addEventListener('click', function () { retrySkipping(entry); });
        box.appendChild(retry);
      }
      li.appendChild(box);
    }

    var list = $('job-list');
    var focused = entry.el && entry.el.contains(document.activeElement) ? document.activeElement : null;
    var focusKey = focused ? focused.getAttribute('data-download') : null;
    var focusField = focused ? focused.getAttribute('data-focus') : null;
    // a password being typed survives a re-render (a language switch), in the page only
    var typed = entry.el && entry.el.querySelector('input[type="password"]');
    var field = li.querySelector('input[type="password"]');
    if (typed && field && typed.value) field.value = typed.value;
    if (entry.el && entry.el.parentNode === list) list.replaceChild(li, entry.el);
    else {
      var idx = order.indexOf(id);
      var next = null;
      for (var i = idx + 1; i < order.length && !next; i++) {
        var other = jobs[order[i]];
        if (other && other.el && other.el.parentNode === list) next = other.el;
      }
      list.insertBefore(li, next);
    }
    entry.el = li;
    if (focusKey) {
      var again = li.querySelector('[data-download="' + focusKey + '"]');
      if (again) again.focus();
    }
    if (focusField) {
      var back = li.querySelector('[data-focus="' + focusField + '"]');
      if (back) back.focus();
    }
    if (entry.focusPassword && field) {
      // the visitor just sent a password: a wrong one brings the cursor back to the field
      entry.focusPassword = false;
      field.focus();
    } else if (entry.focusPassword && FINAL[job.status]) {
      entry.focusPassword = false;
    }
    $('jobs-empty').hidden = order.length > 0;
  }

  function renderAll() { order.forEach(render); }

  // --- wiring ----------------------------------------------------------------------------------

  function initDropzone() {
    var zone = $('dropzone');
    var input = $('file-input');
    input.addEventListener('change', function () {
      handleFiles(input.files);
      input.value = '';
    });
    var depth = 0;
    zone.addEventListener('dragenter', function (e) { e.preventDefault(); depth++; zone.classList.add('is-dragging'); });
    zone.addEventListener('dragover', function (e) { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
    zone.addEventListener('dragleave', function () { depth = Math.max(0, depth - 1); if (depth === 0) zone.classList.remove('is-dragging'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      depth = 0;
      zone.classList.remove('is-dragging');
      if (e.dataTransfer) handleFiles(e.dataTransfer.files);
    });
    // A file dropped next to the zone must not make the browser leave the page.
    window.addEventListener('dragover', function (e) { e.preventDefault(); });
    window.addEventListener('drop', function (e) { e.preventDefault(); });
    $('upload-error-close').addEventListener('click', function () { hideUploadError(); input.focus(); });
  }

  function loadJobs() {
    return fetch(API + '/bank-statements/jobs', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { jobs: [] }; })
      .then(function (body) { (body.jobs || []).forEach(function (j) { addJob(j, false); }); })
      .catch(function () { /* the list stays empty; uploads still work */ });
  }

  function init() {
    initDropzone();
    window.bankflowI18n.onChange(function () { renderAll(); showExpiry(); });
    loadSession().then(loadJobs, function () {
      showUploadError({ title: t('err_network_title'), text: '', help: t('err_network_help') });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
