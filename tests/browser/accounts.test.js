#!/usr/bin/env node
// The account pages in a real browser (headless Debian Chromium) against the real
// bankflow-server, started here with the simulated PIX provider confirming after 200 ms.
//
//   node accounts.test.js --server PATH/bankflow-server --cli PATH/bankflow \
//        --corpus tests/corpus --artifacts build/tests/browser-artifacts
//
// Checks: the landing nav says "Entrar", then "Minha conta"; sign-up (a weak password and a
// taken e-mail explained in Portuguese); the wallet: a deposit of 50,00 (its first try lost on
// the way, the retry under the same Idempotency-Key) followed until confirmed,
// a withdrawal beyond the balance refused (saldo insuficiente), one of 10,00 confirmed, the
// history with both rows and a balance of 40,00, "carregar mais"; "Meus extratos" lists a
// conversion whose CSV download is `bankflow convert`'s; API keys: the token shown once with its
// warning and copy button, used by a program (last use shown), revoked (refused at once); log
// out, a wrong password, log in again and the balance is there; "sair de todos os dispositivos"
// ends the other browser's session; too many wrong passwords: "tente em N s"; the audit log for
// an operator made with the CLI, "sem permissão" for a plain user; "Minha conta" (/conta) for a
// new user: a conversion deleted from "Meus extratos" after a confirmation step (then 404), two
// browsers' sessions with one ended from the page, the password changed (wrong current, short,
// common and mismatched refused; the other session ends; old password refused, new one works),
// the export downloaded with the user's e-mail, deletion refused (409) while the wallet holds
// money and done once it is empty (login then fails); the English switch on every new page; axe
// (no serious/critical) on every page; no horizontal scroll at 390 px; screenshots saved.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const {
  args, ARTIFACTS, CORPUS, cli, log, run, watchErrors, axeCheck, screenshot, noHorizontalScroll, brl,
} = require('./harness');

const PASSWORD = 'correct horse battery';
const STATEMENT = path.join(CORPUS, 'bb', 'bb-extrato-new-2025.csv');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 4xx answers and the dropped connection a test provokes on purpose show as console errors;
 * anything else is a bug. */
function unexpected(errors) {
  return errors.filter((e) => !/status of (400|401|403|409|422|429)|net::ERR_CONNECTION_RESET/.test(e));
}

async function fill(page, fields) {
  for (const [sel, value] of Object.entries(fields)) await page.fill(sel, value);
}

/** Submits the sign-up form on /entrar; resolves with the API's answer. */
async function signUp(page, email, password) {
  await fill(page, { '#signup-name': 'Ana Souza', '#signup-email': email, '#signup-password': password });
  const res = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/signup'));
  await page.click('#signup-form button[type="submit"]');
  return res;
}

async function logIn(page, email, password) {
  await fill(page, { '#login-email': email, '#login-password': password });
  const res = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.click('#login-form button[type="submit"]');
  return res;
}

/** Sends a money form and waits until the page says the operation is confirmed. Returns the
 * request's Idempotency-Key. */
async function moneyOperation(page, kind, fields, confirmed) {
  await fill(page, fields);
  const sent = page.waitForRequest((r) => r.method() === 'POST' && /\/api\/v1\/wallet\/(deposits|withdrawals)$/.test(r.url()));
  await page.click(`#${kind}-form button[type="submit"]`);
  const request = await sent;
  const key = request.headers()['idempotency-key'];
  assert.match(key, UUID, 'a fresh UUID per action');
  assert.equal((await request.response()).status(), 201);
  const status = page.locator(`#${kind}-status`);
  await status.waitFor();
  await page.waitForSelector(`#${kind}-status[data-state="posted"]`, { timeout: 20000 });
  assert.equal((await status.textContent()).trim(), confirmed);
  await page.waitForFunction((text) => document.getElementById('live').textContent === text, confirmed);
  return { key, body: JSON.parse(request.postData()) };
}

async function balance(page, field) {
  return page.locator(`#balance [data-field="${field}"]`).getAttribute('data-amount');
}

