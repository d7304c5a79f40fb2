/* bankflow web app: /entrar, the login and sign-up forms. Either one signs the visitor in (their
 * anonymous conversions come along) and goes on to ?next= or the wallet. */
(function () {
  'use strict';

  var api = window.bankflowApi;

  window.bankflowI18n.add({
    title_login: 'Log in or sign up — bankflow',
    login_title: 'Log in or sign up',
    login_lead: 'With an account, your wallet, your statements and your API keys are kept — and stay yours when the session expires.',
    login_form_title: 'Log in',
    login_email_label: 'E-mail',
    login_password_label: 'Password',
    login_submit: 'Log in',
    signup_form_title: 'Sign up',
    signup_name_label: 'Name',
    signup_email_label: 'E-mail',
    signup_password_label: 'Password',
    signup_password_hint: 'At least 10 characters; avoid common passwords.',
    signup_submit: 'Sign up'
  });

  /** Where to go once signed in: a path on this site only. */
  function next() {
    var m = /[?&]next=([^&]+)/.exec(window.location.search);
    var path = m ? decodeURIComponent(m[1]) : '';
    return /^\/(?![/\\])/.test(path) ? path : '/carteira';
  }

  function wire(formId, errorId, path, fields) {
    var form = document.getElementById(formId);
    var error = document.getElementById(errorId);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var body = {};
      fields.forEach(function (f) { body[f] = form.elements[f].value; });
      var button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      api.showMessage(error, '');
      api.send('POST', path, body).then(function (res) {
        if (res.ok) { window.location.assign(next()); return; }
        button.disabled = false;
        api.showMessage(error, api.errorText(res));
      });
    });
  }

  wire('login-form', 'login-error', '/auth/login', ['email', 'password']);
  wire('signup-form', 'signup-error', '/auth/signup', ['name', 'email', 'password']);
  window.bankflowAccount.ready.then(function (s) { if (s.user) window.location.replace(next()); });
})();
