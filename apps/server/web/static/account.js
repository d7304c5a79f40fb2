/* bankflow web app: who is logged in, on every page. The landing page and the demo get an
 * "Entrar" / "Minha conta" link ([data-account-link]); the account pages get the menu with the
 * e-mail and the two ways out ([data-account-menu]), the operator's link for operators, and
 * `bankflowAccount.ready` (a promise of GET /session's answer) for their own scripts. A page
 * that needs a login ([data-needs-login] on <body>) sends a visitor to /entrar. */
(function () {
  'use strict';

  var api = window.bankflowApi;
  var t = window.bankflowI18n.t;
  var user = null;

  function renderLink() {
    var links = document.querySelectorAll('[data-account-link]');
    for (var i = 0; i < links.length; i++) {
      links[i].textContent = t(user ? 'nav_account' : 'nav_login');
      links[i].setAttribute('href', user ? '/carteira' : '/entrar');
    }
  }

  /** Ends this session (or, with `everywhere`, every session of the user) and goes to /entrar. */
  function logOut(everywhere) {
    api.send('POST', '/auth/logout', everywhere ? { everywhere: true } : {}).then(function () {
      window.location.assign('/entrar');
    });
  }

  function renderMenu() {
    var menu = document.querySelector('[data-account-menu]');
    if (!menu || !user) return;
    menu.querySelector('[data-account-email]').textContent = user.email;
    menu.hidden = false;
    var ops = document.querySelectorAll('[data-role="operator"]');
    for (var i = 0; i < ops.length; i++) ops[i].hidden = user.role !== 'operator' && user.role !== 'admin';
  }

  function markCurrent() {
    var links = document.querySelectorAll('.account-nav a');
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('href') === window.location.pathname) links[i].setAttribute('aria-current', 'page');
    }
  }

  function wire() {
    var out = document.querySelector('[data-logout]');
    if (out) out.addEventListener('click', function () { logOut(false); });
    var all = document.querySelector('[data-logout-all]');
    if (all) all.addEventListener('click', function () { logOut(true); });
    markCurrent();
  }

  /** GET /session's answer: fetched here, or heard from the page's own script when it fetches
   * it ([data-session-from] on <body>: two first requests would make two sessions). */
  function session() {
    if (!document.body.hasAttribute('data-session-from')) return api.session();
    return new Promise(function (resolve) {
      document.addEventListener('bankflow:session', function (ev) { resolve(ev.detail); }, { once: true });
    });
  }

  var ready = session().then(function (s) {
    user = s.user || null;
    if (!user && document.body.hasAttribute('data-needs-login')) {
      window.location.replace('/entrar?next=' + encodeURIComponent(window.location.pathname));
      return new Promise(function () {});  // the page is leaving
    }
    renderLink();
    renderMenu();
    return s;
  });

  window.bankflowI18n.onChange(renderLink);
  wire();

  window.bankflowAccount = { ready: ready, logOut: logOut };
})();