/** The wallet: deposit, refused and accepted withdrawals, history, balance. */
async function walletFlow(page) {
  await page.waitForSelector('#balance[aria-busy="false"]');
  assert.equal(await balance(page, 'balance'), '0.00');
  assert.ok(await page.isVisible('#history-empty'), 'an empty history says so');
  await axeCheck(page, 'carteira (empty)');

  // the first try never reaches the server (the connection drops): the retry reuses its key
  const firstTry = page.waitForRequest((r) => r.url().endsWith('/wallet/deposits'));
  await page.route('**/api/v1/wallet/deposits', (route) => route.abort('connectionreset'), { times: 1 });
  await fill(page, { '#deposit-amount': '50,00' });
  await page.click('#deposit-form button[type="submit"]');
  const lostKey = (await firstTry).headers()['idempotency-key'];
  await page.waitForSelector('#deposit-error:not([hidden])');
  assert.match(await page.textContent('#deposit-error'), /^Sem conexão com o servidor/);
  const dep = await moneyOperation(page, 'deposit', {}, 'Depósito de R$\u00a050,00 confirmado.');
  assert.deepEqual(dep.body, { amount: '50.00' });
  assert.equal(dep.key, lostKey, 'the retry of the same deposit reuses its Idempotency-Key');
  assert.ok(await page.isHidden('#deposit-error'));
  await page.waitForFunction(() => document.querySelector('#balance [data-field="balance"]').getAttribute('data-amount') === '50.00');
  log('deposit of 50,00: a dropped connection explained, the retry with the same key pending, then ' +
    '"Depósito de R$ 50,00 confirmado." (webhook of the simulated provider)');

  // beyond the balance: refused with the reason, nothing sent to the provider
  await fill(page, { '#withdraw-amount': '100,00', '#withdraw-destination': 'ana@example.com' });
  const refused = page.waitForResponse((r) => r.url().endsWith('/wallet/withdrawals'));
  await page.click('#withdraw-form button[type="submit"]');
  assert.equal((await refused).status(), 422);
  await page.waitForSelector('#withdraw-error:not([hidden])');
  assert.equal((await page.textContent('#withdraw-error')).trim(), 'Saldo insuficiente para este saque.');
  assert.equal(await page.getAttribute('#withdraw-error', 'role'), 'alert');
  log('withdrawal of 100,00: "Saldo insuficiente para este saque."');

  const wd = await moneyOperation(page, 'withdraw', { '#withdraw-amount': '10,00', '#withdraw-destination': 'ana@example.com' },
    'Saque de R$\u00a010,00 concluído.');
  assert.deepEqual(wd.body, { amount: '10.00', destination: 'ana@example.com' });
  assert.notEqual(wd.key, dep.key, 'each action has its own Idempotency-Key');
  await page.waitForFunction(() => document.querySelector('#balance [data-field="balance"]').getAttribute('data-amount') === '40.00');
  assert.ok(await page.isHidden('#withdraw-error'), 'the old error is gone');

  const rows = await page.$$eval('#history tbody tr', (trs) => trs.map((tr) => ({
    direction: tr.getAttribute('data-direction'), state: tr.getAttribute('data-state'),
    amount: tr.querySelector('.amt').getAttribute('data-amount'), text: tr.textContent,
  })));
  assert.deepEqual(rows.map((r) => [r.direction, r.state, r.amount]), [['out', 'posted', '10.00'], ['in', 'posted', '50.00']]);
  assert.match(rows[0].text, /Saque PIX.*ana@example\.com.*Confirmado.*\u221210,00/);
  assert.match(rows[1].text, /Depósito PIX.*Confirmado.*R\$\u00a050,00/);
  assert.equal(await page.textContent('#balance [data-field="balance"]'), brl('40.00'));
  log(`history: ${rows.length} rows (withdrawal 10,00, deposit 50,00), balance ${await page.textContent('#balance [data-field="balance"]')}`);
}

/** "Carregar mais": more operations than one page, made through the API by the page's session. */
async function historyPages(page) {
  await page.evaluate(async () => {
    const s = await (await fetch('/api/v1/session')).json();
    for (let i = 0; i < 10; i++) {
      await fetch('/api/v1/wallet/deposits', {
        method: 'POST', body: JSON.stringify({ amount: '1.00' }),
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token, 'Idempotency-Key': crypto.randomUUID() },
      });
    }
  });
  // every deposit confirmed: the wallet holds 40 + 10
  for (let i = 0; i < 100; i++) {
    const b = await page.evaluate(async () => (await (await fetch('/api/v1/wallet')).json()).balance);
    if (b === '50.00') break;
    await page.waitForTimeout(200);
  }
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForSelector('#history-more:not([hidden])');
  const before = await page.locator('#history tbody tr').count();
  await page.click('#history-more');
  await page.waitForFunction((n) => document.querySelectorAll('#history tbody tr').length > n, before);
  const after = await page.locator('#history tbody tr').count();
  assert.equal(after, 12, 'every operation listed once after "carregar mais"');
  assert.ok(await page.isHidden('#history-more'), 'no more pages');
  log(`"carregar mais": ${before} operations, then all ${after}`);
}

/** Converts STATEMENT on /demo, then opens "Meus extratos": the conversion's item there. */
async function convertAndList(page, B) {
  await page.goto(B + '/demo', { waitUntil: 'networkidle' });
  await page.setInputFiles('#file-input', STATEMENT);
  await page.waitForSelector('.job[data-status="completed"]', { timeout: 20000 });
  await page.goto(B + '/carteira#extratos', { waitUntil: 'networkidle' });
  const item = page.locator('#statements .job[data-status="completed"]');
  await item.waitFor();
  return item;
}

