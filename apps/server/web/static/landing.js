/* bankflow landing page: the supported banks, read from the converter's own list
 * (GET /api/v1/banks, the library's banks_to_json). */
(function () {
  'use strict';

  var t = window.bankflowI18n.t;
  var banks = null;
  var failed = false;

  /** "itau-extrato-csv" → "Extrato CSV"; "ofx" → "OFX"; "bb-ourocard-txt" → "Fatura TXT";
   * "nubank-fatura-pdf-2022" → "Fatura PDF"; "generic-pdf" (any bank's plain table) its own label. */
  function formatLabel(id) {
    if (id === 'ofx') return t('fmt_ofx');
    if (id === 'ofc') return t('fmt_ofc');
    if (id === 'generic-pdf') return t('fmt_generic_pdf');
    var parts = id.split('-');
    var ext = '';
    for (var i = parts.length - 1; i >= 0; i--) {
      if (/^(csv|txt|ofx|ofc|pdf)$/.test(parts[i])) { ext = parts[i].toUpperCase(); break; }
      if (parts[i] === 'xls' || parts[i] === 'xlsx') { ext = 'Excel'; break; }
    }
    var bill = id.indexOf('fatura') >= 0 || id.indexOf('ourocard') >= 0 || id.indexOf('cartao') >= 0;
    return t(bill ? 'fmt_bill' : 'fmt_statement', { ext: ext || id }).trim();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** A two-letter mark: short ids as they are ("bb", "c6"), else the initials of the name. */
  function initials(bank) {
    if (bank.id && bank.id.length <= 2) return bank.id.toUpperCase();
    var words = (bank.name || bank.id || '?').split(/\s+/).filter(function (w) { return !/^(do|da|de|dos|das)$/i.test(w); });
    var s = words.length > 1 ? words[0].charAt(0) + words[1].charAt(0) : words[0].slice(0, 2);
    return s.toUpperCase();
  }

  function render() {
    var list = document.getElementById('bank-list');
    if (!list) return;
    list.textContent = '';
    list.setAttribute('aria-busy', 'false');
    if (failed || !banks) {
      list.appendChild(el('li', 'bank-card bank-loading', t('banks_error')));
      return;
    }
    banks.forEach(function (bank) {
      var li = el('li', 'bank-card');
      var head = el('div', 'bank-head');
      head.appendChild(el('span', 'bank-logo', initials(bank)));
      var names = el('div', 'bank-names');
      names.appendChild(el('h3', 'bank-name', bank.name || bank.id));
      if (bank.compe) names.appendChild(el('p', 'bank-compe', t('banks_compe', { code: bank.compe })));
      head.appendChild(names);
      li.appendChild(head);
      var seen = {};
      var tags = el('ul', 'tag-list');
      tags.setAttribute('aria-label', t('banks_formats'));
      // the generic PDF table reader is listed for every bank: named only where no layout of the
      // bank's own PDFs is
      var ownPdf = (bank.formats || []).some(function (f) { return f !== 'generic-pdf' && /-pdf(-|$)/.test(f); });
      (bank.formats || []).forEach(function (f) {
        if (f === 'generic-pdf' && ownPdf) return;
        var label = formatLabel(f);
        if (seen[label]) return;
        seen[label] = true;
        tags.appendChild(el('li', 'tag', label));
      });
      li.appendChild(tags);
      list.appendChild(li);
    });
  }

  function load() {
    fetch('/api/v1/banks', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (data) {
        banks = Array.isArray(data) ? data : (data && data.banks) || [];
        render();
      })
      .catch(function () {
        failed = true;
        render();
      });
  }

  window.bankflowI18n.onChange(function () { if (banks || failed) render(); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', load);
  else load();
})();
