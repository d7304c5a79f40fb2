/* bankflow web app: display formatting. Amounts arrive as decimal strings ("-1234.56") and are
 * formatted as text, digit by digit — never through floating point. */
(function () {
  'use strict';

  function i18n() { return window.bankflowI18n; }

  function groupThousands(digits, sep) {
    var out = '';
    for (var i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
      out += digits.charAt(i);
    }
    return out;
  }

  /** "-1234.56" → {negative: true, text: "1.234,56"} (pt) or "1,234.56" (en); null when not a
   * decimal string. */
  function amountParts(value) {
    if (value === null || value === undefined) return null;
    var m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(String(value).trim());
    if (!m) return null;
    var en = i18n() && i18n().lang() === 'en';
    var intPart = m[2].replace(/^0+(?=\d)/, '');
    var frac = m[3] || '';
    while (frac.length < 2) frac += '0';
    var text = groupThousands(intPart, en ? ',' : '.') + (en ? '.' : ',') + frac;
    var zero = /^0*$/.test(intPart + frac);
    return { negative: m[1] === '-' && !zero, text: text };
  }

  /** A signed amount for display, with a real minus sign. */
  function amount(value) {
    var p = amountParts(value);
    if (!p) return value === null || value === undefined ? '—' : String(value);
    return (p.negative ? '\u2212' : '') + p.text;
  }

  /** An amount with its currency: "1234.56" → "R$ 1.234,56" (pt) or "R$ 1,234.56" (en); a
   * currency other than BRL is written as its ISO code ("USD 12,00"). */
  function money(value, currency) {
    var text = amount(value);
    if (!amountParts(value)) return text;
    var cur = !currency || currency === 'BRL' ? 'R$' : String(currency);
    return cur + '\u00a0' + text;
  }

  /** "2025-03-07" → "07/03/2025" (pt) or "07 Mar 2025" (en). */
  function date(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
    if (!m) return iso || '—';
    if (i18n() && i18n().lang() === 'en') {
      var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      return m[3] + ' ' + months[parseInt(m[2], 10) - 1] + ' ' + m[1];
    }
    return m[3] + '/' + m[2] + '/' + m[1];
  }

  /** An ISO timestamp as local hours:minutes. */
  function time(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    var h = String(d.getHours());
    var min = String(d.getMinutes());
    return (h.length < 2 ? '0' : '') + h + ':' + (min.length < 2 ? '0' : '') + min;
  }

  /** An ISO timestamp as date and local time ("07/03/2025 14:05"); "—" when there is none. */
  function dateTime(iso) {
    return iso ? date(iso) + ' ' + time(iso) : '—';
  }

  /** Bytes in KB/MB with one decimal (a display size, not money). */
  function size(bytes) {
    var en = i18n() && i18n().lang() === 'en';
    var units = ['B', 'KB', 'MB', 'GB'];
    var v = bytes;
    var u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    var s = u === 0 ? String(v) : v.toFixed(1);
    return (en ? s : s.replace('.', ',')) + ' ' + units[u];
  }

  window.bankflowFormat = { amount: amount, amountParts: amountParts, money: money, date: date, time: time, dateTime: dateTime, size: size };
})();