/** "Meus extratos": a conversion made while logged in, with its downloads. */
async function statements(page, B) {
  const item = await convertAndList(page, B);
  assert.equal(await item.locator('.job-filename').textContent(), path.basename(STATEMENT));
  assert.match(await item.locator('.job-meta').textContent(), /Banco do Brasil · \d+ lançamentos/);
  const [dl] = await Promise.all([page.waitForEvent('download'), item.locator('a[data-download="csv"]').click()]);
  const bytes = fs.readFileSync(await dl.path());
  assert.ok(bytes.equals(cli('convert', STATEMENT, '--to', 'csv')), 'the CSV download is bankflow convert\'s');
  const [book] = await Promise.all([page.waitForEvent('download'), item.locator('a[data-download="xlsx"]').click()]);
  assert.ok(fs.readFileSync(await book.path()).equals(cli('convert', STATEMENT, '--to', 'xlsx', '-o', '-')),
    'the Excel (.xlsx) download is bankflow convert --to xlsx\'s');
  log(`Meus extratos: ${path.basename(STATEMENT)} listed, CSV and Excel (.xlsx) downloads identical to bankflow convert`);
}

/** "Chaves de API": create (token once, copy), use, revoke. */
async function apiKeys(page, B) {
  await page.goto(B + '/chaves', { waitUntil: 'networkidle' });
  await page.waitForSelector('#keys-empty:not([hidden])');
  await axeCheck(page, 'chaves (empty)');
  await page.fill('#key-name', 'planilha do escritório');
  await page.selectOption('#key-scope', 'read');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/api-keys') && r.request().method() === 'POST');
  await page.click('#key-form button[type="submit"]');
  assert.equal((await created).status(), 201);
  await page.waitForSelector('#token-box:not([hidden])');
  const token = (await page.textContent('#token')).trim();
  assert.match(token, /^bf_live_[0-9a-f]+_[0-9a-f]+$/);
  assert.match(await page.textContent('.token-warning'), /não será mostrada de novo/);
  assert.ok(await page.evaluate(() => document.activeElement.id === 'token-box'), 'focus moves to the token');
  await page.click('#token-copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token, 'the copy button copies the token');
  const row = page.locator('#keys tbody tr', { hasText: 'planilha do escritório' });
  await row.waitFor();
  assert.match(await row.textContent(), /Somente leitura.*Nunca usada/);
  await axeCheck(page, 'chaves (token shown)');
  await screenshot(page, 'chaves-desktop.png');

  // a program uses it; the page shows the last use and never the token again
  const bearer = (t) => fetch(B + '/api/v1/wallet', { headers: { Authorization: 'Bearer ' + t } });
  assert.equal((await bearer(token)).status, 200);
  await page.reload({ waitUntil: 'networkidle' });
  await row.waitFor();
  assert.doesNotMatch(await row.textContent(), /Nunca usada/);
  assert.ok(await page.isHidden('#token-box'));
  assert.ok(!(await page.content()).includes(token), 'the token is shown once only');

  await row.locator('button', { hasText: 'Revogar' }).click();
  await page.waitForFunction(() => /Revogada em/.test(document.querySelector('#keys tbody tr').textContent));
  await page.waitForFunction(() => /revogada/.test(document.getElementById('live').textContent));
  assert.equal((await bearer(token)).status, 401, 'a revoked key is refused at once');
  log('API key: token shown once (copied), used by a program (last use shown), revoked and refused');
}

/** The English switch on a page: the heading changes and the choice is kept. */
async function english(page, name, heading) {
  await page.click('[data-lang-toggle]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal((await page.textContent('h1')).trim(), heading);
  await axeCheck(page, name + ' (en)');
}

/** The audit log: an operator sees it, filters it; a plain user is told they have no permission. */
async function operator(browser, B, dataDir, userPage) {
  await userPage.goto(B + '/operador', { waitUntil: 'networkidle' });
  await userPage.waitForSelector('#ops-denied:not([hidden])');
  assert.match(await userPage.textContent('#ops-denied'), /^Sem permissão/);
  assert.ok(await userPage.isHidden('#ops-panel'));
  assert.ok(await userPage.isHidden('.account-nav a[href="/operador"]'), 'no operator link for a plain user');
  await axeCheck(userPage, 'operador (no permission)');
  log(`plain user on /operador: "${await userPage.textContent('#ops-denied')}"`);

  // more than one page of the audit log (50 rows): keys made by the user's page
  await userPage.evaluate(async () => {
    const s = await (await fetch('/api/v1/session')).json();
    for (let i = 0; i < 50; i++) {
      await fetch('/api/v1/api-keys', {
        method: 'POST', body: JSON.stringify({ name: 'lote ' + i, scope: 'read' }),
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
      });
    }
  });

  execFileSync(args.cli, ['accounts', 'create', '--email', 'op@example.com', '--role', 'operator', '--data-dir', dataDir],
    { env: { ...process.env, BANKFLOW_PASSWORD: PASSWORD } });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'pt-BR' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(B + '/entrar?next=/operador', { waitUntil: 'networkidle' });
  await logIn(page, 'op@example.com', PASSWORD);
  await page.waitForURL(B + '/operador');
  await page.waitForSelector('#audit tbody tr');
  assert.ok(await page.isVisible('.account-nav a[href="/operador"]'));
  // one page of 50, then "carregar mais": the rest, no row twice
  assert.equal(await page.locator('#audit tbody tr').count(), 50);
  await page.click('#audit-more');
  await page.waitForFunction(() => document.querySelectorAll('#audit tbody tr').length > 50);
  const rows = await page.$$eval('#audit tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-id'), tr.getAttribute('data-action')]));
  assert.equal(new Set(rows.map((r) => r[0])).size, rows.length, 'every audit row once');
  const actions = rows.map((r) => r[1]);
  for (const a of ['signup', 'login', 'login_failed', 'key_created', 'key_revoked', 'logout', 'user_created'])
    assert.ok(actions.includes(a), `the audit log shows ${a}: ${actions.join(' ')}`);
  log(`audit "carregar mais": 50 rows, then ${rows.length}`);

  await page.selectOption('#audit-action', 'login_failed');
  await page.click('#audit-filter button[type="submit"]');
  await page.waitForFunction(() => [...document.querySelectorAll('#audit tbody tr')].every((tr) => tr.getAttribute('data-action') === 'login_failed'));
  assert.ok(await page.locator('#audit tbody tr').count() >= 1);
  await axeCheck(page, 'operador');
  await screenshot(page, 'operador-desktop.png');
  await english(page, 'operador', 'Operator: audit log');
  assert.equal((await page.textContent('#audit thead th:nth-child(3)')).trim(), 'Who');
  log(`operator: ${actions.length} audit rows, filtered to login_failed; English works`);
  await page.setViewportSize({ width: 390, height: 844 });
  await noHorizontalScroll(page, 'operador at 390px');
  await screenshot(page, 'operador-mobile.png');
  assert.deepEqual(unexpected(errors), [], 'operator page errors');
  await ctx.close();
}

