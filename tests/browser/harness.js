// Shared by the browser tests: the arguments, headless Debian Chromium (playwright-core), the
// real bankflow-server started on a free port with a temporary data directory, and the checks
// every page gets (console errors, axe, screenshots, horizontal scrolling).
'use strict';

const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function die(msg) {
  console.error(path.basename(process.argv[1]) + ': ' + msg);
  process.exit(1);
}
let chromium;
let axeSource;
try {
  ({ chromium } = require('playwright-core'));
  axeSource = require('axe-core').source;
} catch (e) {
  die('playwright-core / axe-core are not installed: run `npm ci` in tests/browser (scripts/setup.sh does it)');
}

// ---- arguments --------------------------------------------------------------------------------
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const CHROMIUM = args.chromium || process.env.BANKFLOW_CHROMIUM || '/usr/bin/chromium';
const CORPUS = path.resolve(args.corpus || path.join(__dirname, '..', 'corpus'));
const ARTIFACTS = path.resolve(args.artifacts || path.join(process.cwd(), 'browser-artifacts'));
if (!args.cli) die('--cli PATH/bankflow is required');
if (!args.server && !args.url) die('--server PATH/bankflow-server (or --url of a running server) is required');
if (!fs.existsSync(CHROMIUM)) die(`no Chromium at ${CHROMIUM}: install the Debian package \`chromium\` (scripts/setup.sh does it)`);
fs.mkdirSync(ARTIFACTS, { recursive: true });

// Real statements from the corpus: the desktop flow and the phone flow use different banks.

const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

function cli(...a) { return execFileSync(args.cli, a, { maxBuffer: 64 << 20 }); }

function log(msg) { console.log('  ' + msg); }

// ---- the server -------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = 'HTTP ' + r.status;
    } catch (e) { last = e.message; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not answering ${url}: ${last}`);
}

/** Starts bankflow-server with `extra` flags; its log goes to ARTIFACTS/`logName`. Returns
 * {base, dataDir, stop}. */
async function startServer(extra, logName) {
  if (args.url) return { base: args.url.replace(/\/$/, ''), dataDir: null, stop: async () => {} };
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankflow-browser-'));
  const logFile = path.join(ARTIFACTS, logName);
  const out = fs.openSync(logFile, 'w');
  // the default configuration (SQLite, in-process queue) whatever the caller's BANKFLOW_* say
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BANKFLOW_')));
  const child = spawn(args.server, ['--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, ...extra],
    { env, stdio: ['ignore', out, out] });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(base + '/health', 15000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}; exit ${JSON.stringify(exited)}; log:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
  }
  return {
    base,
    dataDir,
    stop: async () => {
      if (exited === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([done, new Promise((r) => setTimeout(r, 10000))]);
        if (exited === null) child.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- helpers ----------------------------------------------------------------------------------
/** Console errors, uncaught exceptions and failed requests of a page, minus the expected ones. */
function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('requestfailed', (r) => {
    // A download is reported as aborted (the browser takes the file), and so is whatever is in
    // flight when the test navigates away: neither is an error a visitor sees.
    const why = (r.failure() && r.failure().errorText) || '';
    if (!/\/download/.test(r.url()) && why !== 'net::ERR_ABORTED') errors.push(`requestfailed: ${r.url()} ${r.failure() && r.failure().errorText}`);
  });
  return errors;
}

async function axeCheck(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = result.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`).join(', ') || 'none';
  log(`axe on ${name}: violations: ${summary}`);
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`), [],
    `serious/critical accessibility violations on ${name}`);
}

/** A full-page screenshot from the top, with no focus ring left over from the test's clicks. */
async function screenshot(page, name) {
  await page.evaluate(() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); });
  await page.waitForTimeout(100);
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

async function noHorizontalScroll(page, name) {
  // against the configured viewport: a mobile browser widens its layout viewport to the content
  const view = page.viewportSize().width;
  const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  w.view = view;
  assert.ok(w.scroll <= view && w.inner <= view, `${name}: page is ${w.scroll}px wide in a ${w.view}px viewport`);
}


/** "1247.46" as the page writes money: "R$ 1.247,46" (pt) or "R$ 1,247.46" (en), no-break space. */
function brl(value, lang) {
  const m = /^([+-]?)(\d+)\.(\d+)$/.exec(value);
  const int = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'en' ? ',' : '.');
  return 'R$\u00a0' + (m[1] === '-' ? '\u2212' : '') + int + (lang === 'en' ? '.' : ',') + m[3];
}


/** Runs `body(browser, server)` against a fresh server and Chromium, then stops both; exits 1 with
 * the stack on failure. `serverArgs` are extra flags for bankflow-server. */
async function run(name, serverArgs, body) {
  const server = await startServer(serverArgs, name + '-server.log');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  let failed = null;
  try {
    log('server at ' + server.base);
    await body(browser, server);
    log('screenshots in ' + ARTIFACTS);
  } catch (e) {
    failed = e;
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  if (failed) {
    console.error('FAILED: ' + (failed.stack || failed));
    process.exit(1);
  }
  console.log(name + '.test: all checks passed');
}

module.exports = {
  args, ARTIFACTS, CORPUS, cli, log, run, watchErrors, axeCheck, screenshot, noHorizontalScroll, brl,
};