/** Too many wrong passwords for one account: the form says when to try again. */
async function rateLimited(browser, B) {
  const ctx = await browser.newContext({ locale: 'pt-BR' });
  const page = await ctx.newPage();
  await page.goto(B + '/entrar', { waitUntil: 'networkidle' });
  assert.equal((await signUp(page, 'bia@example.com', PASSWORD)).status(), 201);
  await page.waitForURL(B + '/carteira');
  await page.click('[data-logout]');
  await page.waitForURL(B + '/entrar');
  await page.evaluate(async () => {
    const s = await (await fetch('/api/v1/session')).json();
    for (let i = 0; i < 20; i++) {
      await fetch('/api/v1/auth/login', {
        method: 'POST', body: JSON.stringify({ email: 'bia@example.com', password: 'not the password' }),
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
      });
    }
  });
  await page.reload({ waitUntil: 'networkidle' });
  assert.equal((await logIn(page, 'bia@example.com', PASSWORD)).status(), 429);
  await page.waitForSelector('#login-error:not([hidden])');
  const text = (await page.textContent('#login-error')).trim();
  assert.match(text, /^Muitas tentativas — tente em \d+ s\.$/);
  log(`21st login of one account: "${text}"`);
  await ctx.close();
}

/** A call to the API from the page, with the session's cookie and CSRF token: {status, data}. */
async function apiCall(page, method, apiPath, body, headers) {
  return page.evaluate(async ([m, p, b, h]) => {
    const s = await (await fetch('/api/v1/session')).json();
    const r = await fetch('/api/v1/' + p, {
      method: m, body: b === undefined ? undefined : JSON.stringify(b),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token, ...h },
    });
    return { status: r.status, data: await r.json().catch(() => null) };
  }, [method, apiPath, body, headers || {}]);
}

/** The status of a GET with the page's cookies (outside the page: a 404 is no console error). */
async function getStatus(page, B, apiPath) {
  return (await page.request.get(B + '/api/v1/' + apiPath)).status();
}

/** Waits until the wallet's balance and pending amounts are `balance` and zero. */
async function waitForWallet(page, B, balance) {
  let w;
  for (let i = 0; i < 100; i++) {
    w = await (await page.request.get(B + '/api/v1/wallet')).json();
    if (w.balance === balance && w.pending_in === '0.00' && w.pending_out === '0.00') return;
    await page.waitForTimeout(200);
  }
  assert.fail(`the wallet never settled at ${balance}: ${JSON.stringify(w)}`);
}

/** The rows of the sessions table on /conta: [{current, text}]. */
async function sessionRows(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('#sessions tbody tr').length === n, count);
  return page.$$eval('#sessions tbody tr', (trs) => trs.map((tr) => ({ current: tr.hasAttribute('data-current'), text: tr.textContent })));
}

/** "Meus extratos": a conversion deleted after the confirmation step; its row goes, the API says 404. */
async function deleteStatement(page, B) {
  const item = await convertAndList(page, B);
  const id = await item.getAttribute('data-job-id');
  assert.equal(await getStatus(page, B, 'bank-statements/jobs/' + id), 200);
  const trigger = item.locator('button[data-delete]');
  assert.equal(await trigger.getAttribute('aria-label'), 'Excluir ' + path.basename(STATEMENT));
  await trigger.click();
  const box = item.locator('.confirm-box');
  assert.match(await box.textContent(), /^Excluir “bb-extrato-new-2025\.csv” e os arquivos gerados\?/);
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('confirm-box')), 'focus moves to the question');
  assert.ok(await trigger.isHidden(), 'the question takes the button\'s place');
  await axeCheck(page, 'carteira (delete a statement?)');
  await box.locator('button', { hasText: 'Cancelar' }).click();
  assert.equal(await item.locator('.confirm-box').count(), 0, 'cancel takes the question away');
  assert.ok(await trigger.isVisible(), 'cancel puts the button back');
  assert.equal(await getStatus(page, B, 'bank-statements/jobs/' + id), 200, 'cancel deletes nothing');
  await trigger.click();
  const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith('/bank-statements/jobs/' + id));
  await box.locator('button', { hasText: 'Sim, excluir' }).click();
  assert.equal((await deleted).status(), 200);
  await page.waitForSelector('#statements-empty:not([hidden])');
  assert.equal(await page.locator('#statements .job').count(), 0, 'the row is gone');
  await page.waitForFunction(() => /excluído/.test(document.getElementById('live').textContent));
  assert.equal(await getStatus(page, B, 'bank-statements/jobs/' + id), 404, 'the job is gone');
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForSelector('#statements-empty:not([hidden])');
  log('Meus extratos: "Excluir" asks first (cancel keeps it), then the row goes and GET of the job is 404');
  return id;
}

/** /conta: the sessions of two browsers, one ended from the page. */
async function endOtherSession(page, other, B, email) {
  await other.goto(B + '/entrar', { waitUntil: 'networkidle' });
  assert.equal((await logIn(other, email, PASSWORD)).status(), 200);
  await other.waitForURL(B + '/carteira');
  await page.goto(B + '/conta', { waitUntil: 'networkidle' });
  const rows = await sessionRows(page, 2);
  assert.deepEqual(rows.map((r) => r.current).sort(), [false, true]);
  // each with the device it was begun from (headless Chromium on Linux) and its address
  assert.match(rows.find((r) => r.current).text, /^Esta sessãoChrome · Linuxde 127\.0\.0\.1/);
  assert.match(rows.find((r) => !r.current).text, /^Outro navegadorChrome · Linuxde 127\.0\.0\.1.*Encerrar$/);
  assert.equal(await page.locator('#sessions tbody tr[data-current] button').count(), 0, 'this session has no "Encerrar"');
  await axeCheck(page, 'conta (two sessions)');
  const ended = page.waitForResponse((r) => r.request().method() === 'DELETE' && /\/auth\/sessions\/[0-9a-f]+$/.test(r.url()));
  await page.click('#sessions tbody tr:not([data-current]) button');
  assert.equal((await ended).status(), 200);
  assert.equal((await sessionRows(page, 1))[0].current, true);
  await page.waitForFunction(() => document.getElementById('live').textContent === 'Sessão encerrada.');
  await other.reload();
  await other.waitForURL(/\/entrar\?next=%2Fcarteira$/);
  log('/conta: two sessions ("Esta sessão" and "Outro navegador"), "Encerrar" logs the other browser out');
}

/** /conta: the password form's refusals, then a change that ends the other session. */
async function changePassword(page, other, B, email, newPassword) {
  await other.waitForLoadState('networkidle');
  assert.equal((await logIn(other, email, PASSWORD)).status(), 200);
  await other.waitForURL(B + '/carteira');
  await page.reload({ waitUntil: 'networkidle' });
  await sessionRows(page, 2);
  const attempt = async (fields) => {
    await fill(page, { '#password-current': fields[0], '#password-new': fields[1], '#password-confirm': fields[2] });
    const res = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password'));
    await page.click('#password-form button[type="submit"]');
    return (await res).status();
  };
  const errorText = async () => {
    await page.waitForSelector('#password-error:not([hidden])');
    return (await page.textContent('#password-error')).trim();
  };
  assert.equal(await attempt(['not the password', newPassword, newPassword]), 401);
  assert.equal(await errorText(), 'A senha atual está incorreta.');
  assert.equal(await attempt([PASSWORD, 'curta', 'curta']), 422);
  assert.match(await errorText(), /^Senha fraca/);
  assert.equal(await attempt([PASSWORD, 'password123', 'password123']), 422, 'a common password');
  assert.match(await errorText(), /^Senha fraca/);
  let asked = false;
  page.on('request', (r) => { if (r.url().endsWith('/auth/password')) asked = true; });
  await fill(page, { '#password-current': PASSWORD, '#password-new': newPassword, '#password-confirm': newPassword + 'x' });
  await page.click('#password-form button[type="submit"]');
  await page.waitForFunction(() => /não é igual/.test(document.getElementById('password-error').textContent));
  assert.equal(asked, false, 'a mismatched confirmation is not sent');
  assert.equal(await attempt([PASSWORD, newPassword, newPassword]), 200);
  await page.waitForSelector('#password-done:not([hidden])');
  assert.match(await page.textContent('#password-done'), /^Senha alterada\. As outras sessões foram encerradas/);
  assert.ok(await page.isHidden('#password-error'));
  assert.equal(await page.inputValue('#password-new'), '', 'the form is cleared');
  assert.equal((await sessionRows(page, 1))[0].current, true, 'this session stays; the other one ended');
  await axeCheck(page, 'conta (password changed)');
  await other.reload();
  await other.waitForURL(/\/entrar\?next=%2Fcarteira$/);
  await other.waitForLoadState('networkidle');
  assert.equal((await logIn(other, email, PASSWORD)).status(), 401, 'the old password is refused');
  assert.equal((await logIn(other, email, newPassword)).status(), 200, 'the new password logs in');
  await other.waitForURL(B + '/carteira');
  log('/conta password: wrong current, short and common passwords and a mismatch explained; changed, ' +
    'the other browser logged out, the old password refused and the new one accepted');
}

/** /conta: "Baixar meus dados" downloads the account's JSON; the deleted statement is not in it. */
async function exportData(page, email, deletedJob) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-link')]);
  const data = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
  assert.equal(data.user.email, email);
  assert.ok(Array.isArray(data.sessions) && data.sessions.length >= 1);
  assert.ok(data.audit.some((a) => a.action === 'password_changed'), 'the audit rows about the user');
  assert.ok(!data.jobs.some((j) => j.job.id === deletedJob), 'a deleted statement is not exported');
  log(`/conta export: ${dl.suggestedFilename()} holds ${email}, ${data.audit.length} audit rows, no deleted job`);
}

/** /conta: "Excluir minha conta" refused while the wallet holds money, then done on an empty one. */
async function eraseAccount(page, other, B, email, password) {
  assert.equal((await apiCall(page, 'POST', 'wallet/deposits', { amount: '5.00' }, { 'Idempotency-Key': randomUUID() })).status, 201);
  await waitForWallet(page, B, '5.00');
  await page.click('#erase-start');
  const box = page.locator('#erase-panel .confirm-box');
  assert.equal((await box.locator('.confirm-question').textContent()), `Excluir a conta ${email} para sempre? Isso não pode ser desfeito.`);
  assert.ok(await page.isHidden('#erase-start'));
  await box.locator('button', { hasText: 'Cancelar' }).click();
  assert.ok(await page.evaluate(() => document.activeElement.id === 'erase-start'), 'cancel gives the focus back');
  await page.click('#erase-start');
  const yes = box.locator('button', { hasText: 'Sim, excluir minha conta' });
  const refused = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith('/api/v1/auth/me'));
  await yes.click();
  assert.equal((await refused).status(), 409);
  await box.locator('.form-error:not([hidden])').waitFor();
  assert.match(await box.locator('.form-error').textContent(), /^Sua carteira ainda tem saldo/);
  assert.equal(await box.locator('.form-error').getAttribute('role'), 'alert');
  await axeCheck(page, 'conta (erase refused)');
  await screenshot(page, 'conta-desktop.png');
  assert.equal(await getStatus(page, B, 'auth/me'), 200, 'the account is still there');
  log('/conta erase with R$ 5,00 in the wallet: 409, "Sua carteira ainda tem saldo…"');

  assert.equal((await apiCall(page, 'POST', 'wallet/withdrawals', { amount: '5.00', destination: email },
    { 'Idempotency-Key': randomUUID() })).status, 201);
  await waitForWallet(page, B, '0.00');
  const erased = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith('/api/v1/auth/me'));
  await yes.click();
  assert.equal((await erased).status(), 200);
  await page.waitForSelector('#erased:not([hidden])');
  assert.equal((await page.textContent('#erased h2')).trim(), 'Sua conta foi excluída');
  assert.ok(await page.isHidden('#erase-panel') && await page.isHidden('#password-panel'));
  assert.ok(await page.evaluate(() => document.activeElement.id === 'erased'));
  await axeCheck(page, 'conta (erased)');
  assert.equal(await getStatus(page, B, 'auth/me'), 401, 'this browser is logged out');
  await other.reload();
  await other.waitForURL(/\/entrar\?next=%2Fcarteira$/);
  await other.waitForLoadState('networkidle');
  assert.equal((await logIn(other, email, password)).status(), 401, 'an erased account cannot log in');
  log('/conta erase on an empty wallet: "Sua conta foi excluída", both browsers out, login refused');
}

/** /conta ("Minha conta"), and deleting a statement from "Meus extratos", for a new user. */
async function accountPage(browser, B) {
  const EMAIL = 'carla@example.com';
  const NEW_PASSWORD = 'another horse battery';
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'pt-BR' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(B + '/entrar?next=/conta', { waitUntil: 'networkidle' });
  assert.equal((await signUp(page, EMAIL, PASSWORD)).status(), 201);
  await page.waitForURL(B + '/conta');
  assert.equal(await page.getAttribute('.account-nav a[href="/conta"]', 'aria-current'), 'page');
  assert.equal((await page.textContent('.account-nav a[href="/conta"]')).trim(), 'Minha conta');
  const rows = await sessionRows(page, 1);
  assert.ok(rows[0].current && /^Esta sessão/.test(rows[0].text));
  await axeCheck(page, 'conta');

  const deletedJob = await deleteStatement(page, B);
  const otherCtx = await browser.newContext({ locale: 'pt-BR' });
  const other = await otherCtx.newPage();
  await endOtherSession(page, other, B, EMAIL);
  await changePassword(page, other, B, EMAIL, NEW_PASSWORD);
  await exportData(page, EMAIL, deletedJob);
  await english(page, 'conta', 'My account');
  assert.match((await page.textContent('#sessions tbody tr[data-current] td')).trim(), /^This session.*from 127\.0\.0\.1$/);
  await page.click('[data-lang-toggle]');
  await page.setViewportSize({ width: 390, height: 844 });
  await noHorizontalScroll(page, 'conta at 390px');
  await screenshot(page, 'conta-mobile.png');
  await page.setViewportSize({ width: 1280, height: 900 });
  await eraseAccount(page, other, B, EMAIL, NEW_PASSWORD);
  assert.deepEqual(unexpected(errors), [], '/conta page errors');
  await otherCtx.close();
  await ctx.close();
}

async function main() {
  await run('accounts', ['--provider-delay-ms', '200'], async (browser, server) => {
    const B = server.base;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'pt-BR' });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: B });
    const page = await ctx.newPage();
    const errors = watchErrors(page);

    // a visitor: "Entrar" on the landing page; the wallet sends them to /entrar
    await page.goto(B + '/', { waitUntil: 'networkidle' });
    await page.waitForFunction(() => document.querySelector('[data-account-link]').getAttribute('href') === '/entrar');
    assert.equal((await page.textContent('[data-account-link]')).trim(), 'Entrar');
    await page.goto(B + '/carteira');
    await page.waitForURL(B + '/entrar?next=%2Fcarteira');
    await page.waitForLoadState('networkidle');
    await axeCheck(page, 'entrar');
    await screenshot(page, 'entrar-desktop.png');

    // sign-up: the server's refusals in Portuguese, then the account
    assert.equal((await signUp(page, 'ana@example.com', 'curta')).status(), 422);
    await page.waitForSelector('#signup-error:not([hidden])');
    assert.match(await page.textContent('#signup-error'), /^Senha fraca/);
    assert.equal((await signUp(page, 'ana@example.com', PASSWORD)).status(), 201);
    await page.waitForURL(B + '/carteira');
    await page.waitForSelector('[data-account-menu]:not([hidden])');
    assert.equal(await page.textContent('[data-account-email]'), 'ana@example.com');
    assert.equal(await page.getAttribute('.account-nav a[href="/carteira"]', 'aria-current'), 'page');
    log('sign-up: weak password explained ("Senha fraca…"), account created, menu shows ana@example.com');

    await walletFlow(page);
    await screenshot(page, 'carteira-desktop.png');
    await english(page, 'carteira', 'My wallet');
    assert.match(await page.textContent('#history tbody tr:first-child'), /PIX withdrawal.*Confirmed.*\u221210\.00/);
    assert.equal(await page.textContent('#balance [data-field="balance"]'), brl('40.00', 'en'));
    await page.reload({ waitUntil: 'networkidle' });
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the language choice persists');
    assert.equal((await page.textContent('[data-logout-all]')).trim(), 'Log out on every device');
    await page.click('[data-lang-toggle]');
    assert.equal(await page.getAttribute('html', 'lang'), 'pt-BR');

    await statements(page, B);
    await apiKeys(page, B);
    await english(page, 'chaves', 'API keys');
    await page.click('[data-lang-toggle]');

    // the landing page now says "Minha conta"
    await page.goto(B + '/', { waitUntil: 'networkidle' });
    await page.waitForFunction(() => document.querySelector('[data-account-link]').getAttribute('href') === '/carteira');
    assert.equal((await page.textContent('[data-account-link]')).trim(), 'Minha conta');

    // log out, a wrong password, log in again: the money is still there
    await page.goto(B + '/carteira', { waitUntil: 'networkidle' });
    await page.click('[data-logout]');
    await page.waitForURL(B + '/entrar');
    await page.waitForLoadState('networkidle');
    assert.equal((await logIn(page, 'ana@example.com', 'not the password')).status(), 401);
    await page.waitForSelector('#login-error:not([hidden])');
    assert.equal((await page.textContent('#login-error')).trim(), 'E-mail ou senha incorretos.');
    assert.equal((await signUp(page, 'ana@example.com', PASSWORD)).status(), 409);
    await page.waitForFunction(() => /já está cadastrado/.test(document.getElementById('signup-error').textContent));
    await english(page, 'entrar', 'Log in or sign up');
    await page.click('[data-lang-toggle]');
    assert.equal((await logIn(page, 'ana@example.com', PASSWORD)).status(), 200);
    await page.waitForURL(B + '/carteira');
    await page.waitForSelector('#balance[aria-busy="false"]');
    assert.equal(await balance(page, 'balance'), '40.00');
    log('logged out, "E-mail ou senha incorretos.", "já está cadastrado", logged in again: balance 40,00');

    await historyPages(page);
    await operator(browser, B, server.dataDir, page);

    // "sair de todos os dispositivos" ends the other browser's session too
    const other = await browser.newContext({ locale: 'pt-BR' });
    const otherPage = await other.newPage();
    await otherPage.goto(B + '/entrar', { waitUntil: 'networkidle' });
    await logIn(otherPage, 'ana@example.com', PASSWORD);
    await otherPage.waitForURL(B + '/carteira');
    await page.goto(B + '/carteira', { waitUntil: 'networkidle' });
    await page.click('[data-logout-all]');
    await page.waitForURL(B + '/entrar');
    await otherPage.reload();
    await otherPage.waitForURL(/\/entrar\?next=%2Fcarteira$/);
    log('"Sair de todos os dispositivos": the other browser is sent to /entrar');
    await other.close();

    await rateLimited(browser, B);
    await accountPage(browser, B);
    assert.deepEqual(unexpected(errors), [], 'page errors');
    await ctx.close();

    // a phone: every page fits 390 px
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'pt-BR' });
    const m = await phone.newPage();
    const phoneErrors = watchErrors(m);
    await m.goto(B + '/entrar', { waitUntil: 'networkidle' });
    await noHorizontalScroll(m, 'entrar at 390px');
    await screenshot(m, 'entrar-mobile.png');
    await logIn(m, 'ana@example.com', PASSWORD);
    await m.waitForURL(B + '/carteira');
    await m.waitForSelector('#history tbody tr');
    await m.waitForLoadState('networkidle');
    await noHorizontalScroll(m, 'carteira at 390px');
    await axeCheck(m, 'carteira (phone)');
    await screenshot(m, 'carteira-mobile.png');
    await m.goto(B + '/chaves', { waitUntil: 'networkidle' });
    await m.waitForSelector('#keys tbody tr');
    await noHorizontalScroll(m, 'chaves at 390px');
    await screenshot(m, 'chaves-mobile.png');
    await m.goto(B + '/operador', { waitUntil: 'networkidle' });
    await m.waitForSelector('#ops-denied:not([hidden])');
    await noHorizontalScroll(m, 'operador (no permission) at 390px');
    await m.goto(B + '/', { waitUntil: 'networkidle' });
    await noHorizontalScroll(m, 'landing (logged in) at 390px');
    await m.goto(B + '/demo', { waitUntil: 'networkidle' });
    await noHorizontalScroll(m, 'demo (logged in) at 390px');
    assert.deepEqual(unexpected(phoneErrors), [], 'phone page errors');
    log('phone: entrar, carteira, chaves, operador, landing and demo fit 390px');
    await phone.close();
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
