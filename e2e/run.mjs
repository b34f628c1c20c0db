// Browser tests for stadtradar: open pages as a person would (mouse and
// keyboard), check accessibility with axe-core (WCAG 2.0/2.1 A + AA) and save
// a full-page screenshot of every page visited to e2e/screenshots/<name>.png.
//
// Run:  E2E_BASE_URL=http://127.0.0.1:8080 node --test --test-reporter=spec run.mjs
// The server must already be running; see run.sh.
//
// The login journeys need three variables (.ci/run sets them); when one is missing they FAIL,
// naming it, rather than being skipped:
//   E2E_PASSWORD_LINK  the one-time link `stadtradar user add --role admin` printed
//   E2E_ADMIN_EMAIL    that admin's e-mail address
//   E2E_OUTBOX_DIR     the server's outbox folder (STADTRADAR_OUTBOX_DIR; no SMTP server set)
// E2E_ANONYMOUS_ONLY=1 runs only the anonymous tests, and says loudly which journeys it left out.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

const BASE = (process.env.E2E_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const BASE_ORIGIN = new URL(BASE).origin;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_SOURCE = `${readFileSync(AXE_PATH, 'utf8')}\n;window.axe = axe; true;`;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const TEST_OPTS = { timeout: 120_000 };

// ------------------------------------------------- the login journeys' environment

const LOGIN_ENV = {
  E2E_PASSWORD_LINK: 'the one-time link printed by `stadtradar user add --email … --role admin`',
  E2E_ADMIN_EMAIL: 'the e-mail address of that admin',
  E2E_OUTBOX_DIR: "the server's outbox folder (STADTRADAR_OUTBOX_DIR, mail as .eml files)",
};
const ANONYMOUS_ONLY = process.env.E2E_ANONYMOUS_ONLY === '1';
const LOGIN_ENV_PROBLEMS = Object.entries(LOGIN_ENV)
  .filter(([name]) => !(process.env[name] ?? '').trim())
  .map(([name, what]) => `${name} is not set (${what})`);
if (process.env.E2E_PASSWORD_LINK && !/\/konto\/passwort-setzen\?token=./.test(process.env.E2E_PASSWORD_LINK)) {
  LOGIN_ENV_PROBLEMS.push(`E2E_PASSWORD_LINK is not a set-password link (…/konto/passwort-setzen?token=…): ${process.env.E2E_PASSWORD_LINK}`);
}
const LOGIN_JOURNEYS = []; // names of the journeys that need LOGIN_ENV

function banner(lines) {
  const bar = '!'.repeat(78);
  console.error([bar, ...lines.map((l) => `!! ${l}`), bar].join('\n'));
}

function announceAnonymousOnly() {
  banner([
    `E2E_ANONYMOUS_ONLY=1: ${LOGIN_JOURNEYS.length} login journeys were NOT run:`,
    ...LOGIN_JOURNEYS.map((n) => `  - ${n}`),
    'This run does not test logins, the account pages or the back office.',
  ]);
}

/**
 * A journey that signs in. Without its environment it fails with a message naming what is
 * missing; with E2E_ANONYMOUS_ONLY=1 it is skipped (and listed loudly at start and end).
 * `opts` go to node:test (a longer `timeout` for a journey that waits for the server's clock).
 */
function loginTest(name, fn, opts = {}) {
  LOGIN_JOURNEYS.push(name);
  const skip = ANONYMOUS_ONLY && 'E2E_ANONYMOUS_ONLY=1: login journey not run';
  test(name, { ...TEST_OPTS, ...opts, skip }, async (t) => {
    if (LOGIN_ENV_PROBLEMS.length > 0) {
      assert.fail(
        `this login journey cannot run: ${LOGIN_ENV_PROBLEMS.join('; ')}. ` +
          'Set them as .ci/run does (it starts the server with STADTRADAR_OUTBOX_DIR and creates the admin with ' +
          '`stadtradar user add`), or set E2E_ANONYMOUS_ONLY=1 to run only the anonymous tests.',
      );
    }
    await fn(t);
  });
}

if (!ANONYMOUS_ONLY && LOGIN_ENV_PROBLEMS.length > 0) {
  banner(['The login journeys will FAIL:', ...LOGIN_ENV_PROBLEMS.map((p) => `  ${p}`), 'Set E2E_ANONYMOUS_ONLY=1 to run only the anonymous tests.']);
}

let browser;
let ctx; // JavaScript enabled (the default browser a person uses)
let noJsCtx; // JavaScript disabled
const requests = []; // every request of the whole run, both contexts
const pageErrors = []; // uncaught JavaScript exceptions
const failedResources = []; // sub-resources (CSS, images, ...) that failed or answered >= 400

function record(context, label) {
  context.on('request', (req) => requests.push({ url: req.url(), ctx: label }));
  context.on('response', (res) => {
    const req = res.request();
    if (req.resourceType() !== 'document' && res.status() >= 400) {
      failedResources.push(`${res.status()} ${res.url()} (${req.resourceType()}, ${label})`);
    }
  });
  context.on('requestfailed', (req) => {
    if (req.failure()?.errorText === 'csp' && isScriptingCopy(req)) return; // blocked on purpose, see scriptingCopy
    if (req.resourceType() !== 'document' && req.failure()?.errorText !== 'net::ERR_ABORTED') {
      failedResources.push(`failed (${req.failure()?.errorText}) ${req.url()} (${req.resourceType()}, ${label})`);
    }
  });
  context.on('page', (page) => {
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  });
}

before(async () => {
  // Fail fast, with a clear message, when no server is there.
  try {
    const res = await fetch(`${BASE}/radar`, { redirect: 'manual' });
    await res.arrayBuffer();
  } catch (err) {
    throw new Error(`stadtradar server not reachable at ${BASE} (${err.message}); start it first or set E2E_BASE_URL`);
  }
  await mkdir(SHOT_DIR, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  const common = { viewport: { width: 1280, height: 900 }, locale: 'de-DE', serviceWorkers: 'block' };
  ctx = await browser.newContext(common);
  noJsCtx = await browser.newContext({ ...common, javaScriptEnabled: false });
  NO_SCRIPT_CONTEXTS.add(noJsCtx);
  for (const c of [ctx, noJsCtx]) {
    c.setDefaultTimeout(15_000);
    c.setDefaultNavigationTimeout(30_000);
  }
  record(ctx, 'js');
  record(noJsCtx, 'no-js');
});

after(async () => {
  await browser?.close();
  if (ANONYMOUS_ONLY) announceAnonymousOnly();
});

// ---------------------------------------------------------------- helpers

/** Open a new tab and go to `path` (relative to the base URL). */
async function open(path, context = ctx) {
  const page = await context.newPage();
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  return { page, response };
}

function assertStatus(response, expected, what) {
  assert.equal(response.status(), expected, `${what}: expected HTTP ${expected}, got ${response.status()} for ${response.url()}`);
}

async function screenshot(page, name) {
  await page.screenshot({ path: `${SHOT_DIR}${name}.png`, fullPage: true });
}

function formatViolations(violations, where) {
  const lines = [`axe: ${violations.length} violation(s) on ${where}`];
  for (const v of violations) {
    lines.push(`  - ${v.id} [${v.impact}] ${v.help} (${v.nodes.length} element(s)) ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 3)) {
      lines.push(`      target: ${node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ')}`);
      if (node.failureSummary) lines.push(`        ${node.failureSummary.replace(/\s*\n\s*/g, ' / ')}`);
    }
  }
  return lines.join('\n');
}

/** Contexts made with `javaScriptEnabled: false`: checkPage runs axe on a copy of their pages. */
const NO_SCRIPT_CONTEXTS = new WeakSet();
/** Those copies (tabs of `ctx`): their CSP blocks the page's own scripts, such as /assets/live.js. */
const SCRIPTING_COPIES = new WeakSet();

function isScriptingCopy(req) {
  try {
    return SCRIPTING_COPIES.has(req.frame().page());
  } catch {
    return false; // a request without a frame (a service worker's)
  }
}

/** Runs axe on `page` (JavaScript enabled) and returns its violations. */
async function axeViolations(page) {
  // The app sends a strict Content-Security-Policy (script-src 'self'), which blocks the
  // inline <script> that page.addScriptTag creates. Evaluate axe.min.js through the
  // DevTools protocol instead: that is not subject to the page's CSP, and the CSP stays on.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return result.violations;
}

/**
 * The page of a context without JavaScript, copied into a tab of `ctx` at the same address:
 * without JavaScript no task of the page runs, axe.run's included. The copy is the DOM the
 * script-less browser holds, served with `script-src 'none'` so no script of the page can
 * change it (axe, evaluated through the DevTools protocol, is not subject to the CSP).
 */
async function scriptingCopy(page) {
  const html = await page.content();
  const url = new URL(page.url());
  const doc = url.href.replace(/#.*$/, '');
  const copy = await ctx.newPage();
  SCRIPTING_COPIES.add(copy);
  await copy.route(
    (u) => u.href === doc,
    (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': "script-src 'none'" }, body: html }),
  );
  await copy.goto(url.href, { waitUntil: 'load' });
  return copy;
}

/** Screenshot the page, then run axe on it and assert there are no violations. */
async function checkPage(page, name) {
  await screenshot(page, name);
  // The page as the browser holds it, for the Nu checker (vnu.sh), which cannot log in itself.
  await mkdir(`${SHOT_DIR}html`, { recursive: true });
  await writeFile(`${SHOT_DIR}html/${name}.html`, await page.content());
  const target = NO_SCRIPT_CONTEXTS.has(page.context()) ? await scriptingCopy(page) : page;
  try {
    const violations = await axeViolations(target);
    if (violations.length > 0) {
      assert.fail(formatViolations(violations, `${name} (${page.url()})`));
    }
  } finally {
    if (target !== page) await target.close();
  }
}

/** Assert the page has a non-empty <h1>; returns its text. */
async function assertH1(page, what) {
  const h1 = page.locator('h1');
  assert.ok((await h1.count()) >= 1, `${what}: page has no <h1>`);
  const text = (await h1.first().innerText()).trim();
  assert.ok(text.length > 0, `${what}: <h1> is empty`);
  return text;
}

/** All links (HTML and SVG) below `scope`, with their href resolved to an absolute URL. */
async function linksIn(page, scope = 'body') {
  const loc = page.locator(scope).first().locator('a');
  const hrefs = await loc.evaluateAll((els) =>
    els.map((a) => {
      const raw = a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
      if (raw === null) return null;
      try {
        return new URL(raw, document.baseURI).href;
      } catch {
        return null;
      }
    }),
  );
  return { loc, hrefs };
}

/** The first link below `scope` whose path matches `re` (a RegExp on URL.pathname), as a locator. */
async function firstLinkTo(page, re, scope = 'body') {
  const { loc, hrefs } = await linksIn(page, scope);
  const i = hrefs.findIndex((h) => h !== null && new URL(h).origin === BASE_ORIGIN && re.test(new URL(h).pathname));
  if (i < 0) return null;
  return { link: loc.nth(i), href: hrefs[i] };
}

/**
 * Follow a link like a person: click it; if the pointer cannot reach it (tiny or
 * covered SVG shape), focus it and press Enter instead. Waits for the new URL.
 */
async function follow(page, link, urlPredicate) {
  try {
    await Promise.all([page.waitForURL(urlPredicate, { waitUntil: 'load' }), link.click({ timeout: 5_000 })]);
    return 'click';
  } catch (err) {
    if (urlPredicate(new URL(page.url()))) return 'click';
    console.log(`  (click did not work: ${err.message.split('\n')[0]}; trying keyboard)`);
    await link.focus();
    await Promise.all([page.waitForURL(urlPredicate, { waitUntil: 'load' }), page.keyboard.press('Enter')]);
    return 'keyboard';
  }
}

/** Press Tab until `predicate(document.activeElement)` (run in the page) is true; returns the number of presses. */
async function tabUntil(page, predicate, max, arg) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate, arg)) return i;
  }
  return -1;
}

// ------------------------------------------------------------------ tests

test('home /: h1, radar svg with links, navigation links reachable', TEST_OPTS, async () => {
  const { page, response } = await open('/');
  try {
    assertStatus(response, 200, 'home');
    assert.match(response.headers()['content-type'] ?? '', /text\/html/, 'home: content-type is not text/html');
    await assertH1(page, 'home');

    const svgLinks = page.locator('svg a');
    assert.ok((await page.locator('svg').count()) >= 1, 'home: no <svg> radar');
    assert.ok((await svgLinks.count()) >= 1, 'home: the radar <svg> has no links');

    // Navigation: every visible nav link answers (HTTP < 400), skip links point at an existing id,
    // and every visible nav link can be reached with the Tab key.
    const { loc, hrefs } = await linksIn(page, 'body');
    const navIdx = await loc.evaluateAll((els) => els.map((a, i) => (a.closest('nav') ? i : -1)).filter((i) => i >= 0));
    assert.ok(navIdx.length >= 1, 'home: no links inside a <nav>');
    const navHrefs = new Set();
    for (const i of navIdx) {
      if (!(await loc.nth(i).isVisible())) continue;
      const h = hrefs[i];
      assert.ok(h, `home: nav link #${i} has no href`);
      navHrefs.add(h);
    }
    assert.ok(navHrefs.size >= 1, 'home: no visible nav links');
    for (const h of navHrefs) {
      const u = new URL(h);
      if (u.origin !== BASE_ORIGIN) assert.fail(`home: nav link to another host: ${h}`);
      if (u.hash && u.pathname === '/' && u.search === '') {
        const id = decodeURIComponent(u.hash.slice(1));
        assert.ok(await page.evaluate((id) => !!document.getElementById(id), id), `home: in-page link ${u.hash} has no target`);
        continue;
      }
      const res = await ctx.request.get(h, { maxRedirects: 5 });
      assert.ok(res.status() < 400, `home: nav link ${h} answers HTTP ${res.status()}`);
    }
    const seen = new Set();
    for (let i = 0; i < 400 && seen.size < navHrefs.size; i++) {
      await page.keyboard.press('Tab');
      const h = await page.evaluate(() => {
        const a = document.activeElement;
        return a && a.tagName === 'A' && a.closest('nav') ? a.href : null;
      });
      if (h && navHrefs.has(h)) seen.add(h);
    }
    const missing = [...navHrefs].filter((h) => !seen.has(h));
    assert.deepEqual(missing, [], 'home: nav links not reachable with the Tab key');

    await checkPage(page, 'home');
  } finally {
    await page.close();
  }
});

test('radar /radar: one labelled link per dot, table lists the same measures, dot leads to a measure', TEST_OPTS, async () => {
  const { page, response } = await open('/radar');
  try {
    assertStatus(response, 200, 'radar');
    await assertH1(page, 'radar');
    assert.ok((await page.locator('svg').count()) >= 1, 'radar: no <svg>');

    const dots = page.locator('svg a.dot');
    const nDots = await dots.count();
    assert.ok(nDots >= 1, 'radar: no a.dot links in the svg');
    const names = await dots.evaluateAll((els) =>
      els.map((a) => {
        const label = a.getAttribute('aria-label');
        if (label && label.trim()) return label.trim();
        const by = a.getAttribute('aria-labelledby');
        if (by) {
          const t = by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
          if (t) return t;
        }
        return (a.querySelector('title')?.textContent ?? '').trim();
      }),
    );
    const unnamed = names.map((n, i) => (n ? -1 : i)).filter((i) => i >= 0);
    assert.deepEqual(unnamed, [], 'radar: a.dot links without an accessible name (aria-label), by index');
    const noHref = await dots.evaluateAll((els) => els.filter((a) => !(a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))).length);
    assert.equal(noHref, 0, 'radar: a.dot links without href');

    assert.ok((await page.locator('table').count()) >= 1, 'radar: no <table>');
    const rows = await page.locator('table#radar-table tbody tr').count();
    assert.equal(nDots, rows, `radar: ${nDots} a.dot links but ${rows} rows in table#radar-table tbody`);

    await checkPage(page, 'radar');

    // Click the first dot.
    const how = await follow(page, dots.first(), (u) => u.pathname.includes('/massnahmen/'));
    assert.ok(page.url().includes('/massnahmen/'), `radar: first dot led to ${page.url()}`);
    if (how !== 'click') console.log('  note: the first radar dot could not be clicked with the pointer, followed it with Enter');
    await assertH1(page, 'measure (from radar dot)');
    await checkPage(page, 'radar-dot-target');
  } finally {
    await page.close();
  }
});

test('radar filters with the keyboard only; changing the select does not navigate (WCAG 3.2.2)', TEST_OPTS, async () => {
  const { page, response } = await open('/radar');
  try {
    assertStatus(response, 200, 'radar');
    assert.equal(await page.locator('form#filters').count(), 1, 'radar: no form#filters');
    const select = page.locator('form#filters select[name=status]');
    assert.equal(await select.count(), 1, 'radar: no select[name=status] in form#filters');
    const before = await select.inputValue();

    // Reach the status select from the top of the page with Tab only.
    const presses = await tabUntil(page, () => document.activeElement?.matches('form#filters select[name=status]') ?? false, 1000);
    assert.ok(presses > 0, 'radar: select[name=status] cannot be reached with the Tab key');

    const urlBefore = page.url();
    await page.keyboard.press('ArrowDown');
    const chosen = await select.inputValue();
    assert.notEqual(chosen, before, 'radar: ArrowDown on the status select did not change its value');
    assert.ok(chosen !== '', 'radar: ArrowDown chose an empty status value');
    await page.waitForTimeout(750); // give any auto-submit script time to misbehave
    assert.equal(page.url(), urlBefore, 'radar: changing the status select navigated by itself (WCAG 3.2.2 On Input)');

    // Tab on to the submit button and press Enter.
    const presses2 = await tabUntil(page, () => document.activeElement?.matches('form#filters button[type=submit]') ?? false, 100);
    assert.ok(presses2 > 0, 'radar: submit button of form#filters cannot be reached with Tab after the status select');
    await Promise.all([page.waitForURL((u) => u.searchParams.has('status'), { waitUntil: 'load' }), page.keyboard.press('Enter')]);
    assert.ok(page.url().includes('status='), `radar: URL after submit has no status=: ${page.url()}`);
    assert.equal(new URL(page.url()).searchParams.get('status'), chosen, 'radar: submitted status differs from the chosen one');
    assert.equal(await page.locator('form#filters select[name=status]').inputValue(), chosen, 'radar: the filter form does not show the chosen status after submit');
    await assertH1(page, 'radar (filtered)');
    await checkPage(page, 'radar-filtered');
  } finally {
    await page.close();
  }
});

test('list /massnahmen: result count or pagination, search for "Schulen"', TEST_OPTS, async () => {
  const { page, response } = await open('/massnahmen');
  try {
    assertStatus(response, 200, 'list');
    await assertH1(page, 'list');
    const cards = await page.locator('.measure-card').count();
    assert.ok(cards >= 1, 'list: no .measure-card');
    const hasPagination = (await page.locator('nav.pagination').count()) > 0;
    const text = await page.locator('body').innerText();
    const hasCount = /\d[\d.]*\s+(Maßnahme|Massnahme|Ergebnis|Treffer|measure|result)/i.test(text);
    assert.ok(hasPagination || hasCount, 'list: neither nav.pagination nor a result count ("N Maßnahmen") on the page');
    if (hasPagination) {
      const { hrefs } = await linksIn(page, 'nav.pagination');
      for (const h of new Set(hrefs.filter(Boolean))) {
        const res = await ctx.request.get(h);
        assert.equal(res.status(), 200, `list: pagination link ${h} answers HTTP ${res.status()}`);
      }
    }
    await checkPage(page, 'massnahmen');

    // Search as a person would: type into the search field and press Enter (fall back to the URL).
    const q = page.locator('main input[name=q]');
    if ((await q.count()) > 0 && (await q.first().isVisible())) {
      await q.first().fill('Schulen');
      await Promise.all([page.waitForURL((u) => u.searchParams.get('q') === 'Schulen', { waitUntil: 'load' }), q.first().press('Enter')]);
    } else {
      console.log('  note: no visible input[name=q] on /massnahmen, opening /massnahmen?q=Schulen directly');
      const res = await page.goto(`${BASE}/massnahmen?q=Schulen`);
      assertStatus(res, 200, 'search');
    }
    const found = page.locator('.measure-card').filter({ hasText: /Schul/i });
    assert.ok((await found.count()) >= 1, `search: no .measure-card matching /Schul/i at ${page.url()}`);
    await checkPage(page, 'massnahmen-suche-schulen');
  } finally {
    await page.close();
  }
});

test('measure page: first link of the list → /massnahmen/<slug> with <progress> and h1', TEST_OPTS, async () => {
  const { page, response } = await open('/massnahmen');
  try {
    assertStatus(response, 200, 'list');
    const slugRe = /^\/massnahmen\/[^/]+$/;
    const target = (await firstLinkTo(page, slugRe, 'main')) ?? (await firstLinkTo(page, slugRe));
    assert.ok(target, 'list: no link to /massnahmen/<slug>');
    await follow(page, target.link, (u) => slugRe.test(u.pathname));
    assert.match(new URL(page.url()).pathname, slugRe);
    await assertH1(page, 'measure');
    assert.ok((await page.locator('progress').count()) >= 1, `measure: no <progress> on ${page.url()}`);
    await checkPage(page, 'massnahme');
  } finally {
    await page.close();
  }
});

test('field of action: first /handlungsfelder/ link on /radar', TEST_OPTS, async () => {
  const { page, response } = await open('/radar');
  try {
    assertStatus(response, 200, 'radar');
    const re = /^\/handlungsfelder\/[^/]+/;
    const target = await firstLinkTo(page, re);
    assert.ok(target, 'radar: no link whose href starts with /handlungsfelder/');
    await follow(page, target.link, (u) => re.test(u.pathname));
    assert.match(new URL(page.url()).pathname, re);
    await assertH1(page, 'field of action');
    await checkPage(page, 'handlungsfeld');
  } finally {
    await page.close();
  }
});

for (const [path, name] of [
  ['/zeitleiste', 'zeitleiste'],
  ['/statistik', 'statistik'],
]) {
  test(`${path}: svg and table`, TEST_OPTS, async () => {
    const { page, response } = await open(path);
    try {
      assertStatus(response, 200, name);
      await assertH1(page, name);
      assert.ok((await page.locator('svg').count()) >= 1, `${path}: no <svg>`);
      assert.ok((await page.locator('table').count()) >= 1, `${path}: no <table>`);
      await checkPage(page, name);
    } finally {
      await page.close();
    }
  });
}

test('English: /radar?lang=en has <html lang="en">', TEST_OPTS, async () => {
  const { page, response } = await open('/radar?lang=en');
  try {
    assertStatus(response, 200, 'radar (en)');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en', '/radar?lang=en: <html lang> is not "en"');
    await assertH1(page, 'radar (en)');
    await checkPage(page, 'radar-en');
  } finally {
    await page.close();
  }
});

test('404: /massnahmen/gibt-es-nicht is a friendly page', TEST_OPTS, async () => {
  const { page, response } = await open('/massnahmen/gibt-es-nicht');
  try {
    assertStatus(response, 404, 'not found');
    assert.match(response.headers()['content-type'] ?? '', /text\/html/, '404: content-type is not text/html');
    await assertH1(page, '404');
    const { hrefs } = await linksIn(page, 'body');
    assert.ok(hrefs.some((h) => h && new URL(h).origin === BASE_ORIGIN), '404: no link to go on from the error page');
    await checkPage(page, 'not-found');
  } finally {
    await page.close();
  }
});

test('login page: labelled form; a wrong password gets a clear message', TEST_OPTS, async () => {
  const { page, response } = await open('/anmelden');
  try {
    assertStatus(response, 200, 'login');
    await assertH1(page, 'login');
    await checkPage(page, 'anmelden');
    await page.getByLabel('E-Mail-Adresse').fill('niemand@musterstadt.example');
    await page.getByLabel('Passwort', { exact: true }).fill('falsches-passwort');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmelden' }).click()]);
    assert.match(await page.locator('[role=alert]').innerText(), /E-Mail-Adresse oder Passwort ist falsch/);
    await checkPage(page, 'anmelden-fehler');
  } finally {
    await page.close();
  }
});

// CI creates the first admin with `stadtradar user add` and hands over the one-time link.
const PASSWORD_LINK = process.env.E2E_PASSWORD_LINK;
const ADMIN_EMAIL = process.env.E2E_ADMIN_EMAIL;
loginTest('first admin: set the password from the link, log in, account page, log out', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
  record(context, 'account');
  const page = await context.newPage();
  try {
    const link = new URL(PASSWORD_LINK);
    await page.goto(BASE + link.pathname + link.search);
    await assertH1(page, 'set password');
    await checkPage(page, 'passwort-setzen');
    const pw = 'Grüne Ampel am Rathausplatz 7';
    await page.getByLabel('Neues Passwort').fill(pw);
    await page.getByLabel('Passwort wiederholen').fill(pw);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Passwort speichern' }).click()]);
    assert.match(page.url(), /\/anmelden\?hinweis=passwort$/);
    assert.match(await page.locator('[role=status]').innerText(), /Passwort ist gespeichert/);
    await page.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
    await page.getByLabel('Passwort', { exact: true }).fill(pw);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmelden' }).click()]);
    assert.match(page.url(), /\/konto$/);
    assert.match(await page.locator('main').innerText(), /Administration/);
    await checkPage(page, 'konto');
    // The back office: people and roles, and the audit log.
    await page.goto(BASE + '/admin/benutzer');
    assert.match(await page.locator('h1').innerText(), /Personen und Rollen/);
    await checkPage(page, 'admin-benutzer');
    await page.goto(BASE + '/admin/protokoll');
    await checkPage(page, 'admin-protokoll');
    // The filtered log (GET form; the page links keep the filters).
    await page.goto(BASE + '/admin/protokoll?action=user.roles&from=2020-01-01');
    await checkPage(page, 'admin-protokoll-gefiltert');
    await page.goto(BASE + '/admin/einstellungen');
    await checkPage(page, 'admin-einstellungen');
    await page.goto(BASE + '/konto');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Abmelden', exact: true }).click()]);
    assert.match(page.url(), /\/anmelden\?hinweis=abgemeldet$/);
    const again = await page.goto(BASE + '/konto');
    assert.match(again.url(), /\/anmelden$/, 'the account page needs a login again');
  } finally {
    await context.close();
  }
});

// The server writes mail to an outbox folder when no SMTP server is set; CI hands it over.
const OUTBOX = process.env.E2E_OUTBOX_DIR;

/** Waits for a mail to `to` in the outbox and returns the first link to `path` in it. */
async function linkFromOutbox(to, path) {
  const { readdir } = await import('node:fs/promises');
  for (let i = 0; i < 40; i++) {
    const files = (await readdir(OUTBOX).catch(() => [])).filter((f) => f.endsWith('.eml')).sort().reverse();
    for (const f of files) {
      const raw = readFileSync(`${OUTBOX}/${f}`, 'utf8');
      if (!raw.includes(`To: ${to}`)) continue;
      // Undo quoted-printable: soft line breaks and =XX escapes.
      const text = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      const m = text.match(new RegExp(`https?://[^\\s"<]*${path.replace(/[?]/g, '\\?')}[^\\s"<]*`));
      if (m) return m[0];
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no mail to ${to} with a link to ${path} in ${OUTBOX}`);
}

/** Quoted-printable (RFC 2045) to text: soft line breaks dropped, =XX bytes read as UTF-8. */
function decodeQuotedPrintable(s) {
  const bytes = [];
  const flat = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    const hex = flat.slice(i + 1, i + 3);
    if (flat[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(flat[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A header's value with its encoded words (RFC 2047, `=?utf-8?b?…?=`) decoded. */
function decodeWords(value) {
  return value.replace(/=\?[^?]+\?([bBqQ])\?([^?]*)\?=(?:\s+(?==\?))?/g, (_, enc, data) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

/**
 * A mail file as a mail programme reads it: `headers` (names in lower case, folded lines joined,
 * encoded words decoded) and `text`, the decoded text/plain part (of a multipart mail too).
 */
function parseMail(raw) {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const body = end < 0 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = type.match(/boundary="?([^";]+)"?/i)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .map((p) => parseMail(p.replace(/^\r?\n/, '')));
    return { headers, text: parts.map((p) => p.text).find((t) => t !== undefined) };
  }
  if (!/^text\/plain/i.test(type)) return { headers, text: undefined };
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { headers, text };
}

/**
 * Waits up to `seconds` for a mail to `to` whose text holds `needle`; returns it parsed
 * (see parseMail) with the name of its file.
 */
async function mailFromOutbox(to, needle, seconds) {
  const { readdir } = await import('node:fs/promises');
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const files = (await readdir(OUTBOX).catch(() => [])).filter((f) => f.endsWith('.eml')).sort().reverse();
    for (const file of files) {
      const mail = parseMail(readFileSync(`${OUTBOX}/${file}`, 'utf8'));
      if (mail.headers.to === to && (mail.text ?? '').includes(needle)) return { ...mail, file };
    }
    if (Date.now() > until) throw new Error(`no mail to ${to} with "${needle}" in ${OUTBOX} within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

loginTest('a citizen registers, confirms from the mail in the outbox and logs in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
  record(context, 'register');
  const page = await context.newPage();
  const email = `buerger-${Date.now()}@musterstadt.example`;
  const pw = 'Laterne vor dem Rathaus 12';
  try {
    await page.goto(BASE + '/registrieren');
    await checkPage(page, 'registrieren');
    // Bad input first: every problem is named, nothing is created.
    await page.getByLabel('Angezeigter Name').fill('Bürgerin Kurz');
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort', { exact: true }).fill('zu kurz');
    await page.getByLabel('Passwort wiederholen').fill('zu kurz');
    await page.locator('#password').evaluate((el) => el.removeAttribute('minlength'));
    await page.locator('#password2').evaluate((el) => el.removeAttribute('minlength'));
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Konto anlegen' }).click()]);
    assert.match(await page.locator('[role=alert]').innerText(), /Das Passwort ist zu kurz/);
    await checkPage(page, 'registrieren-fehler');
    await page.getByLabel('Passwort', { exact: true }).fill(pw);
    await page.getByLabel('Passwort wiederholen').fill(pw);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Konto anlegen' }).click()]);
    assert.match(await page.locator('h1').innerText(), /Bitte prüfen Sie Ihr Postfach/);
    await checkPage(page, 'registriert');
    const link = new URL(await linkFromOutbox(email, '/konto/bestaetigen?token='));
    await page.goto(BASE + link.pathname + link.search);
    await checkPage(page, 'bestaetigen');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Adresse bestätigen' }).click()]);
    assert.match(page.url(), /hinweis=bestaetigt$/);
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort', { exact: true }).fill(pw);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmelden' }).click()]);
    assert.match(page.url(), /\/konto$/);
    assert.match(await page.locator('main').innerText(), /Bürgerin Kurz/);
    await checkPage(page, 'konto-buergerin');
    // She rates a measure on its page (a plain form), and the page shows her rating and the totals.
    await page.goto(BASE + '/massnahmen/digitaltag-musterstadt');
    await checkPage(page, 'massnahme-bewerten');
    const rating = page.locator('#bewertung');
    await rating.getByLabel('4 – wichtig').check();
    await Promise.all([page.waitForNavigation(), rating.getByRole('button', { name: 'Bewertung speichern' }).click()]);
    assert.match(page.url(), /\/massnahmen\/digitaltag-musterstadt#bewertung$/);
    const rated = await page.locator('#bewertung').innerText();
    assert.match(rated, /Ihre Bewertung: 4 von 5\./);
    assert.match(rated, /Durchschnitt \d,\d von 5 bei/);
    assert.ok(await page.locator('#bewertung').getByLabel('4 – wichtig').isChecked());
    await checkPage(page, 'massnahme-bewertet');
    // An admin makes this person an editor …
    const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
    record(adminCtx, 'admin');
    const admin = await adminCtx.newPage();
    try {
      await admin.goto(BASE + '/anmelden');
      await admin.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
      await admin.getByLabel('Passwort', { exact: true }).fill('Grüne Ampel am Rathausplatz 7');
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Anmelden' }).click()]);
      await admin.goto(BASE + '/admin/benutzer');
      const row = admin.locator('tr', { hasText: email });
      await row.getByLabel('Redaktion').check();
      await Promise.all([admin.waitForNavigation(), row.getByRole('button', { name: 'Speichern' }).click()]);
      await checkPage(admin, 'admin-benutzer-editor');
      assert.ok(await admin.locator('tr', { hasText: email }).getByLabel('Redaktion').isChecked());
    } finally {
      await adminCtx.close();
    }
    // … and the editor changes a measure's status; the public page shows it.
    await page.goto(BASE + '/admin/massnahmen');
    await checkPage(page, 'admin-massnahmen');
    const first = page.locator('table a').first();
    await Promise.all([page.waitForNavigation(), first.click()]);
    await checkPage(page, 'admin-massnahme-bearbeiten');
    const before = await page.getByLabel('Status').inputValue();
    const target = before === 'done' ? 'dropped' : 'done';
    await page.getByLabel('Status').selectOption(target);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Speichern' }).click()]);
    assert.match(page.url(), /\/massnahmen\/[a-z0-9-]+$/);
    const main = await page.locator('main').innerText();
    assert.match(main, target === 'done' ? /Abgeschlossen/ : /Eingestellt/);
    assert.match(main, /Änderungsverlauf/);
    assert.match(main, /Status: .+ → /);
    assert.doesNotMatch(main, new RegExp(email));
    await checkPage(page, 'massnahme-geaendert');
  } finally {
    await context.close();
  }
});

// Comments on a measure. The import in the back-office journey below replaces the demo, so
// this one runs before it, on the same demo measure as the rating above. A second person is
// needed to support a comment: the first admin, whose password the first journey set.
const ADMIN_PASSWORD = 'Grüne Ampel am Rathausplatz 7';

/** Registers a citizen as the journey above does (the link from the outbox); axe on every page. */
async function registerCitizen(page, name, email, pw, shot) {
  await page.goto(BASE + '/registrieren');
  await checkPage(page, `${shot}-registrieren`);
  await page.getByLabel('Angezeigter Name').fill(name);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(pw);
  await page.getByLabel('Passwort wiederholen').fill(pw);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Konto anlegen' }).click()]);
  assert.match(await page.locator('h1').innerText(), /Bitte prüfen Sie Ihr Postfach/);
  await checkPage(page, `${shot}-registriert`);
  const link = new URL(await linkFromOutbox(email, '/konto/bestaetigen?token='));
  await page.goto(BASE + link.pathname + link.search);
  await checkPage(page, `${shot}-bestaetigen`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Adresse bestätigen' }).click()]);
  assert.match(page.url(), /\/anmelden\?hinweis=bestaetigt$/);
}

/** Signs in on /anmelden and lands on /konto; axe on both pages (`anmelden-<shot>`, `konto-<shot>`). */
async function signIn(page, email, pw, shot) {
  if (new URL(page.url()).pathname !== '/anmelden') await page.goto(BASE + '/anmelden');
  await checkPage(page, `anmelden-${shot}`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(pw);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmelden' }).click()]);
  assert.match(page.url(), /\/konto$/, `${email} is signed in`);
  await checkPage(page, `konto-${shot}`);
}

/** The id of the comment a URL points at (…#kommentar-<id>). */
function commentIdIn(url, what) {
  const m = new URL(url).hash.match(/^#kommentar-(\d+)$/);
  assert.ok(m, `${what}: no #kommentar-<id> in ${url}`);
  return m[1];
}

/** Posts `text` with the comment form of the measure page `page` is on; returns the new id. */
async function postComment(page, path, text, shot) {
  const form = page.locator('#diskussion form.comment-form');
  await form.getByLabel('Ihr Kommentar').fill(text);
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Kommentar veröffentlichen' }).click()]);
  assert.equal(new URL(page.url()).pathname, path, 'a comment leads back to the measure page');
  const id = commentIdIn(page.url(), 'new comment');
  assert.equal((await page.locator(`#diskussion article.comment#kommentar-${id} .comment-body`).innerText()).trim(), text);
  await checkPage(page, shot);
  return id;
}

/** The box an admin, or an editor in the measure's field of action, ticks to answer as the city. */
const OFFICIAL_BOX = 'Als „Antwort der Stadt“ veröffentlichen';

/**
 * Replies to comment `id` via its link "Antworten" on the page `page` is on; returns the reply's
 * id. `official: true` ticks the box for the city's answer, `official: false` asserts the form
 * has none.
 */
async function replyTo(page, id, text, shot, { official } = {}) {
  const link = page.locator(`#kommentar-${id} .comment-actions`).getByRole('link', { name: 'Antworten', exact: true });
  await follow(page, link, (u) => u.pathname === `/kommentare/${id}/antworten`);
  assert.equal((await page.locator('h1').innerText()).trim(), 'Antwort auf einen Kommentar');
  await checkPage(page, `${shot}-formular`);
  const form = page.locator('form.comment-form');
  if (official === false) assert.equal(await form.getByLabel(OFFICIAL_BOX).count(), 0, "the reply form has no box for the city's answer");
  if (official === true) await form.getByLabel(OFFICIAL_BOX).check();
  await form.getByLabel('Ihre Antwort', { exact: true }).fill(text);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Antwort veröffentlichen' }).click()]);
  const replyId = commentIdIn(page.url(), 'reply');
  assert.equal(new URL(page.url()).pathname, `/kommentare/${replyId}`, 'a reply leads to its permalink');
  assert.equal((await page.locator(`#kommentar-${replyId} .comment-body`).innerText()).trim(), text);
  await checkPage(page, shot);
  return replyId;
}

/** Supports someone else's comment `id` on the page `page` is on; checks the button and the count. */
async function support(page, id, shot) {
  const theirs = page.locator(`#kommentar-${id} .comment-actions`);
  assert.equal(await theirs.getByRole('link', { name: 'Bearbeiten' }).count(), 0, "no edit link on someone else's comment");
  await Promise.all([page.waitForNavigation(), theirs.getByRole('button', { name: 'Unterstützen', exact: true }).click()]);
  assert.equal(new URL(page.url()).pathname, `/kommentare/${id}`, 'supporting leads to the permalink');
  const comment = page.locator(`#kommentar-${id}`);
  assert.equal(await comment.locator('.comment-actions').getByRole('button', { name: 'Unterstützung zurücknehmen' }).count(), 1);
  assert.equal((await comment.locator('.comment-upvotes').innerText()).trim(), '1 Unterstützung');
  await checkPage(page, shot);
}

loginTest('a citizen discusses a measure: comment, empty text, reply, edit, support, sort, permalink, delete; also without JavaScript', async () => {
  const opts = { viewport: { width: 1280, height: 900 }, locale: 'de-DE' };
  const contexts = [];
  const newContext = async (label, extra = {}) => {
    const c = await browser.newContext({ ...opts, ...extra });
    if (extra.javaScriptEnabled === false) NO_SCRIPT_CONTEXTS.add(c);
    record(c, label);
    contexts.push(c);
    return c.newPage();
  };
  const measure = '/massnahmen/digitaltag-musterstadt';
  const email = `diskutantin-${Date.now()}@musterstadt.example`;
  const pw = 'Bank unter der Linde 21';
  try {
    const page = await newContext('comments');
    // Anonymous readers see the discussion and the guest form, with a link to sign in.
    await page.goto(BASE + measure);
    const discussion = page.locator('#diskussion');
    assert.equal((await discussion.locator('h2').innerText()).trim(), 'Diskussion');
    const guestForm = discussion.locator('form.guest-form');
    assert.equal(await guestForm.count(), 1, 'anonymous readers get the guest form');
    assert.equal(await guestForm.getByRole('link', { name: 'Anmelden', exact: true }).count(), 1, 'the guest form links to the login');
    await checkPage(page, 'diskussion-anonym');
    await registerCitizen(page, 'Bürgerin Rede', email, pw, 'diskussion');
    await signIn(page, email, pw, 'diskussion');

    // She opens the measure and posts a comment.
    await page.goto(BASE + measure);
    await checkPage(page, 'diskussion-massnahme');
    const text = 'Bitte auch einen Termin am Samstag anbieten, damit Berufstätige kommen können.';
    const commentId = await postComment(page, measure, text, 'diskussion-kommentiert');
    assert.match(await page.locator(`#kommentar-${commentId} .comment-author`).innerText(), /Bürgerin Rede/);

    // An empty comment (the browser's own check taken away) gets a clear message.
    const form = page.locator('#diskussion form.comment-form');
    await form.locator('#comment-body').evaluate((el) => el.removeAttribute('required'));
    await form.getByLabel('Ihr Kommentar').fill('');
    const [refused] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Kommentar veröffentlichen' }).click()]);
    assertStatus(refused, 422, 'empty comment');
    assert.match(await page.locator('[role=alert]').innerText(), /Bitte schreiben Sie einen Text\./);
    await checkPage(page, 'diskussion-leer');

    // She answers her own comment …
    await page.goto(BASE + measure);
    await checkPage(page, 'diskussion-massnahme-kommentar');
    const replyText = 'Ergänzung: Samstagvormittag wäre ideal.';
    const replyId = await replyTo(page, commentId, replyText, 'diskussion-antwort');

    // … and edits the comment: the page says "bearbeitet".
    await page.goto(BASE + measure);
    assert.equal((await page.locator(`#kommentar-${replyId} .comment-body`).innerText()).trim(), replyText, 'the reply is on the measure page');
    await checkPage(page, 'diskussion-massnahme-antwort');
    const own = page.locator(`#kommentar-${commentId} .comment-actions`);
    assert.equal(await own.getByRole('button', { name: 'Unterstützen', exact: true }).count(), 0, 'nobody supports their own comment');
    await follow(page, own.getByRole('link', { name: 'Bearbeiten', exact: true }), (u) => u.pathname === `/kommentare/${commentId}/bearbeiten`);
    assert.equal(await page.getByLabel('Ihr Kommentar').inputValue(), text);
    await checkPage(page, 'diskussion-bearbeiten');
    const edited = 'Bitte auch einen Termin am Samstag anbieten, damit Berufstätige und Eltern kommen können.';
    await page.getByLabel('Ihr Kommentar').fill(edited);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Änderung speichern' }).click()]);
    assert.equal(commentIdIn(page.url(), 'edited comment'), commentId);
    const mine = page.locator(`#kommentar-${commentId}`);
    assert.match(await mine.locator('.comment-body').innerText(), /Berufstätige und Eltern/);
    assert.match(await mine.locator('.comment-meta').innerText(), /bearbeitet/);
    await checkPage(page, 'diskussion-bearbeitet');

    // A second person, the first admin, supports her comment.
    const admin = await newContext('comments-admin');
    await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, 'diskussion-admin');
    await admin.goto(BASE + measure);
    await checkPage(admin, 'diskussion-admin-massnahme');
    await support(admin, commentId, 'diskussion-unterstuetzt');

    // The discussion sorted by support, on its own page.
    await page.goto(BASE + measure);
    await checkPage(page, 'diskussion-massnahme-unterstuetzt');
    const sortLink = page.locator('#diskussion nav.comment-sort').getByRole('link', { name: 'Meist unterstützt' });
    await follow(page, sortLink, (u) => u.pathname === `${measure}/kommentare` && u.searchParams.has('sort'));
    assert.equal((await page.locator('h1').innerText()).trim(), 'Diskussion: Digitaltag Musterstadt');
    assert.equal(await page.locator('nav.comment-sort a[aria-current=page]').innerText(), 'Meist unterstützt');
    // The demo's discussions have upvotes of their own: her comment is on the page, and the
    // threads come in the order of their upvotes.
    const top = page.locator(`#kommentar-${commentId}`);
    assert.equal(await top.count(), 1, 'her comment is on the first page of the sorted discussion');
    assert.equal((await top.locator('.comment-upvotes').innerText()).trim(), '1 Unterstützung');
    const counts = await page.locator('ol.comments > li.comment-thread > article.comment').evaluateAll((els) =>
      els.map((el) => {
        const u = el.querySelector(':scope > .comment-upvotes');
        return u ? parseInt(u.textContent, 10) : 0;
      }));
    for (let i = 1; i < counts.length; i++) {
      assert.ok(counts[i - 1] >= counts[i], `threads in the order of their upvotes: ${counts.join(', ')}`);
    }
    await checkPage(page, 'diskussion-sortiert');

    // The permalink (the comment's date) shows the whole thread.
    await follow(page, top.locator('.comment-meta a'), (u) => u.pathname === `/kommentare/${commentId}`);
    assert.match(await page.locator(`#kommentar-${commentId} .comment-body`).innerText(), /Berufstätige und Eltern/);
    assert.equal((await page.locator(`#kommentar-${replyId} .comment-body`).innerText()).trim(), replyText);
    await checkPage(page, 'diskussion-permalink');

    // She deletes her reply: a tombstone stays in the thread.
    await follow(page, page.locator(`#kommentar-${replyId} .comment-actions`).getByRole('link', { name: 'Löschen', exact: true }), (u) => u.pathname === `/kommentare/${replyId}/loeschen`);
    await checkPage(page, 'diskussion-loeschen');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ja, Kommentar löschen' }).click()]);
    assert.equal(commentIdIn(page.url(), 'deleted reply'), replyId);
    const gone = page.locator(`#kommentar-${replyId}`);
    assert.equal((await gone.locator('.comment-gone').innerText()).trim(), 'Dieser Kommentar wurde von seiner Autorin oder seinem Autor gelöscht.');
    assert.ok(!(await gone.innerText()).includes(replyText), 'the deleted text is gone');
    assert.equal(await gone.locator('.comment-actions a, .comment-actions button').count(), 0, 'a tombstone has no actions');
    await checkPage(page, 'diskussion-geloescht');

    // The same core steps without JavaScript: comment, reply, support.
    const plain = await newContext('comments-no-js', { javaScriptEnabled: false });
    await signIn(plain, email, pw, 'diskussion-no-js');
    await plain.goto(BASE + measure);
    await checkPage(plain, 'diskussion-no-js-massnahme');
    const plainId = await postComment(plain, measure, 'Ohne JavaScript: gibt es die Folien danach zum Nachlesen?', 'diskussion-no-js-kommentiert');
    await replyTo(plain, plainId, 'Ohne JavaScript: gern auch als barrierefreies PDF.', 'diskussion-no-js-antwort');
    const plainAdmin = await newContext('comments-admin-no-js', { javaScriptEnabled: false });
    await signIn(plainAdmin, ADMIN_EMAIL, ADMIN_PASSWORD, 'diskussion-no-js-admin');
    await plainAdmin.goto(BASE + measure);
    await checkPage(plainAdmin, 'diskussion-no-js-admin-massnahme');
    await support(plainAdmin, plainId, 'diskussion-no-js-unterstuetzt');
  } finally {
    for (const c of contexts) await c.close();
  }
});

// Guests and the moderation, each journey once with JavaScript and once without. Like the
// discussion above they use the demo measure, so they run before the import replaces the demo.

/** A journey's own browser contexts: `newPage(label, { js })` opens a tab in a new one (without JavaScript for `js: false`). */
function journeyContexts() {
  const contexts = [];
  return {
    async newPage(label, { js = true } = {}) {
      const c = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', ...(js ? {} : { javaScriptEnabled: false }) });
      if (!js) NO_SCRIPT_CONTEXTS.add(c);
      record(c, label);
      contexts.push(c);
      return c.newPage();
    },
    async close() {
      for (const c of contexts) await c.close();
    },
  };
}

const JS_MODES = [
  { js: true, title: '', sfx: '' },
  { js: false, title: ' (without JavaScript)', sfx: '-no-js' },
];
const DEMO_MEASURE = '/massnahmen/digitaltag-musterstadt';

for (const { js, title, sfx } of JS_MODES) {
  test(`events: the list, the Digitaltag's programme by time slot, a session, in English${title}`, TEST_OPTS, async () => {
    const contexts = journeyContexts();
    const shot = `veranstaltungen${sfx}`;
    try {
      const page = await contexts.newPage(`events${sfx}`, { js });
      const listed = await page.goto(BASE + '/veranstaltungen');
      assertStatus(listed, 200, 'events list');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Veranstaltungen');
      assert.equal(await page.locator('ol.event-list > li').count(), 2, 'the demo has two events');
      await checkPage(page, `${shot}-liste`);
      await follow(page, page.getByRole('link', { name: 'Digitaltag 2026 #DigitalMiteinander' }), (u) => u.pathname.startsWith('/veranstaltungen/'));
      await assertH1(page, 'event');
      assert.equal(await page.locator('li.session-card').count(), 14, '14 sessions');
      const slots = await page.locator('section.slot h3').allInnerTexts();
      assert.ok(slots.length >= 6 && slots[0].trim() === 'Ab 10:00 Uhr', `slots: ${slots}`);
      await checkPage(page, `${shot}-digitaltag`);
      // The second view: rooms × start times as a table.
      const eventUrl = page.url();
      await follow(page, page.getByRole('link', { name: 'nach Raum und Zeit (Tabelle)' }), (u) => u.pathname.endsWith('/raster'));
      assert.equal(await page.locator('table.programme-grid thead th[scope=col]').count(), 4, 'the start column and three rooms');
      await checkPage(page, `${shot}-raster`);
      await page.goto(eventUrl);
      await follow(page, page.getByRole('link', { name: 'Im Gespräch mit dem CDO' }), (u) => u.pathname.includes('/sessions/'));
      assert.equal((await page.locator('h1').innerText()).trim(), 'Im Gespräch mit dem CDO');
      assert.match(await page.locator('dl.facts').innerText(), /Gebärdensprache, Live-Untertitel/);
      await checkPage(page, `${shot}-session`);
      await page.goto(page.url() + '?lang=en');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await checkPage(page, `${shot}-session-en`);
    } finally {
      await contexts.close();
    }
  });
}


// The offers' journeys run before the strategy back office's import, which removes the demo
// (its offers, providers, districts and postcodes with it).
// Offers, once with JavaScript and once without: find a PC-Treff near a postcode, open it and
// take its dates into a calendar; an unknown postcode is named at its field; the calendar of
// the list, the providers, a provider; the list in English.
for (const { js, title, sfx } of JS_MODES) {
  test(`offers: a PC-Treff near a postcode, its page and its dates in a calendar${title}`, TEST_OPTS, async () => {
    const contexts = journeyContexts();
    const shot = `angebote${sfx}`;
    try {
      const page = await contexts.newPage(`offers${sfx}`, { js });
      const listed = await page.goto(BASE + '/angebote');
      assertStatus(listed, 200, 'offers list');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Angebote');
      const total = Number((await page.locator('p.summary').innerText()).match(/(\d+) Angebote/)?.[1]);
      assert.ok(total >= 43, `the demo's 43 offers are listed (${total})`);
      await checkPage(page, `${shot}-liste`);
      // A postcode that is not the city's: named at its field, the form kept.
      await page.getByLabel('Suchbegriff').fill('PC-Treff');
      await page.getByLabel('Postleitzahl').fill('99999');
      const bad = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Angebote anzeigen' }).click()]);
      assertStatus(bad[0], 400, 'unknown postcode');
      assert.match(await page.locator('[role=alert]').innerText(), /Die Postleitzahl 99999 liegt nicht in unserer Stadt/);
      assert.equal(await page.getByLabel('Postleitzahl').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Suchbegriff').inputValue(), 'PC-Treff');
      await checkPage(page, `${shot}-plz-unbekannt`);
      // Near 36255 (Südviertel): the Südviertel's PC-Treff first, with its distance.
      await page.getByLabel('Postleitzahl').fill('36255');
      await page.getByLabel('Umkreis').selectOption({ label: 'bis 10 km' });
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Angebote anzeigen' }).click()]);
      const params = new URL(page.url()).searchParams;
      assert.equal(params.get('postcode'), '36255');
      assert.equal(params.get('q'), 'PC-Treff');
      assert.match(await page.locator('p.summary').innerText(), /Angebote gefunden/);
      const first = page.locator('ol.offer-list > li').first();
      assert.match(await first.locator('h2').innerText(), /PC-Treff für Seniorinnen und Senioren im Südviertel/);
      assert.match(await first.innerText(), /entfernt/);
      assert.match(await first.innerText(), /jeden Donnerstag/);
      await checkPage(page, `${shot}-plz-36255`);
      // Its page: when, where, how to take part; its dates as an iCalendar file.
      await follow(page, first.getByRole('link'), (u) => u.pathname.startsWith('/angebote/') && u.pathname !== '/angebote/kalender');
      await assertH1(page, 'offer');
      const facts = await page.locator('dl.facts').innerText();
      assert.match(facts, /jeden Donnerstag/);
      assert.match(facts, /Ohne Anmeldung/);
      await checkPage(page, `${shot}-pc-treff`);
      const ics = page.getByRole('link', { name: /Termine in den eigenen Kalender übernehmen/ });
      const href = new URL(await ics.getAttribute('href'), page.url()).href;
      const file = await page.request.get(href);
      assert.equal(file.status(), 200);
      assert.match(file.headers()['content-type'], /^text\/calendar/);
      const text = await file.text();
      assert.match(text, /RRULE:FREQ=WEEKLY;BYDAY=TH\r\n/);
      assert.match(text, /SUMMARY:PC-Treff für Seniorinnen und Senioren im Südviertel/);
      // The provider and all providers.
      await follow(page, page.locator('p.lead a').first(), (u) => u.pathname.startsWith('/anbieter/'));
      await assertH1(page, 'provider');
      await checkPage(page, `${shot}-anbieter`);
      await page.goto(BASE + '/anbieter');
      assert.ok((await page.locator('ul.provider-list > li').count()) >= 12, 'the demo has 12 providers');
      await checkPage(page, `${shot}-anbieterliste`);
      // The calendar of a filtered list: by day, two weeks a page.
      await page.goto(BASE + '/angebote?category=pc-hilfe');
      await follow(page, page.getByRole('link', { name: 'Als Kalender anzeigen' }), (u) => u.pathname === '/angebote/kalender');
      assert.equal(new URL(page.url()).searchParams.get('category'), 'pc-hilfe');
      assert.ok((await page.locator('ul.calendar-day > li').count()) > 0, 'dates in the coming two weeks');
      await checkPage(page, `${shot}-kalender`);
      await page.goto(BASE + '/angebote?lang=en&district=suedviertel');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.match(await page.locator('p.summary').innerText(), /\d+ offers found/);
      await checkPage(page, `${shot}-en`);
    } finally {
      await contexts.close();
    }
  });
}

// The search over everything, once with JavaScript and once without (before the import removes
// the demo): from the header's field on the start page, one word ("digital") finds a measure, an
// event and an offer of the demo; the event leads to its page; the kind filter shows the offers
// only, with a pager when there are more than 20; the page in English.
for (const { js, title, sfx } of JS_MODES) {
  test(`search: the search finds a measure, an event and an offer for one word${title}`, TEST_OPTS, async () => {
    const contexts = journeyContexts();
    const shot = `suche${sfx}`;
    try {
      const page = await contexts.newPage(`search${sfx}`, { js });
      assertStatus(await page.goto(BASE + '/'), 200, 'start page');
      const header = page.getByRole('search', { name: 'Website durchsuchen' });
      await header.getByLabel('Stichwort für die ganze Website').fill('digital');
      await follow(page, header.getByRole('button', { name: 'Suchen' }), (u) => u.pathname === '/suche');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Suche');
      assert.equal(await page.locator('#search-q').inputValue(), 'digital');
      for (const kind of ['measures', 'events', 'offers']) {
        assert.equal(await page.locator(`h2#search-${kind}`).count(), 1, `a group of ${kind}`);
        const found = await page.locator(`section[aria-labelledby="search-${kind}"] ul.search-results > li`).count();
        assert.ok(found >= 1, `${kind}: found ${found}`);
      }
      await checkPage(page, `${shot}-alle`);
      // The event leads to its page.
      await follow(page, page.locator('section[aria-labelledby="search-events"] ul.search-results a').first(), (u) => u.pathname.startsWith('/veranstaltungen/'));
      await assertH1(page, 'event found');
      // The offers only, by the kind filter.
      assertStatus(await page.goto(BASE + '/suche?q=digital'), 200, 'search');
      await follow(page, page.locator('nav.search-kinds a', { hasText: /^Angebote \(/ }), (u) => u.searchParams.get('kind') === 'offers');
      assert.equal(await page.locator('section.search-group').count(), 1, 'one kind shown');
      assert.equal(await page.locator('nav.search-kinds a[aria-current="page"]').count(), 1);
      await checkPage(page, `${shot}-angebote`);
      const next = page.locator('a[rel="next"]');
      if ((await next.count()) > 0) {
        await follow(page, next, (u) => u.searchParams.get('page') === '2');
        assert.equal(await page.locator('a[rel="prev"]').count(), 1, 'back to the first page');
        await checkPage(page, `${shot}-angebote-2`);
      }
      // A form of its own on the page: another word, submitted without the header.
      const form = page.getByRole('search', { name: /Suche über/ });
      await form.getByLabel('Suchbegriff').fill('Schulen');
      await follow(page, form.getByRole('button', { name: 'Suchen' }), (u) => u.searchParams.get('q') === 'Schulen');
      await assertH1(page, 'search for Schulen');
      assertStatus(await page.goto(BASE + '/suche?q=digital&lang=en'), 200, 'search in English');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Search');
      await checkPage(page, `${shot}-en`);
    } finally {
      await contexts.close();
    }
  });
}

// A provider's side, once with JavaScript and once without: the admin signs a provider up,
// approves it in the admins' list, enters an offer with weekly dates and a day left out, and
// finds it on the public list.
for (const { js, title, sfx } of JS_MODES) {
  loginTest(`offers: a provider signs up, is approved and enters a weekly offer${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `anbieten${sfx}`;
    const name = `E2E-Verein ${Date.now()}${sfx}`;
    try {
      const page = await contexts.newPage(`provide${sfx}`, { js });
      await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, shot);
      await page.goto(BASE + '/anbieten');
      await checkPage(page, `${shot}-uebersicht`);
      await page.getByLabel('Name des Anbieters').fill(name);
      await page.getByLabel('Beschreibung').fill('Wir helfen bei **Handy** und Computer.');
      await page.getByLabel('E-Mail').fill('verein@musterstadt.example');
      await page.getByLabel('Stadtteil').selectOption({ label: 'Weststadt' });
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Zur Prüfung einreichen' }).click()]);
      assert.match(await page.locator('[role=status]').first().innerText(), /Die Stadt prüft Ihren Eintrag/);
      assert.match(await page.locator('ul.provider-list').innerText(), /wartet auf Freigabe/);
      await checkPage(page, `${shot}-eingereicht`);
      // The admins' list: approve it.
      await page.goto(BASE + '/admin/anbieter');
      await checkPage(page, `${shot}-admin-liste`);
      const row = page.locator('li, tr, article, section').filter({ hasText: name }).last();
      await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Freigeben' }).click()]);
      // Back on the providers' side: its offers, a new one.
      await page.goto(BASE + '/anbieten');
      await follow(page, page.getByRole('link', { name }), (u) => /^\/anbieten\/\d+$/.test(u.pathname));
      await checkPage(page, `${shot}-anbieter`);
      await follow(page, page.getByRole('link', { name: 'Neues Angebot' }), (u) => u.pathname.endsWith('/angebote/neu'));
      await checkPage(page, `${shot}-formular`);
      // Saved with a postcode the city does not keep and a date that ends before it starts:
      // every problem named, what was typed kept.
      await page.getByLabel('Titel').fill(`Handy-Sprechstunde ${name}`);
      await page.getByLabel('Kategorie').selectOption({ label: 'PC-Hilfe und Sprechstunde' });
      await page.getByLabel('Postleitzahl').fill('99999');
      await page.getByLabel('Ort (zum Beispiel: Stadtbibliothek, Lesecafé)').fill('Vereinsheim');
      const row0 = page.locator('fieldset.schedule-row').first();
      await row0.getByLabel('Datum (erster Termin)').fill('2027-01-05');
      await row0.getByLabel('Beginn').fill('10:00');
      await row0.getByLabel('Ende').fill('09:00');
      const wrong = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Speichern' }).click()]);
      assertStatus(wrong[0], 422, 'an offer with an unknown postcode');
      const alert = await page.locator('[role=alert]').innerText();
      assert.match(alert, /Die Postleitzahl 99999 kennt die Stadt nicht/);
      assert.match(alert, /Zeile 1: Das Ende muss nach dem Beginn liegen/);
      assert.equal(await page.getByLabel('Titel').inputValue(), `Handy-Sprechstunde ${name}`);
      await checkPage(page, `${shot}-formular-fehler`);
      await page.getByLabel('Postleitzahl').fill('36258');
      await row0.getByLabel('Ende').fill('12:00');
      await row0.getByLabel('Wiederholung').selectOption('weekly');
      await row0.getByLabel('Ausgelassene Daten (freiwillig)').fill('12.01.2027');
      await page.getByLabel('Stand').selectOption('published');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Speichern' }).click()]);
      assert.match(await page.locator('[role=status]').first().innerText(), /Das Angebot ist angelegt/);
      // Public now, near the Weststadt.
      await page.goto(BASE + '/angebote?q=' + encodeURIComponent('Handy-Sprechstunde') + '&district=weststadt');
      const card = page.locator('ol.offer-list > li').filter({ hasText: name });
      assert.equal(await card.count(), 1, 'the new offer is listed');
      assert.match(await card.innerText(), /jeden Dienstag, 10:00–12:00 Uhr/);
      await follow(page, card.getByRole('link').first(), (u) => u.pathname.startsWith('/angebote/'));
      assert.match(await page.locator('dl.facts').innerText(), /Nicht am 12\.01\.2027/);
      await checkPage(page, `${shot}-oeffentlich`);
    } finally {
      await contexts.close();
    }
  });
}

// A Kita asks for a media-education offer, once with JavaScript and once without: a group too
// big for the places left is refused at its field; the Kita confirms its address from the mail,
// the provider (here the admin, for the Medienzentrum the city entered) is told by mail, accepts
// in its office, and the Kita reads the answer by mail and on its request's page.
for (const { js, title, sfx } of JS_MODES) {
  loginTest(`offers: a Kita requests a media-education offer and the provider accepts${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `anfrage${sfx}`;
    const stamp = `${Date.now()}${sfx}`;
    const kita = `kita-${stamp}@musterstadt.example`;
    const contact = `Frau Sommer ${stamp}`;
    try {
      const page = await contexts.newPage(`request${sfx}`, { js });
      await page.goto(BASE + '/angebote?q=' + encodeURIComponent('Trickfilm'));
      await follow(page, page.locator('ol.offer-list > li').first().getByRole('link').first(), (u) => u.pathname.startsWith('/angebote/'));
      assert.match(await page.locator('h1').innerText(), /Trickfilm-Werkstatt für Kita-Kinder/);
      await follow(page, page.getByRole('link', { name: 'Anfrage stellen' }), (u) => u.pathname.endsWith('/anfragen'));
      await assertH1(page, 'request form');
      await checkPage(page, `${shot}-formular`);
      const dates = page.locator('fieldset#date input[type=radio]:not([disabled])');
      assert.ok((await dates.count()) >= 2, 'the coming dates and a day of ones own');
      await dates.first().check();
      await page.getByLabel('Ihr Name (Ansprechperson)').fill(contact);
      await page.getByLabel('Ihre E-Mail-Adresse').fill(kita);
      await page.getByLabel('Einrichtung (freiwillig)').fill('Kita Sonnenblume');
      await page.getByLabel('Alter der Gruppe (freiwillig)').fill('4 bis 6 Jahre');
      await page.getByLabel('Ihre Nachricht an den Anbieter (freiwillig)').fill('Wir kommen mit einer Erzieherin.');
      // Nine children for eight places: refused at its field, what was typed kept.
      await page.getByLabel('Wie viele Personen?').fill('9');
      const [full] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anfrage senden' }).click()]);
      assertStatus(full, 422, 'a group over the places');
      assert.match(await page.locator('[role=alert]').innerText(), /nur noch \d+ Plätze frei|kein Platz mehr frei/);
      assert.equal(await page.getByLabel('Einrichtung (freiwillig)').inputValue(), 'Kita Sonnenblume');
      await checkPage(page, `${shot}-zu-gross`);
      await page.getByLabel('Wie viele Personen?').fill('3');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anfrage senden' }).click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Bitte bestätigen Sie Ihre Anfrage');
      await checkPage(page, `${shot}-gesendet`);
      // The Kita confirms from the mail: a button, not the link alone.
      const link = new URL(await linkFromOutbox(kita, '/anfrage?token='));
      await page.goto(BASE + link.pathname + link.search);
      assert.equal(await page.locator('#request-state').getAttribute('data-state'), 'unconfirmed');
      await checkPage(page, `${shot}-bestaetigen`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Adresse bestätigen und Anfrage senden' }).click()]);
      assert.equal(await page.locator('#request-state').getAttribute('data-state'), 'open');
      // The provider hears of it by mail and accepts in its office.
      const told = await mailFromOutbox('medienzentrum@musterstadt.example', contact, 30);
      const office = told.text.match(/https?:\/\/[^\s"<]*\/anbieten\/\d+\/anfragen\/\d+/)?.[0];
      assert.ok(office, 'the provider mail links the request');
      const staff = await contexts.newPage(`request-office${sfx}`, { js });
      await signIn(staff, ADMIN_EMAIL, ADMIN_PASSWORD, shot);
      await staff.goto(BASE + new URL(office).pathname.replace(/\/\d+$/, ''));
      await checkPage(staff, `${shot}-anbieter-liste`);
      await staff.goto(BASE + new URL(office).pathname);
      assert.match(await staff.locator('dl.facts').innerText(), /Kita Sonnenblume/);
      assert.match(await staff.locator('dl.facts').innerText(), /3 Personen \(4 bis 6 Jahre\)/);
      await checkPage(staff, `${shot}-anbieter-anfrage`);
      // Declining without a reason (the browser's own check taken away) is named.
      await staff.getByLabel('Grund').evaluate((el) => el.removeAttribute('required'));
      const [noReason] = await Promise.all([staff.waitForNavigation(), staff.getByRole('button', { name: 'Anfrage ablehnen' }).click()]);
      assertStatus(noReason, 422, 'declining without a reason');
      assert.match(await staff.locator('[role=alert]').innerText(), /Bitte nennen Sie einen Grund/);
      await Promise.all([staff.waitForNavigation(), staff.getByRole('button', { name: 'Anfrage annehmen' }).click()]);
      assert.match(await staff.locator('[role=status]').first().innerText(), /Ihre Entscheidung ist gespeichert/);
      assert.match(await staff.locator('#request-state').innerText(), /angenommen/);
      // The Kita reads the answer.
      await mailFromOutbox(kita, 'hat Ihre Anfrage', 30);
      await page.goto(BASE + link.pathname + link.search);
      assert.equal(await page.locator('#request-state').getAttribute('data-state'), 'accepted');
      await checkPage(page, `${shot}-angenommen`);
    } finally {
      await contexts.close();
    }
  });
}

// A volunteer applies and is accepted, once with JavaScript and once without: the demo's
// Digitaltag role, an application without a message refused at its field, the address confirmed
// from the mail, the provider (here the admin, for the agency the city entered) told by mail,
// accepting in its office, and the volunteer reading the answer.
for (const { js, title, sfx } of JS_MODES) {
  loginTest(`volunteering: a volunteer applies and is accepted${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `ehrenamt${sfx}`;
    const stamp = `${Date.now()}${sfx}`;
    const email = `helferin-${stamp}@musterstadt.example`;
    const name = `Helga Helferin ${stamp}`;
    try {
      const page = await contexts.newPage(`volunteer${sfx}`, { js });
      await page.goto(BASE + '/angebote');
      await follow(page, page.getByRole('link', { name: 'Ehrenamt: Wo Sie mithelfen können' }), (u) => u.pathname === '/ehrenamt');
      await assertH1(page, 'volunteering');
      assert.match(await page.locator('p.summary').innerText(), /6 Aufgaben suchen/);
      await checkPage(page, `${shot}-liste`);
      await follow(page, page.getByRole('link', { name: 'Helferin / Helfer am Digitaltag' }), (u) => u.pathname.startsWith('/ehrenamt/'));
      assert.match(await page.locator('dl.facts').innerText(), /Personen gesucht/);
      await checkPage(page, `${shot}-aufgabe`);
      await follow(page, page.getByRole('link', { name: 'Jetzt bewerben' }), (u) => u.pathname.endsWith('/bewerben'));
      await checkPage(page, `${shot}-formular`);
      await page.getByLabel('Ihr Name').fill(name);
      await page.getByLabel('Ihre E-Mail-Adresse').fill(email);
      // Without a message (the browser's own check taken away): named at its field.
      await page.getByLabel('Ihre Nachricht').evaluate((el) => el.removeAttribute('required'));
      const [empty] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Bewerbung senden' }).click()]);
      assertStatus(empty, 422, 'an application without a message');
      assert.match(await page.locator('[role=alert]').innerText(), /Bitte schreiben Sie eine kurze Nachricht/);
      assert.equal(await page.getByLabel('Ihre Nachricht').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Ihr Name').inputValue(), name);
      await checkPage(page, `${shot}-ohne-nachricht`);
      await page.getByLabel('Ihre Nachricht').fill('Ich habe am Digitaltag Zeit und erkläre gern Videokonferenzen.');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Bewerbung senden' }).click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Bitte bestätigen Sie Ihre Bewerbung');
      const link = new URL(await linkFromOutbox(email, '/bewerbung?token='));
      await page.goto(BASE + link.pathname + link.search);
      assert.equal(await page.locator('#application-state').getAttribute('data-state'), 'unconfirmed');
      await checkPage(page, `${shot}-bestaetigen`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Adresse bestätigen und Bewerbung senden' }).click()]);
      assert.equal(await page.locator('#application-state').getAttribute('data-state'), 'open');
      // The provider hears of it and accepts in its office.
      const told = await mailFromOutbox('engagement@freiwilligenagentur-musterstadt.example', name, 30);
      const office = told.text.match(/https?:\/\/[^\s"<]*\/anbieten\/\d+\/ehrenamt\/\d+/)?.[0];
      assert.ok(office, 'the provider mail links the role in the office');
      const staff = await contexts.newPage(`volunteer-office${sfx}`, { js });
      await signIn(staff, ADMIN_EMAIL, ADMIN_PASSWORD, shot);
      await staff.goto(BASE + new URL(office).pathname);
      const card = staff.locator('article.application').filter({ hasText: name });
      assert.match(await card.innerText(), /erkläre gern Videokonferenzen/);
      await checkPage(staff, `${shot}-anbieter`);
      await Promise.all([staff.waitForNavigation(), card.getByRole('button', { name: `${name} annehmen` }).click()]);
      assert.match(await staff.locator('[role=status]').first().innerText(), /Ihre Entscheidung ist gespeichert/);
      assert.match(await staff.locator('article.application').filter({ hasText: name }).innerText(), /angenommen/);
      await mailFromOutbox(email, 'hat Ihre Bewerbung', 30);
      await page.goto(BASE + link.pathname + link.search);
      assert.equal(await page.locator('#application-state').getAttribute('data-state'), 'accepted');
      await checkPage(page, `${shot}-angenommen`);
    } finally {
      await contexts.close();
    }
  });
}

// The newsletter, once with JavaScript and once without: someone subscribes (without a topic
// first: named), confirms with the button behind the mail's link, receives an issue the admin
// writes and sends, and unsubscribes in one click as a mail programme does (RFC 8058).
for (const { js, title, sfx } of JS_MODES) {
  loginTest(`newsletter: subscribe, confirm, receive an issue and unsubscribe in one click${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `newsletter${sfx}`;
    const stamp = `${Date.now()}${sfx}`;
    const email = `leserin-${stamp}@musterstadt.example`;
    const subject = `Neues aus der Digitalisierung ${stamp}`;
    try {
      const page = await contexts.newPage(`newsletter${sfx}`, { js });
      await page.goto(BASE + '/');
      await follow(page, page.locator('footer').getByRole('link', { name: 'Newsletter abonnieren' }), (u) => u.pathname === '/newsletter');
      await assertH1(page, 'newsletter');
      await checkPage(page, `${shot}-formular`);
      await page.getByLabel('E-Mail-Adresse').fill(email);
      // Every topic unticked: named, nothing subscribed.
      for (const box of await page.locator('#newsletter-topics input[type=checkbox]').all()) await box.uncheck();
      const [none] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Newsletter abonnieren' }).click()]);
      assertStatus(none, 422, 'a subscription without a topic');
      assert.ok((await page.locator('[role=alert]').count()) === 1, 'the problem is named');
      assert.equal(await page.getByLabel('E-Mail-Adresse').inputValue(), email);
      await checkPage(page, `${shot}-ohne-thema`);
      await page.getByLabel('Strategie und Fortschritt').check();
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Newsletter abonnieren' }).click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Bitte bestätigen Sie Ihre Adresse');
      // The link opens a page with a button: a mail scanner following it confirms nothing.
      const link = new URL(await linkFromOutbox(email, '/newsletter/bestaetigen?token='));
      await page.goto(BASE + link.pathname + link.search);
      await checkPage(page, `${shot}-bestaetigen`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Abonnement bestätigen' }).click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Abonnement bestätigt');
      // The admin writes an issue on the strategy and sends it now.
      const admin = await contexts.newPage(`newsletter-office${sfx}`, { js });
      await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, shot);
      await admin.goto(BASE + '/admin/newsletter/neu');
      await checkPage(admin, `${shot}-redaktion`);
      await admin.getByLabel('Betreff').fill(subject);
      await admin.getByLabel('Text (Markdown)').fill('Die **Strategie** kommt voran: drei Maßnahmen sind abgeschlossen.');
      await admin.getByLabel('Strategie und Fortschritt').check();
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Speichern', exact: true }).click()]);
      await checkPage(admin, `${shot}-ausgabe`);
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Versenden', exact: true }).click()]);
      assert.match(await admin.locator('[role=status]').first().innerText(), /Der Versand hat begonnen/);
      // The issue arrives, with the one-click unsubscribe of RFC 8058.
      const mail = await mailFromOutbox(email, 'drei Maßnahmen sind abgeschlossen', 60);
      assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      // A long header may be folded: the link is what stands between the angle brackets.
      const target = mail.headers['list-unsubscribe']?.match(/<(https?:[^>]+)>/)?.[1]?.replace(/\s+/g, '');
      assert.ok(target, `a List-Unsubscribe link: ${mail.headers['list-unsubscribe']}`);
      const url = new URL(target);
      const res = await page.request.post(BASE + url.pathname + url.search, { form: { 'List-Unsubscribe': 'One-Click' } });
      assert.equal(res.status(), 200, 'one click unsubscribes');
      await page.goto(BASE + '/newsletter/archiv');
      assert.match(await page.locator('main').innerText(), new RegExp(subject));
      await checkPage(page, `${shot}-archiv`);
    } finally {
      await contexts.close();
    }
  });
}

// Mein Programm, once with JavaScript and once without: star a session of the Digitaltag, land
// on the private link's page, star another from the event's full list, fetch the iCal feed, and
// unstar one. No account, no cookie.
for (const { js, title, sfx } of JS_MODES) {
  test(`my programme: star sessions, the private link, more from the list, the iCal feed${title}`, TEST_OPTS, async () => {
    const contexts = journeyContexts();
    const shot = `veranstaltungen-mein-programm${sfx}`;
    try {
      const page = await contexts.newPage(`personal${sfx}`, { js });
      await page.goto(BASE + '/veranstaltungen');
      await follow(page, page.getByRole('link', { name: 'Digitaltag 2026 #DigitalMiteinander' }), (u) => u.pathname.startsWith('/veranstaltungen/'));
      const card = page.locator('li.session-card', { hasText: 'Im Gespräch mit dem CDO' });
      if (js) {
        // With script the star works inline: the button says so, and the link to the programme appears.
        await card.getByRole('button', { name: 'Merken' }).click();
        await card.getByRole('button', { name: 'Gemerkt' }).waitFor({ timeout: 10_000 });
        await checkPage(page, `${shot}-inline`);
        await follow(page, page.getByRole('link', { name: 'Mein Programm öffnen' }), (u) => u.pathname === '/mein-programm');
      } else {
        await Promise.all([page.waitForNavigation(), card.getByRole('button', { name: 'Merken' }).click()]);
      }
      assert.equal(new URL(page.url()).pathname, '/mein-programm');
      assert.equal((await page.context().cookies()).length, 0, 'no cookie');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Mein Programm');
      const link = await page.getByLabel('Ihr privater Link').inputValue();
      assert.match(link, /\/mein-programm\?token=\d+\.[0-9a-f]{32}$/);
      await checkPage(page, `${shot}-eins`);
      await follow(page, page.getByRole('link', { name: /Alle Sessions von/ }), (u) => u.pathname.startsWith('/mein-programm/veranstaltungen/'));
      await checkPage(page, `${shot}-liste`);
      const other = page.locator('li.session-card', { hasText: 'Freies WLAN in der Innenstadt' });
      await Promise.all([page.waitForNavigation(), other.getByRole('button', { name: 'Merken' }).click()]);
      assert.match(await page.locator('li.session-card', { hasText: 'Freies WLAN in der Innenstadt' }).innerText(), /gemerkt/);
      // The private link again (as a bookmark would open it): both, in order of start.
      await page.goto(link);
      const titles = await page.locator('li.session-card h2').allInnerTexts();
      assert.deepEqual(titles.map((t) => t.trim()), ['Freies WLAN in der Innenstadt', 'Im Gespräch mit dem CDO']);
      const feed = await page.request.get(BASE + (await page.getByRole('link', { name: /im Kalender abonnieren/ }).getAttribute('href')));
      assert.equal(feed.status(), 200);
      const ics = await feed.text();
      assert.equal((ics.match(/BEGIN:VEVENT/g) || []).length, 2, 'two sessions in the feed');
      assert.match(ics, /BEGIN:VTIMEZONE[\s\S]*TZID:Europe\/Berlin/);
      await checkPage(page, `${shot}-zwei`);
      await Promise.all([page.waitForNavigation(), page.locator('li.session-card', { hasText: 'Freies WLAN' }).getByRole('button', { name: 'Nicht mehr merken' }).click()]);
      assert.equal(await page.locator('li.session-card').count(), 1);
    } finally {
      await contexts.close();
    }
  });
}

for (const { js, title, sfx } of JS_MODES) {
  loginTest(`a guest comments and confirms by mail: no name, the form again, the mail's link, the button, the permalink without the address${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `gast${sfx}`;
    const stamp = Date.now();
    const email = `gast-${stamp}${sfx}@musterstadt.example`;
    const name = `Gast Amsel ${js ? 'mit' : 'ohne'} JS`;
    const text = `Als Gast${js ? '' : ' ohne JavaScript'}: Gibt es den Digitaltag auch mit Gebärdensprache? (${stamp})`;
    try {
      const page = await contexts.newPage(`guest${sfx}`, { js });
      await page.goto(BASE + DEMO_MEASURE);
      await checkPage(page, `${shot}-massnahme`);
      const form = page.locator('#diskussion form.guest-form');
      assert.equal(await form.getAttribute('action'), `${DEMO_MEASURE}/kommentare/gast`);
      // Without a name (the browser's own check taken away) the form comes back and says why.
      await form.getByLabel('Ihr Name (wird angezeigt)').evaluate((el) => el.removeAttribute('required'));
      await form.getByLabel('Ihre E-Mail-Adresse').fill(email);
      await form.getByLabel('Ihr Kommentar').fill(text);
      const [refused] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Kommentar veröffentlichen' }).click()]);
      assertStatus(refused, 422, 'guest comment without a name');
      assert.match(await page.locator('[role=alert]').innerText(), /Bitte geben Sie einen Namen/);
      await checkPage(page, `${shot}-ohne-name`);
      // The form again, with what was typed; with the name it goes out.
      const again = page.locator('form.guest-form');
      assert.equal(await again.getByLabel('Ihre E-Mail-Adresse').inputValue(), email, 'the form keeps the address');
      assert.equal(await again.getByLabel('Ihr Kommentar').inputValue(), text, 'the form keeps the text');
      await again.getByLabel('Ihr Name (wird angezeigt)').fill(name);
      await Promise.all([page.waitForNavigation(), again.getByRole('button', { name: 'Kommentar veröffentlichen' }).click()]);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Fast geschafft: Bitte bestätigen Sie Ihren Kommentar');
      await checkPage(page, `${shot}-gesendet`);
      const unconfirmed = await (await fetch(BASE + DEMO_MEASURE)).text();
      assert.ok(!unconfirmed.includes(String(stamp)), 'an unconfirmed comment is not shown');
      // The link in the mail opens a page with the comment and a button (mail scanners follow links).
      const link = new URL(await linkFromOutbox(email, '/kommentare/bestaetigen?token='));
      await page.goto(BASE + link.pathname + link.search);
      assert.equal((await page.locator('h1').innerText()).trim(), 'Kommentar bestätigen');
      assert.equal((await page.locator('main .comment-body').innerText()).trim(), text);
      await checkPage(page, `${shot}-bestaetigen`);
      const confirm = page.locator('form[method=post][action="/kommentare/bestaetigen"]');
      await Promise.all([page.waitForNavigation(), confirm.getByRole('button', { name: 'Kommentar veröffentlichen' }).click()]);
      const id = commentIdIn(page.url(), 'confirmed guest comment');
      assert.equal(new URL(page.url()).pathname, `/kommentare/${id}`, 'confirming leads to the permalink');
      const comment = page.locator(`#kommentar-${id}`);
      assert.equal((await comment.locator('.comment-body').innerText()).trim(), text);
      assert.match(await comment.locator('.comment-meta').innerText(), new RegExp(`^${name} \\(Gast\\)`));
      const noAddress = (html, where) => {
        const lower = html.toLowerCase();
        assert.ok(!lower.includes(email.toLowerCase()) && !lower.includes(`gast-${stamp}`), `${where}: the guest's e-mail address is in the HTML`);
      };
      noAddress(await page.content(), 'permalink');
      await checkPage(page, `${shot}-bestaetigt`);
      // The measure page shows it too, without the address.
      await page.goto(BASE + DEMO_MEASURE);
      assert.equal((await page.locator(`#diskussion #kommentar-${id} .comment-body`).innerText()).trim(), text);
      noAddress(await page.content(), 'measure page');
      await checkPage(page, `${shot}-massnahme-bestaetigt`);
    } finally {
      await contexts.close();
    }
  });
}

// Registration with a waiting list, once with JavaScript and once without, on the demo's
// Smartphone-Sprechstunde (two places): the places left fill up (by guests registered over HTTP),
// a guest registers in the browser and confirms by the mail's link (a button), gets the calendar
// file; the next one lands on the waiting list; the first cancels, the next gets the offer by mail
// and takes the place; at the end that one cancels, so the next run finds one place free.
const SPRECHSTUNDE = 'Smartphone-Sprechstunde für Einsteigerinnen und Einsteiger';

/** A guest's registration over HTTP from the page `registerPath`, confirmed by its mail. */
async function registerGuestByHttp(registerPath, name, email) {
  const html = await (await fetch(BASE + registerPath)).text();
  const csrf = html.match(/action="[^"]*\/anmelden\/gast"[\s\S]*?name="csrf" value="([^"]+)"/)?.[1];
  assert.ok(csrf, `the guest form of ${registerPath}`);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: BASE_ORIGIN };
  const sent = await fetch(`${BASE}${registerPath}/gast`, { method: 'POST', headers, body: new URLSearchParams({ csrf, name, email, website: '' }) });
  assert.equal(sent.status, 200, `registering ${email}`);
  const link = new URL(await linkFromOutbox(email, '/anmeldung?token='));
  const token = link.searchParams.get('token');
  const confirmed = await fetch(`${BASE}/anmeldung/bestaetigen`, { method: 'POST', headers, body: new URLSearchParams({ token }), redirect: 'manual' });
  assert.equal(confirmed.status, 303, `confirming ${email}`);
  return link.pathname + link.search;
}

/** The registration page's state line. */
async function registrationState(page) {
  return (await page.locator('#registration-state').innerText()).trim();
}

/** Registers a guest in the browser on the open registration page and confirms from the mail. */
async function registerGuestInBrowser(page, name, email, shot) {
  const form = page.locator('form[action$="/anmelden/gast"]');
  await form.getByLabel('Ihr Name').fill(name);
  await form.getByLabel('Ihre E-Mail-Adresse').fill(email);
  await Promise.all([page.waitForNavigation(), form.getByRole('button').click()]);
  assert.equal((await page.locator('h1').innerText()).trim(), 'Fast geschafft');
  await checkPage(page, `${shot}-gesendet`);
  const link = new URL(await linkFromOutbox(email, '/anmeldung?token='));
  await page.goto(BASE + link.pathname + link.search);
  assert.equal((await page.locator('#registration-state').getAttribute('data-state')), 'unconfirmed');
  await checkPage(page, `${shot}-bestaetigen`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmeldung bestätigen' }).click()]);
  return link.pathname + link.search;
}

for (const { js, title, sfx } of JS_MODES) {
  loginTest(`registration: a guest registers and confirms, the waiting list, a cancellation offers the place to the next${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `veranstaltungen-anmeldung${sfx}`;
    const stamp = `${Date.now()}${sfx}`;
    try {
      const page = await contexts.newPage(`registration${sfx}`, { js });
      await page.goto(BASE + '/veranstaltungen');
      await follow(page, page.getByRole('link', { name: 'Digitaltag 2026 #DigitalMiteinander' }), (u) => u.pathname.startsWith('/veranstaltungen/'));
      await follow(page, page.getByRole('link', { name: SPRECHSTUNDE }), (u) => u.pathname.includes('/sessions/'));
      const section = page.locator('section.registration');
      assert.match(await section.innerText(), /Plätzen frei/, 'the session has places of its own');
      await follow(page, section.getByRole('link', { name: 'Zur Anmeldung' }), (u) => u.pathname.endsWith('/anmelden'));
      const registerPath = new URL(page.url()).pathname;
      await checkPage(page, `${shot}-formular`);
      // Without a name (the browser's own check taken away) the form comes back and says why.
      const form = page.locator('form[action$="/anmelden/gast"]');
      await form.getByLabel('Ihr Name').evaluate((el) => el.removeAttribute('required'));
      await form.getByLabel('Ihre E-Mail-Adresse').fill(`anna-${stamp}@musterstadt.example`);
      const [refused] = await Promise.all([page.waitForNavigation(), form.getByRole('button').click()]);
      assertStatus(refused, 422, 'registration without a name');
      assert.match(await page.locator('[role=alert]').innerText(), /Bitte geben Sie Ihren Namen an/);
      await checkPage(page, `${shot}-ohne-name`);
      // All places but one go to guests registered over HTTP.
      const free = Number((await page.locator('dl.facts').innerText()).match(/Noch (\d+) von/)?.[1] ?? 0);
      assert.ok(free >= 1, `a place is free at the start of the run (${free})`);
      for (let i = 1; i < free; i++) await registerGuestByHttp(registerPath, `Füllgast ${i}`, `fuell-${i}-${stamp}@musterstadt.example`);
      // Anna takes the last place.
      await page.goto(BASE + registerPath);
      const anna = `anna-${stamp}@musterstadt.example`;
      const annaPage = await registerGuestInBrowser(page, 'Anna Amsel', anna, `${shot}-anna`);
      assert.equal(await registrationState(page), 'Sie sind angemeldet.');
      await checkPage(page, `${shot}-angemeldet`);
      const confirmation = await mailFromOutbox(anna, 'Sie sind für', 30);
      const raw = readFileSync(`${OUTBOX}/${confirmation.file}`, 'utf8');
      assert.ok(/text\/calendar/.test(raw) && raw.includes('termin.ics'), 'the confirmation carries the calendar file');
      const ics = await page.request.get(BASE + (await page.getByRole('link', { name: /Termin in den Kalender/ }).getAttribute('href')));
      assert.equal(ics.status(), 200);
      assert.match(await ics.text(), /BEGIN:VEVENT[\s\S]*Smartphone-Sprechstunde/);
      // Full now: Ben goes on the waiting list.
      await page.goto(BASE + registerPath);
      assert.match(await page.locator('dl.facts').innerText(), /Ausgebucht/);
      await checkPage(page, `${shot}-ausgebucht`);
      const ben = `ben-${stamp}@musterstadt.example`;
      const benPage = await registerGuestInBrowser(page, 'Ben Buchfink', ben, `${shot}-ben`);
      assert.equal(await registrationState(page), 'Sie stehen als Nächste oder Nächster auf der Warteliste.');
      await checkPage(page, `${shot}-warteliste`);
      // Anna cancels: Ben is offered the place by mail and takes it.
      await page.goto(BASE + annaPage);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmeldung stornieren' }).click()]);
      assert.equal(await registrationState(page), 'Diese Anmeldung ist storniert.');
      await checkPage(page, `${shot}-storniert`);
      const offer = await mailFromOutbox(ben, 'ist ein Platz frei geworden', 60);
      assert.match(offer.headers.subject, /^Ein Platz ist frei/);
      await page.goto(BASE + benPage);
      assert.match(await registrationState(page), /für Sie reserviert/);
      await checkPage(page, `${shot}-angebot`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Platz annehmen' }).click()]);
      assert.equal(await registrationState(page), 'Sie sind angemeldet.');
      // Ben cancels too, so that the next run finds a place.
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmeldung stornieren' }).click()]);
      assert.equal(await registrationState(page), 'Diese Anmeldung ist storniert.');
      // A made-up link is refused clearly.
      const wrong = await page.goto(BASE + '/anmeldung?token=1.erfunden');
      assertStatus(wrong, 400, 'a wrong registration token');
      await checkPage(page, `${shot}-falscher-link`);
    } finally {
      await contexts.close();
    }
  });
}

// The organisers' side, without JavaScript: an admin (who runs every event) opens the Digitaltag's
// registrations, finds the guest who kept a place of the Sprechstunde in the journey above and
// checks them in at the door; the CSV export lists them.
loginTest("the organisers' side: the Digitaltag's registrations by state, check-in at the door, the CSV export", async () => {
  const contexts = journeyContexts();
  const shot = 'veranstaltungen-veranstalten';
  try {
    const page = await contexts.newPage('organise', { js: false });
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, `${shot}-admin`);
    await follow(page, page.getByRole('link', { name: 'Veranstalten', exact: true }), (u) => u.pathname === '/veranstalten');
    await checkPage(page, `${shot}-liste`);
    await follow(page, page.getByRole('link', { name: 'Digitaltag 2026 #DigitalMiteinander', exact: true }), (u) => u.pathname.endsWith('/anmeldungen'));
    assert.match(await page.locator('table.data caption').first().innerText(), /Anmeldungen nach Platz und Status/);
    await checkPage(page, `${shot}-anmeldungen`);
    const row = page.locator('tr', { hasText: 'Füllgast 1' }).first();
    assert.equal(await row.count(), 1, 'the guest who kept a place of the Sprechstunde is listed');
    await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: /einchecken$/ }).click()]);
    assert.match(await page.locator('tr', { hasText: 'Füllgast 1' }).first().innerText(), /eingecheckt um/);
    await checkPage(page, `${shot}-eingecheckt`);
    const csv = await page.request.get(BASE + (await page.getByRole('link', { name: 'Teilnehmende als CSV herunterladen' }).getAttribute('href')));
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /Füllgast 1;fuell-1-[^;]+;Smartphone-Sprechstunde[^;]*;confirmed;/);
    const waiting = new URL(page.url());
    waiting.search = '?status=cancelled';
    await page.goto(waiting.toString());
    assert.ok((await page.locator('tbody tr').count()) >= 2, 'the cancelled registrations of both runs');
    await checkPage(page, `${shot}-storniert`);
  } finally {
    await contexts.close();
  }
});

// Live Q&A, once with JavaScript and once without, on the demo's "Im Gespräch mit dem CDO"
// (moderated, with questions sent in advance by mail): a guest asks, the organiser (the admin)
// approves the question — with script it appears on the guest's open page without a reload —,
// the guest supports it once, the moderation marks it answered and pins it, and the projector
// view shows it first.
const CDO_SESSION = 'Im Gespräch mit dem CDO';

for (const { js, title, sfx } of JS_MODES) {
  loginTest(`live Q&A: ask, approve, support, answer, pin, the projector view${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `veranstaltungen-fragen${sfx}`;
    const question = `Wie sicher sind die Daten im Bürgerportal? (${Date.now()}${sfx})`;
    try {
      const guest = await contexts.newPage(`questions${sfx}`, { js });
      await guest.goto(BASE + '/veranstaltungen');
      await follow(guest, guest.getByRole('link', { name: 'Digitaltag 2026 #DigitalMiteinander' }), (u) => u.pathname.startsWith('/veranstaltungen/'));
      await follow(guest, guest.getByRole('link', { name: CDO_SESSION }), (u) => u.pathname.includes('/sessions/'));
      await follow(guest, guest.getByRole('link', { name: /Fragen stellen und unterstützen/ }), (u) => u.pathname.endsWith('/fragen'));
      const questionsUrl = guest.url();
      assert.match(await guest.locator('.questions-live').innerText(), /per E-Mail/, 'the questions sent in advance');
      await checkPage(guest, `${shot}-liste`);
      // Too short: the form again with the reason (the browser's own check taken away).
      const form = guest.locator('form.question-form');
      await form.getByLabel('Ihre Frage').evaluate((el) => el.removeAttribute('minlength'));
      await form.getByLabel('Ihre Frage').fill('Wie?');
      const [refused] = await Promise.all([guest.waitForNavigation(), form.getByRole('button', { name: 'Frage stellen' }).click()]);
      assertStatus(refused, 422, 'a question that is too short');
      assert.match(await guest.locator('[role=alert]').innerText(), /zu kurz/);
      await checkPage(guest, `${shot}-zu-kurz`);
      await guest.locator('form.question-form').getByLabel('Ihre Frage').fill(question);
      await Promise.all([guest.waitForNavigation(), guest.locator('form.question-form').getByRole('button', { name: 'Frage stellen' }).click()]);
      assert.equal((await guest.locator('h1').innerText()).trim(), 'Danke für Ihre Frage');
      await checkPage(guest, `${shot}-danke`);
      await guest.goto(questionsUrl);
      assert.ok(!(await guest.content()).includes(question), 'held for the moderation');

      // The organiser approves it.
      const admin = await contexts.newPage(`questions-admin${sfx}`, { js });
      await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, `${shot}-admin`);
      await admin.goto(BASE + '/veranstalten');
      await follow(admin, admin.getByRole('link', { name: '„Digitaltag 2026 #DigitalMiteinander“ bearbeiten' }), (u) => u.pathname.endsWith('/bearbeiten'));
      await follow(admin, admin.getByRole('link', { name: 'Programm und Räume' }), (u) => u.pathname.endsWith('/programm'));
      await checkPage(admin, `${shot}-programm`);
      await follow(admin, admin.getByRole('link', { name: `Fragen zu „${CDO_SESSION}“` }), (u) => u.pathname.endsWith('/fragen'));
      await checkPage(admin, `${shot}-moderation`);
      const item = () => admin.locator('li.question', { hasText: question });
      assert.equal(await item().getAttribute('data-state'), 'queued');
      await Promise.all([admin.waitForNavigation(), item().getByRole('button', { name: 'Freigeben' }).click()]);
      assert.equal(await item().getAttribute('data-state'), 'visible');
      // With script the guest's open page shows it without a reload; without, a reload does.
      if (js) {
        await guest.locator('.questions-live', { hasText: question }).waitFor({ timeout: 15_000 });
      } else {
        await guest.reload();
      }
      const mine = guest.locator('li.question', { hasText: question });
      assert.match(await mine.innerText(), /anonym/);
      await Promise.all([guest.waitForNavigation(), mine.getByRole('button', { name: 'Frage unterstützen' }).click()]);
      assert.match(await guest.locator('li.question', { hasText: question }).innerText(), /eine Person unterstützt die Frage/);
      await checkPage(guest, `${shot}-unterstuetzt`);

      // Answered and pinned: first on the list and on the projector.
      await Promise.all([admin.waitForNavigation(), item().getByRole('button', { name: 'Als beantwortet markieren' }).click()]);
      await Promise.all([admin.waitForNavigation(), item().getByRole('button', { name: 'Anheften' }).click()]);
      assert.match(await item().innerText(), /Angeheftet/);
      await checkPage(admin, `${shot}-angeheftet`);
      await guest.goto(questionsUrl + '/leinwand');
      const first = guest.locator('.projector-list > li').first();
      assert.match(await first.innerText(), /Angeheftet/);
      assert.ok((await first.innerText()).includes(question), 'the pinned question first on the projector');
      await checkPage(guest, `${shot}-leinwand`);
      // Archived afterwards, so the next run's question is pinned on its own.
      await Promise.all([admin.waitForNavigation(), item().getByRole('button', { name: 'Archivieren' }).click()]);
    } finally {
      await contexts.close();
    }
  });
}

// The parts of an event beside its programme, once with JavaScript and once without: the list
// filtered by a target group, the Digitaltag's image; an admin links the seminar to a target
// group, gives it an image with its text (a file without a text is refused), adds and removes a
// further organiser, and answers in a session's discussion for the event. Everything is undone
// at the end, so the second run starts alike.
const SEMINAR = 'Online-Seminar: Sicher unterwegs im Netz';
const DEMO_IMAGE = readFileSync(fileURLToPath(new URL('../crates/stadtradar/demo/digitaltag.png', import.meta.url)));
for (const { js, title, sfx } of JS_MODES) {
  loginTest(`event parts: the list by target group, the image, topics, organisers and a session's discussion${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `veranstaltungen-teile${sfx}`;
    const stamp = `${Date.now()}${sfx}`;
    try {
      // The list, filtered on submit: families find the Digitaltag only.
      const page = await contexts.newPage(`event-parts${sfx}`, { js });
      await page.goto(BASE + '/veranstaltungen');
      await page.getByLabel('Zielgruppe').selectOption({ label: 'Familien' });
      assert.equal(new URL(page.url()).search, '', 'choosing does not navigate (WCAG 3.2.2)');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Filter anwenden' }).click()]);
      assert.equal(new URL(page.url()).searchParams.get('target_group'), 'familien');
      assert.match(await page.locator('[role=status]').innerText(), /Eine Veranstaltung zu: Familien/);
      assert.equal(await page.locator('ol.event-list > li').count(), 1);
      assert.ok((await page.locator('ol.event-list').innerText()).includes('Digitaltag 2026'));
      await checkPage(page, `${shot}-liste-familien`);
      // The Digitaltag's image, at its size, described; its topics link back.
      await follow(page, page.getByRole('link', { name: 'Digitaltag 2026 #DigitalMiteinander' }), (u) => u.pathname.startsWith('/veranstaltungen/'));
      const img = page.locator('figure.event-image img');
      assert.match(await img.getAttribute('alt'), /^Grafik: fünf farbige Balken/);
      assert.equal(await img.getAttribute('width'), '960');
      assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth === 960), 'the image loads');
      assert.match(await page.locator('dl.facts').innerText(), /Seniorinnen und Senioren/);
      await checkPage(page, `${shot}-digitaltag`);

      // An admin: the seminar's form, its target groups, its image, its organisers.
      const admin = await contexts.newPage(`event-parts-admin${sfx}`, { js });
      await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, `${shot}-admin`);
      await admin.goto(BASE + '/veranstalten');
      await follow(admin, admin.getByRole('link', { name: `„${SEMINAR}“ bearbeiten` }), (u) => u.pathname.endsWith('/bearbeiten'));
      const editUrl = admin.url();
      const families = admin.locator('fieldset#groups').getByLabel('Familien');
      assert.equal(await families.isChecked(), false);
      await families.check();
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Speichern' }).click()]);
      assert.match(await admin.locator('[role=status]').first().innerText(), /Gespeichert/);
      assert.equal(await admin.locator('fieldset#groups').getByLabel('Familien').isChecked(), true);
      // A file without its text: refused, with the field named.
      const imageForm = admin.locator('form[enctype="multipart/form-data"]');
      await imageForm.getByLabel(/Bilddatei/).setInputFiles({ name: 'seminar.png', mimeType: 'image/png', buffer: DEMO_IMAGE });
      const [refused] = await Promise.all([admin.waitForNavigation(), imageForm.getByRole('button', { name: 'Bild hochladen' }).click()]);
      assertStatus(refused, 422, 'an image without its text');
      assert.match(await admin.locator('#image_alt-error').innerText(), /Alternativtext/);
      await checkPage(admin, `${shot}-bild-ohne-text`);
      const again = admin.locator('form[enctype="multipart/form-data"]');
      await again.getByLabel(/Bilddatei/).setInputFiles({ name: 'seminar.png', mimeType: 'image/png', buffer: DEMO_IMAGE });
      await again.getByLabel('Alternativtext').fill(`Radar und Balken (${stamp})`);
      await Promise.all([admin.waitForNavigation(), again.getByRole('button', { name: 'Bild hochladen' }).click()]);
      assert.match(await admin.locator('[role=status]').first().innerText(), /Das Bild ist gespeichert/);
      assert.equal(await admin.locator('figure.event-image img').getAttribute('alt'), `Radar und Balken (${stamp})`);
      await checkPage(admin, `${shot}-bild`);
      // Families now find the seminar too.
      await page.goto(BASE + '/veranstaltungen?target_group=familien');
      assert.equal(await page.locator('ol.event-list > li').count(), 2);

      // The formats: a pale colour is refused with the reason, a new format is added.
      await admin.goto(BASE + '/veranstalten');
      await follow(admin, admin.getByRole('link', { name: 'Formate verwalten' }), (u) => u.pathname === '/veranstalten/formate');
      await checkPage(admin, `${shot}-formate`);
      const newFormat = admin.locator('section[aria-labelledby="h-new-format"] form');
      await newFormat.getByLabel('Name').fill(`Barcamp ${stamp}`);
      await newFormat.getByLabel('Übliche Dauer in Minuten').fill('240');
      await newFormat.getByLabel('Farbe').fill('#ffee88');
      const [pale] = await Promise.all([admin.waitForNavigation(), newFormat.getByRole('button', { name: 'Format anlegen' }).click()]);
      assertStatus(pale, 422, 'a format colour without contrast');
      assert.match(await admin.locator('#colour-neu-error').innerText(), /hebt sich zu wenig/);
      await checkPage(admin, `${shot}-formate-blass`);
      await admin.locator('section[aria-labelledby="h-new-format"] form').getByLabel('Farbe').fill('#005a5a');
      await Promise.all([admin.waitForNavigation(), admin.locator('section[aria-labelledby="h-new-format"] form').getByRole('button', { name: 'Format anlegen' }).click()]);
      assert.match(await admin.locator('[role=status]').first().innerText(), /Das Format ist angelegt/);
      // The session form: its target groups.
      await admin.goto(editUrl.replace(/\/bearbeiten$/, '/programm'));
      await follow(admin, admin.locator('table.data tbody th a').first(), (u) => /\/sessions\/\d+$/.test(u.pathname));
      assert.ok((await admin.locator('fieldset#groups').count()) === 1, 'the session form has the target groups');
      await checkPage(admin, `${shot}-session-formular`);

      // A further organiser, added and removed: a person of the demo whom the admin makes an
      // organiser (no new account: the run's sign-ups from one address are limited).
      const organiser = js ? 'person-12@demo.stadtradar.invalid' : 'person-13@demo.stadtradar.invalid';
      const row = await userRow(admin, organiser);
      await row.getByLabel('Veranstaltungen').check();
      await Promise.all([admin.waitForNavigation(), row.getByRole('button', { name: 'Speichern' }).click()]);
      await admin.goto(editUrl);
      const section = admin.locator('section[aria-labelledby="h-organisers"]');
      const option = await section.locator('option', { hasText: organiser }).getAttribute('value');
      await section.getByLabel('Organisator*in').selectOption(option);
      await Promise.all([admin.waitForNavigation(), section.getByRole('button', { name: 'Hinzufügen' }).click()]);
      assert.match(await admin.locator('[role=status]').first().innerText(), /mit betreuen/);
      assert.ok((await admin.locator('section[aria-labelledby="h-organisers"] ul').innerText()).includes(organiser));
      await checkPage(admin, `${shot}-organisation`);
      await Promise.all([
        admin.waitForNavigation(),
        admin.locator('section[aria-labelledby="h-organisers"] li', { hasText: organiser }).getByRole('button', { name: /Entfernen/ }).click(),
      ]);
      assert.match(await admin.locator('[role=status]').first().innerText(), /nicht mehr mit/);

      // A session's discussion: the admin answers for the event.
      await page.goto(BASE + '/veranstaltungen');
      await follow(page, page.getByRole('link', { name: 'Digitaltag 2026 #DigitalMiteinander' }), (u) => u.pathname.startsWith('/veranstaltungen/'));
      await follow(page, page.getByRole('link', { name: CDO_SESSION }), (u) => u.pathname.includes('/sessions/'));
      const sessionUrl = page.url();
      await admin.goto(sessionUrl);
      const comment = `Die Aufzeichnung steht ab morgen bereit (${stamp}).`;
      const form = admin.locator('#diskussion form.comment-form');
      await form.getByLabel('Ihr Kommentar').fill(comment);
      await form.getByLabel(OFFICIAL_BOX).check();
      await Promise.all([admin.waitForNavigation(), form.getByRole('button', { name: 'Kommentar veröffentlichen' }).click()]);
      const posted = admin.locator('article.comment', { hasText: comment });
      assert.match(await posted.innerText(), /Antwort der Stadt/);
      await page.goto(sessionUrl);
      assert.ok((await page.locator('#diskussion').innerText()).includes(comment), 'readers see the answer');
      await checkPage(page, `${shot}-session-diskussion`);

      // Undone: the target group and the image.
      await admin.goto(editUrl);
      await admin.locator('fieldset#groups').getByLabel('Familien').uncheck();
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Speichern' }).click()]);
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Bild entfernen' }).click()]);
      assert.match(await admin.locator('[role=status]').first().innerText(), /Das Bild ist entfernt/);
    } finally {
      await contexts.close();
    }
  });
}

// Ideas, once with JavaScript and once without: a citizen proposes an idea (similar ones are
// shown first) and supports someone else's; the city answers her idea with a status. Before the
// import, which replaces the demo and its ideas.
for (const { js, title, sfx } of JS_MODES) {
  loginTest(`a citizen proposes an idea past the similar ones, supports another, and the city answers${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `ideen${sfx}`;
    const stamp = Date.now();
    const email = `ideen-${stamp}${sfx}@musterstadt.example`;
    const pw = 'Lesepaten im Schulhof 12';
    try {
      const page = await contexts.newPage(`ideas${sfx}`, { js });
      await page.goto(BASE + '/ideen');
      await assertH1(page, 'ideas list');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Ideen');
      assert.ok(await page.locator('ol.idea-list > li').count() >= 10, 'the demo ideas are listed');
      await checkPage(page, `${shot}-liste`);
      // Filtered by status, with the filter form (a GET).
      await page.getByLabel('Status').selectOption('rejected');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anzeigen' }).click()]);
      assert.equal(new URL(page.url()).searchParams.get('status'), 'rejected');
      const statuses = await page.locator('ol.idea-list .idea-status').allInnerTexts();
      assert.ok(statuses.length > 0 && statuses.every((s) => s.trim() === 'abgelehnt'), `only rejected ideas: ${statuses}`);
      await checkPage(page, `${shot}-abgelehnt`);

      await registerCitizen(page, `Ideengeberin ${js ? 'mit' : 'ohne'} JS`, email, pw, shot);
      await signIn(page, email, pw, shot);
      await page.goto(BASE + '/ideen');
      await follow(page, page.getByRole('link', { name: 'Idee einreichen' }), (u) => u.pathname === '/ideen/neu');
      await checkPage(page, `${shot}-formular`);
      // Empty (the browser's own checks taken away): every problem named, the form kept.
      await page.locator('form.idea-form [required]').evaluateAll((els) => els.forEach((el) => el.removeAttribute('required')));
      const [refused] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Weiter' }).click()]);
      assertStatus(refused, 422, 'empty idea');
      assert.match(await page.locator('[role=alert]').innerText(), /Bitte wählen Sie ein Handlungsfeld\./);
      await checkPage(page, `${shot}-leer`);
      const ideaTitle = `Tablets zum Ausleihen für Schulkinder (${stamp})`;
      await page.getByLabel('Handlungsfeld').selectOption('bildung');
      await page.getByLabel('Titel').fill(ideaTitle);
      await page.getByLabel('Beschreibung').fill('Schulkinder ohne eigenes Gerät sollten sich in den Ferien Tablets ausleihen können.');
      await page.getByLabel('Warum ist die Idee wichtig?').fill('Damit niemand in den Ferien den Anschluss verliert.');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Weiter' }).click()]);
      // Similar measures and ideas first; the form keeps what she wrote.
      assert.equal((await page.locator('#h-similar').innerText()).trim(), 'Ähnliche Maßnahmen und Ideen');
      assert.ok(await page.locator('section.similar li a').count() > 0, 'similar measures or ideas are shown');
      assert.equal(await page.getByLabel('Titel').inputValue(), ideaTitle);
      await checkPage(page, `${shot}-aehnliche`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Idee einreichen' }).click()]);
      assert.match(new URL(page.url()).pathname, /^\/ideen\/\d+$/);
      const ideaPath = new URL(page.url()).pathname;
      assert.equal((await page.locator('h1').innerText()).trim(), ideaTitle);
      assert.equal((await page.locator('#h-status ~ p .idea-status').innerText()).trim(), 'eingereicht');
      assert.equal((await page.locator('.idea-own').innerText()).trim(), 'Das ist Ihre Idee.');
      await checkPage(page, `${shot}-eingereicht`);

      // She supports someone else's idea that is still open.
      await page.goto(BASE + '/ideen?status=submitted&sort=newest');
      const other = page.locator('ol.idea-list > li h3 a').filter({ hasNotText: String(stamp) }).first();
      await follow(page, other, (u) => /^\/ideen\/\d+$/.test(u.pathname));
      const before = (await page.locator('.idea-supports').innerText()).trim();
      await checkPage(page, `${shot}-fremde-idee`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Idee unterstützen' }).click()]);
      assert.equal(new URL(page.url()).hash, '#unterstuetzung');
      assert.equal((await page.locator('.idea-supported').innerText()).trim(), 'Sie unterstützen diese Idee.');
      assert.notEqual((await page.locator('.idea-supports').innerText()).trim(), before, 'the count changed');
      assert.equal(await page.getByRole('button', { name: 'Unterstützung zurücknehmen' }).count(), 1);
      await checkPage(page, `${shot}-unterstuetzt`);

      // The city (the first admin) answers her idea: in review, with a public answer.
      const admin = await contexts.newPage(`ideas-admin${sfx}`, { js });
      await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, `${shot}-admin`);
      await admin.goto(BASE + ideaPath);
      await follow(admin, admin.getByRole('link', { name: 'Status ändern' }), (u) => u.pathname === `${ideaPath}/status`);
      await checkPage(admin, `${shot}-status`);
      await admin.getByLabel('in Prüfung').check();
      await admin.getByLabel('Antwort der Stadt').fill('Das Schulamt prüft, ob der Tablet-Verleih auch in den Ferien möglich ist.');
      await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Status speichern' }).click()]);
      assert.equal(new URL(admin.url()).pathname, ideaPath);
      await page.goto(BASE + ideaPath);
      assert.equal((await page.locator('#h-status ~ p .idea-status').innerText()).trim(), 'in Prüfung');
      assert.match(await page.locator('.idea-answer').innerText(), /Schulamt prüft/);
      await checkPage(page, `${shot}-in-pruefung`);
    } finally {
      await contexts.close();
    }
  });
}

/** Reports comment `id` from the page `page` is on: its link "Melden", a reason, "Meldung senden". */
async function reportComment(page, id, reason, shot) {
  const link = page.locator(`#kommentar-${id} .comment-actions`).getByRole('link', { name: 'Melden', exact: true });
  await follow(page, link, (u) => u.pathname === `/kommentare/${id}/melden`);
  assert.equal((await page.locator('h1').innerText()).trim(), 'Kommentar melden');
  await checkPage(page, `${shot}-formular`);
  const reasons = page.getByRole('group', { name: 'Grund der Meldung' });
  assert.deepEqual(
    (await reasons.locator('label').allInnerTexts()).map((l) => l.trim()),
    ['Werbung oder Spam', 'Beleidigend', 'Nicht zum Thema', 'Enthält personenbezogene Daten', 'Sonstiges'],
  );
  await reasons.getByLabel(reason, { exact: true }).check();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Meldung senden' }).click()]);
  assert.equal((await page.locator('h1').innerText()).trim(), 'Danke für Ihre Meldung');
  await checkPage(page, shot);
}

for (const { js, title, sfx } of JS_MODES) {
  loginTest(`a moderator hides a reported comment: three reports hide it, the queue, hidden with a public reason${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `moderation${sfx}`;
    const stamp = Date.now();
    const pw = 'Brunnen am Marktplatz 34';
    try {
      // A citizen comments.
      const author = await contexts.newPage(`report-author${sfx}`, { js });
      const authorEmail = `autorin-${stamp}${sfx}@musterstadt.example`;
      await registerCitizen(author, 'Bürgerin Streit', authorEmail, pw, `${shot}-autorin`);
      await signIn(author, authorEmail, pw, `${shot}-autorin`);
      await author.goto(BASE + DEMO_MEASURE);
      await checkPage(author, `${shot}-autorin-massnahme`);
      const text = `Ein Kommentar, den drei Personen melden${js ? '' : ' (ohne JavaScript)'}: Nr. ${stamp}.`;
      const id = await postComment(author, DEMO_MEASURE, text, `${shot}-kommentiert`);
      const own = author.locator(`#kommentar-${id} .comment-actions`);
      assert.equal(await own.getByRole('link', { name: 'Melden', exact: true }).count(), 0, 'nobody reports their own comment');

      // Three people report it: one without an account (counted once per client address, and
      // every context here has the same one), and two signed-in citizens.
      const reporters = [
        { who: 'anonym', reason: 'Beleidigend' },
        { who: 'melder', reason: 'Beleidigend', name: 'Bürger Melder' },
        { who: 'melderin', reason: 'Werbung oder Spam', name: 'Bürgerin Melderin' },
      ];
      let anonymous;
      for (const r of reporters) {
        const page = await contexts.newPage(`reporter-${r.who}${sfx}`, { js });
        if (r.name) {
          const email = `${r.who}-${stamp}${sfx}@musterstadt.example`;
          await registerCitizen(page, r.name, email, pw, `${shot}-${r.who}`);
          await signIn(page, email, pw, `${shot}-${r.who}`);
        } else {
          anonymous = page;
        }
        await page.goto(BASE + DEMO_MEASURE);
        assert.equal((await page.locator(`#kommentar-${id} .comment-body`).innerText()).trim(), text, 'shown until the third report');
        await checkPage(page, `${shot}-${r.who}-massnahme`);
        await reportComment(page, id, r.reason, `${shot}-${r.who}-gemeldet`);
      }

      // At the third report (the default threshold) it is hidden until the moderation looks at it.
      await anonymous.goto(BASE + DEMO_MEASURE);
      const held = anonymous.locator(`#kommentar-${id}`);
      assert.match(await held.locator('.comment-gone').innerText(), /Dieser Kommentar ist ausgeblendet, bis die Moderation ihn prüft/);
      assert.ok(!(await held.innerText()).includes(text), 'the reported text is not shown');
      await checkPage(anonymous, `${shot}-massnahme-gemeldet`);

      // The admin (who holds every role) finds it in the queue and hides it with a public reason.
      const admin = await contexts.newPage(`moderator${sfx}`, { js });
      await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, `${shot}-admin`);
      await follow(admin, admin.getByRole('banner').getByRole('link', { name: 'Moderation', exact: true }), (u) => u.pathname === '/moderation');
      assert.equal((await admin.locator('h1').innerText()).trim(), 'Moderation');
      const item = admin.locator('li.queue-item').filter({ has: admin.locator(`form[action="/moderation/kommentare/${id}"]`) });
      assert.equal(await item.count(), 1, 'the reported comment is in the queue');
      const why = await item.locator('.queue-why').innerText();
      assert.match(why, /Beleidigend: 2/);
      assert.match(why, /Werbung oder Spam: 1/);
      assert.equal((await item.locator('.comment-body').innerText()).trim(), text, 'the queue shows the text');
      await checkPage(admin, `${shot}-warteschlange`);
      const reason = `Beleidigt andere Teilnehmende (${stamp}).`;
      const hide = item.locator('form.queue-hide');
      await hide.getByLabel('Öffentliche Begründung fürs Ausblenden').fill(reason);
      await Promise.all([admin.waitForNavigation(), hide.getByRole('button', { name: 'Ausblenden', exact: true }).click()]);
      assert.equal(new URL(admin.url()).pathname, '/moderation', 'back to the queue');
      assert.equal((await admin.locator('[role=status]').innerText()).trim(), 'Der Kommentar ist ausgeblendet.');
      assert.equal(await admin.locator(`form[action="/moderation/kommentare/${id}"]`).count(), 0, 'the decided comment left the queue');
      await checkPage(admin, `${shot}-entschieden`);

      // The measure page shows the reason in its place.
      await anonymous.goto(BASE + DEMO_MEASURE);
      const hidden = anonymous.locator(`#kommentar-${id}`);
      assert.equal((await hidden.locator('.comment-gone').innerText()).trim(), `Von der Moderation ausgeblendet: ${reason}`);
      assert.ok(!(await hidden.innerText()).includes(text), 'the hidden text is not shown');
      await checkPage(anonymous, `${shot}-massnahme-ausgeblendet`);
    } finally {
      await contexts.close();
    }
  });
}

// A live discussion: a page open in a browser with JavaScript shows a new comment by someone
// else without a reload (assets/live.js), and keeps what the reader is typing in its form.
// Without JavaScript the page is complete on reload. Like the journeys above it uses the demo
// measure, so it runs before the import replaces the demo.
loginTest('a new comment appears on an open page without reload (live)', async () => {
  const contexts = journeyContexts();
  const shot = 'live';
  const stamp = Date.now();
  const text = `Live: Wird der Digitaltag auch im Stadtteilzentrum Nord angeboten? (${stamp})`;
  const typed = `Ich schreibe noch an meiner Frage zum Digitaltag (${stamp}) …`;
  const pw = 'Fahrradständer am Bahnhof 56';
  const updated = 'Die Diskussion wurde aktualisiert.';
  try {
    // The reader (a guest, JavaScript on) opens the measure; its script opens the event stream.
    const reader = await contexts.newPage('live-reader');
    const stream = reader.waitForResponse((r) => new URL(r.url()).pathname === `${DEMO_MEASURE}/kommentare/live`);
    await reader.goto(BASE + DEMO_MEASURE);
    const discussion = reader.locator('#diskussion');
    assert.equal(await discussion.getAttribute('data-live'), `${DEMO_MEASURE}/kommentare/live`);
    const opened = await stream;
    assert.equal(opened.status(), 200, 'the event stream is open');
    assert.match(opened.headers()['content-type'] ?? '', /text\/event-stream/);
    assert.ok(!(await discussion.innerText()).includes(text), 'not there yet');
    const status = discussion.locator('p.discussion-status');
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal((await status.textContent()).trim(), '', 'the status says nothing before a change');
    await checkPage(reader, `${shot}-leser-massnahme`);
    // Markers that a reload or a new document would lose: on the window and on the textarea.
    let navigations = 0;
    reader.on('framenavigated', (frame) => {
      if (frame === reader.mainFrame()) navigations += 1;
    });
    const origin = await reader.evaluate((s) => {
      window.__e2eLive = s;
      document.querySelector('#diskussion form.comment-form textarea').__e2eLive = s;
      return performance.timeOrigin;
    }, stamp);
    // The reader starts a guest comment and does not send it.
    const form = discussion.locator('form.guest-form');
    await form.getByLabel('Ihr Name (wird angezeigt)').fill('Gast Lerche');
    await form.getByLabel('Ihre E-Mail-Adresse').fill(`live-gast-${stamp}@musterstadt.example`);
    await form.getByLabel('Ihr Kommentar').fill(typed);

    // A page without JavaScript, open at the same time.
    const plain = await contexts.newPage('live-no-js', { js: false });
    await plain.goto(BASE + DEMO_MEASURE);
    assert.ok(!(await plain.locator('#diskussion').innerText()).includes(text), 'not there yet (no JS)');

    // The writer, a newly registered citizen, posts a comment.
    const writer = await contexts.newPage('live-writer');
    const email = `live-${stamp}@musterstadt.example`;
    await registerCitizen(writer, 'Bürger Live', email, pw, `${shot}-autor`);
    await signIn(writer, email, pw, `${shot}-autor`);
    await writer.goto(BASE + DEMO_MEASURE);
    await checkPage(writer, `${shot}-autor-massnahme`);
    const writerForm = writer.locator('#diskussion form.comment-form');
    await writerForm.getByLabel('Ihr Kommentar').fill(text);
    await Promise.all([writer.waitForNavigation(), writerForm.getByRole('button', { name: 'Kommentar veröffentlichen' }).click()]);
    const posted = Date.now();
    const id = commentIdIn(writer.url(), 'live comment');
    assert.equal((await writer.locator(`#diskussion #kommentar-${id} .comment-body`).innerText()).trim(), text);

    // Within 5 seconds the reader's page shows it, without a reload.
    await reader.waitForFunction(
      (t) => (document.querySelector('#diskussion .discussion-live')?.textContent ?? '').includes(t),
      text,
      { timeout: 5_000, polling: 100 },
    );
    const took = Date.now() - posted;
    assert.ok(took <= 5_000, `the comment appeared after ${took} ms`);
    console.log(`  (the comment appeared on the open page ${took} ms after it was posted)`);
    assert.equal((await discussion.locator(`.discussion-live #kommentar-${id} .comment-body`).innerText()).trim(), text);
    assert.equal(navigations, 0, 'the reader\'s page did not navigate');
    const still = await reader.evaluate(() => ({
      marker: window.__e2eLive,
      origin: performance.timeOrigin,
      entries: performance.getEntriesByType('navigation').length,
      textarea: document.querySelector('#diskussion form.comment-form textarea').__e2eLive,
    }));
    assert.equal(still.marker, stamp, 'the window marker survived: no reload');
    assert.equal(still.origin, origin, 'the same document: no reload');
    assert.equal(still.entries, 1, 'one navigation entry');
    assert.equal(still.textarea, stamp, 'the form is the same element: it was left alone');
    assert.equal(await form.getByLabel('Ihr Kommentar').inputValue(), typed, 'what the reader typed is still there');
    assert.equal(await form.getByLabel('Ihr Name (wird angezeigt)').inputValue(), 'Gast Lerche');
    assert.equal(await form.getByLabel('Ihre E-Mail-Adresse').inputValue(), `live-gast-${stamp}@musterstadt.example`);
    assert.equal((await status.textContent()).trim(), updated, 'the status tells screen readers');
    await checkPage(reader, `${shot}-leser-aktualisiert`);
    await checkPage(writer, `${shot}-kommentiert`);

    // Without JavaScript nothing changes by itself; the page is complete on reload.
    assert.ok(!(await plain.locator('#diskussion').innerText()).includes(text), 'no script, no live update');
    const reloaded = await plain.reload({ waitUntil: 'load' });
    assertStatus(reloaded, 200, 'measure page reloaded (no JS)');
    assert.equal((await plain.locator(`#diskussion #kommentar-${id} .comment-body`).innerText()).trim(), text, 'the reloaded page shows the comment');
    assert.equal((await plain.locator('#diskussion p.discussion-status').textContent()).trim(), '', 'no status message without a live update');
    await checkPage(plain, `${shot}-no-js-neu-geladen`);
  } finally {
    await contexts.close();
  }
});

// Follows and the daily digest, once with JavaScript and once without: two citizens follow a
// demo measure with the button on its page, the city saves a progress report, and they see it
// in the header and on /benachrichtigungen. The digest covers what was written up to the last
// digest time (`DigestTime::last_due`, German time), so the admin sets the digest time to the
// minute after the report ("Beteiligung" in the settings): once that minute has begun the
// digest is due, the server's minute task (every 60 s) queues it, and the mail worker (every
// 2 s) writes it to the outbox, within about two minutes. One follower unsubscribes with the
// mail's link (a page with a button), the other as a mail programme does (RFC 8058: a POST
// without cookie). Before the import, which replaces the demo.

/** Demo measures the digest journeys report on: one per run (the registration journey changes the first of the list). */
const DIGEST_MEASURES = [
  { path: '/massnahmen/stadtklima-messnetz', title: 'Stadtklima-Messnetz' },
  { path: '/massnahmen/echtzeit-fahrgastinformation', title: 'Echtzeit-Fahrgastinformation an Haltestellen' },
];
const DIGEST_WAIT_SECONDS = 180;

/** The minute after `at` in German local time, as the settings take it (`hh:mm`). */
function germanMinuteAfter(at) {
  const next = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + 60_000);
  return new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
}

/** On /konto/benachrichtigungen: the label of the delivery chosen in each kind's group. */
async function chosenDeliveries(page) {
  return page.locator('main form fieldset').evaluateAll((sets) =>
    sets.map((set) => {
      const checked = set.querySelector('input[type=radio]:checked');
      return `${set.querySelector('legend').textContent.trim()}: ${checked ? checked.parentElement.textContent.trim() : '(none)'}`;
    }),
  );
}

for (const { js, title, sfx } of JS_MODES) {
  loginTest(
    `followers get the daily digest with a working unsubscribe: follow, a progress report, the list, the digest mail, the link's page, one click${title}`,
    async () => {
      const contexts = journeyContexts();
      const shot = `digest${sfx}`;
      const stamp = Date.now();
      const pw = 'Zeitung am Kiosk 78';
      const measure = DIGEST_MEASURES[js ? 0 : 1];
      try {
        // Two citizens follow the measure with the button on its page.
        const followers = [];
        for (const [who, name] of [['leserin', 'Bürgerin Neugier'], ['leser', 'Bürger Neugier']]) {
          const page = await contexts.newPage(`digest-${who}${sfx}`, { js });
          const email = `${who}-${stamp}${sfx}@musterstadt.example`;
          await registerCitizen(page, name, email, pw, `${shot}-${who}`);
          await signIn(page, email, pw, `${shot}-${who}`);
          await page.goto(BASE + measure.path);
          const box = page.locator('#folgen');
          assert.match(await box.innerText(), /Sie erhalten dann eine Benachrichtigung/);
          await checkPage(page, `${shot}-${who}-massnahme`);
          await Promise.all([page.waitForNavigation(), box.getByRole('button', { name: 'Maßnahme folgen', exact: true }).click()]);
          assert.equal(new URL(page.url()).pathname + new URL(page.url()).hash, `${measure.path}#folgen`);
          assert.match(await page.locator('#folgen').innerText(), /Sie folgen dieser Maßnahme\./);
          assert.equal(await page.locator('#folgen').getByRole('button', { name: 'Nicht mehr folgen' }).count(), 1);
          await checkPage(page, `${shot}-${who}-folgt`);
          followers.push({ page, email });
        }
        const [reader, other] = followers;
        // Her settings: every kind in the daily digest, the default.
        await reader.page.goto(BASE + '/konto/benachrichtigungen');
        for (const line of await chosenDeliveries(reader.page)) {
          assert.match(line, /: Hier und in einer täglichen E-Mail-Zusammenfassung$/, 'the digest is the default');
        }
        const follows = reader.page.locator('main ul.follows');
        assert.match(await follows.innerText(), new RegExp(`Maßnahme: ${measure.title}`));
        await checkPage(reader.page, `${shot}-einstellungen-vorher`);

        // The city saves a progress report in the back office.
        const admin = await contexts.newPage(`digest-admin${sfx}`, { js });
        await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, `${shot}-admin`);
        await admin.goto(BASE + '/admin/massnahmen');
        await admin.getByLabel('Suchbegriff').fill(measure.title);
        await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Filter anwenden' }).click()]);
        await checkPage(admin, `${shot}-admin-massnahmen`);
        await follow(admin, admin.locator('table').getByRole('link', { name: measure.title, exact: true }), (u) => /^\/admin\/massnahmen\/\d+$/.test(u.pathname));
        await checkPage(admin, `${shot}-admin-bearbeiten`);
        const progressField = admin.getByLabel('Fortschritt in Prozent');
        const was = Number(await progressField.inputValue());
        const progress = was >= 90 ? was - 7 : was + 7;
        await progressField.fill(String(progress));
        await Promise.all([admin.waitForNavigation(), admin.locator('main form').getByRole('button', { name: 'Speichern', exact: true }).click()]);
        assert.equal(new URL(admin.url()).pathname, measure.path, 'saving leads to the public page');
        await checkPage(admin, `${shot}-admin-gespeichert`);

        // The followers see it: the header counts it, the list shows it.
        const heading = `Neuer Fortschrittsbericht: ${measure.title}`;
        await reader.page.goto(BASE + measure.path);
        const bell = reader.page.getByRole('banner').getByRole('link', { name: 'Benachrichtigungen (1 neue)', exact: true });
        assert.equal(await bell.count(), 1, 'the header shows one unread notification');
        await checkPage(reader.page, `${shot}-massnahme-neu`);
        await follow(reader.page, bell, (u) => u.pathname === '/benachrichtigungen');
        assert.equal((await reader.page.locator('h1').innerText()).trim(), 'Benachrichtigungen');
        assert.equal((await reader.page.locator('main p.lead').innerText()).split('.')[0], 'Eine ungelesene Benachrichtigung');
        const item = reader.page.locator('li.notification.unread').filter({ hasText: heading });
        assert.equal(await item.count(), 1, `the list shows "${heading}"`);
        assert.match(await item.innerText(), new RegExp(`Fortschritt: ${was} % → ${progress} %`));
        assert.equal(new URL(await item.getByRole('link', { name: heading }).evaluate((a) => a.href)).pathname, measure.path);
        await checkPage(reader.page, `${shot}-benachrichtigungen`);
        await other.page.goto(BASE + '/benachrichtigungen');
        assert.equal(await other.page.locator('li.notification.unread').filter({ hasText: heading }).count(), 1, 'the other follower is told too');
        await checkPage(other.page, `${shot}-benachrichtigungen-2`);

        // The admin sets the digest time to the next minute.
        await admin.goto(BASE + '/admin/einstellungen');
        const at = germanMinuteAfter(new Date());
        const participation = admin.locator('form[action="/admin/einstellungen/beteiligung"]');
        await participation.getByLabel('Uhrzeit der täglichen Zusammenfassung').fill(at);
        await Promise.all([admin.waitForNavigation(), participation.getByRole('button', { name: 'Speichern', exact: true }).click()]);
        assert.equal((await admin.locator('main [role=status]').innerText()).trim(), 'Die Einstellungen zur Beteiligung sind gespeichert.');
        assert.equal(await admin.getByLabel('Uhrzeit der täglichen Zusammenfassung').inputValue(), at);
        await checkPage(admin, `${shot}-admin-einstellungen`);

        // The digest arrives, one mail each, with the one-click unsubscribe in its headers.
        const waited = Date.now();
        const links = [];
        for (const f of followers) {
          const mail = await mailFromOutbox(f.email, heading, DIGEST_WAIT_SECONDS);
          assert.match(mail.headers.subject, /^Eine neue Benachrichtigung – /);
          assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click', `List-Unsubscribe-Post in ${mail.file}`);
          const header = (mail.headers['list-unsubscribe'] ?? '').match(/^<(https?:\/\/[^>\s]+)>$/);
          assert.ok(header, `List-Unsubscribe: <…> in ${mail.file}: ${mail.headers['list-unsubscribe']}`);
          const link = new URL(header[1]);
          assert.equal(link.pathname, '/benachrichtigungen/abbestellen');
          assert.match(link.searchParams.get('token') ?? '', /^\d+\.[0-9a-f]{32}$/);
          assert.ok(!header[1].includes(f.email.split('@')[0]), 'the address is not in the link');
          assert.ok(mail.text.includes(header[1]), 'the text has the same link');
          assert.match(mail.text, new RegExp(`Fortschritt: ${was} % → ${progress} %`));
          links.push(link);
        }
        console.log(`  (the digest for ${at} was in the outbox ${Math.round((Date.now() - waited) / 1000)} s after the setting was saved)`);

        // She follows the link: a page with a button (a mail scanner unsubscribes nobody) …
        await reader.page.goto(BASE + links[0].pathname + links[0].search);
        assert.equal((await reader.page.locator('h1').innerText()).trim(), 'Benachrichtigungen per E-Mail abbestellen');
        await checkPage(reader.page, `${shot}-abbestellen`);
        await Promise.all([reader.page.waitForNavigation(), reader.page.getByRole('button', { name: 'E-Mails abbestellen', exact: true }).click()]);
        assert.equal((await reader.page.locator('main [role=status]').innerText()).trim(), 'Sie erhalten keine Benachrichtigungen mehr per E-Mail.');
        await checkPage(reader.page, `${shot}-abbestellt`);
        // … and her settings say so: the site only, for every kind.
        await follow(reader.page, reader.page.locator('main').getByRole('link', { name: 'Einstellungen für Benachrichtigungen' }), (u) => u.pathname === '/konto/benachrichtigungen');
        assert.match(await reader.page.locator('main p.lead').innerText(), new RegExp(`gegen ${at} Uhr`));
        const after = await chosenDeliveries(reader.page);
        assert.ok(after.length >= 5, `a group per kind: ${after}`);
        for (const line of after) assert.match(line, /: Nur hier auf der Website$/, 'mail delivery is off');
        await checkPage(reader.page, `${shot}-einstellungen-nachher`);

        // The other's mail programme unsubscribes with one click: a POST without cookie.
        const oneClick = (link) =>
          fetch(BASE + link.pathname + link.search, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'List-Unsubscribe=One-Click',
            redirect: 'manual',
          });
        const res = await oneClick(links[1]);
        const body = await res.text();
        assert.equal(res.status, 200, `one-click unsubscribe: HTTP ${res.status}: ${body.slice(0, 500)}`);
        assert.ok(body.includes('Sie erhalten keine Benachrichtigungen mehr per E-Mail.'), 'the answer says so');
        await other.page.goto(BASE + '/konto/benachrichtigungen');
        for (const line of await chosenDeliveries(other.page)) assert.match(line, /: Nur hier auf der Website$/, 'one click turned mail off');
        await checkPage(other.page, `${shot}-einstellungen-ein-klick`);
        // Again is fine (a mail programme may retry); a link that is not the site's is refused.
        assert.equal((await oneClick(links[0])).status, 200, 'a second one-click POST answers 200');
        const forged = new URL(links[1]);
        forged.searchParams.set('token', forged.searchParams.get('token').replace(/.$/, (c) => (c === '0' ? '1' : '0')));
        const bad = await oneClick(forged);
        assert.equal(bad.status, 400, 'a forged link is refused');
        assert.match(await bad.text(), /Dieser Abmeldelink ist ungültig/);
      } finally {
        await contexts.close();
      }
    },
    { timeout: 120_000 + DIGEST_WAIT_SECONDS * 1000 },
  );
}

// An editor answers as the city, once with JavaScript and once without: the admin makes a new
// account an editor for one field of action; a citizen comments on a measure of it and adds a
// reply of her own; the editor answers her comment with "Als „Antwort der Stadt“
// veröffentlichen" ticked. The answer is marked "Antwort der Stadt" and comes first in its
// thread; the citizen never sees the box, nor does the editor outside her field. Demo measures,
// so before the import.

/**
 * The row of `email` on /admin/benutzer, whose pages list people by address (the demo's made-up
 * people fill the first ones): from the first page on, "Nächste Seite" until it is there.
 */
async function userRow(admin, email) {
  await admin.goto(BASE + '/admin/benutzer');
  for (let n = 1; ; n++) {
    const row = admin.locator('tr', { hasText: email });
    if ((await row.count()) === 1) return row;
    const next = admin.locator('nav.pagination').getByRole('link', { name: 'Nächste Seite' });
    assert.equal(await next.count(), 1, `${email} is not on pages 1 to ${n} of the list of people, and there is no next page`);
    await Promise.all([admin.waitForNavigation(), next.click()]);
  }
}

/** Per run: a demo measure in the editor's field of action, that field, and a measure of another field. */
const OFFICIAL_MEASURES = [
  { path: '/massnahmen/it-support-schulen', field: 'Bildung', other: '/massnahmen/energiemonitoring-gebaeude' },
  { path: '/massnahmen/digitalberatung-kmu', field: 'Arbeit und Wirtschaft', other: '/massnahmen/urbane-datenplattform' },
];

for (const { js, title, sfx } of JS_MODES) {
  loginTest(`an editor answers officially in her field of action: marked "Antwort der Stadt", first in its thread; citizens get no such box${title}`, async () => {
    const contexts = journeyContexts();
    const shot = `stadtantwort${sfx}`;
    const stamp = Date.now();
    const pw = 'Sitzbank im Stadtpark 90';
    const { path, field, other } = OFFICIAL_MEASURES[js ? 0 : 1];
    try {
      // A citizen comments and adds a reply of her own; she has no box for the city's answer.
      const citizen = await contexts.newPage(`official-citizen${sfx}`, { js });
      const citizenEmail = `fragende-${stamp}${sfx}@musterstadt.example`;
      await registerCitizen(citizen, 'Bürgerin Frage', citizenEmail, pw, `${shot}-buergerin`);
      await signIn(citizen, citizenEmail, pw, `${shot}-buergerin`);
      await citizen.goto(BASE + path);
      assert.equal(await citizen.locator('#diskussion form.comment-form').count(), 1, 'the signed-in form');
      assert.equal(await citizen.getByLabel(OFFICIAL_BOX).count(), 0, "a citizen's form has no box for the city's answer");
      await checkPage(citizen, `${shot}-buergerin-massnahme`);
      const question = `Wer ist bei der Stadt für diese Maßnahme ansprechbar? (${stamp})`;
      const commentId = await postComment(citizen, path, question, `${shot}-kommentiert`);
      const addition = 'Nachtrag: am liebsten mit einer Sprechstunde im Bürgerbüro.';
      const ownReply = await replyTo(citizen, commentId, addition, `${shot}-nachtrag`, { official: false });

      // The admin makes a new account an editor, for one field of action.
      const editor = await contexts.newPage(`official-editor${sfx}`, { js });
      const editorEmail = `redakteurin-${stamp}${sfx}@musterstadt.example`;
      await registerCitizen(editor, 'Redakteurin Antwort', editorEmail, pw, `${shot}-redaktion`);
      const admin = await contexts.newPage(`official-admin${sfx}`, { js });
      await signIn(admin, ADMIN_EMAIL, ADMIN_PASSWORD, `${shot}-admin`);
      const row = await userRow(admin, editorEmail);
      await checkPage(admin, `${shot}-admin-benutzer`);
      await row.getByLabel('Redaktion').check();
      await Promise.all([admin.waitForNavigation(), row.getByRole('button', { name: 'Speichern' }).click()]);
      const saved = await userRow(admin, editorEmail);
      assert.ok(await saved.getByLabel('Redaktion').isChecked(), 'she is an editor now');
      await checkPage(admin, `${shot}-admin-benutzer-gespeichert`);
      await follow(admin, saved.getByRole('link', { name: /^Handlungsfelder festlegen/ }), (u) => /^\/admin\/benutzer\/\d+$/.test(u.pathname));
      assert.equal((await admin.locator('h1').innerText()).trim(), 'Handlungsfelder für Redakteurin Antwort');
      await checkPage(admin, `${shot}-admin-handlungsfelder`);
      await admin.getByLabel(field, { exact: true }).check();
      await Promise.all([admin.waitForNavigation(), admin.locator('main form').getByRole('button', { name: 'Speichern', exact: true }).click()]);
      assert.equal((await admin.locator('main [role=status]').innerText()).trim(), 'Die Handlungsfelder sind gespeichert.');
      assert.ok(await admin.getByLabel(field, { exact: true }).isChecked());
      await checkPage(admin, `${shot}-admin-handlungsfelder-gespeichert`);

      // The editor: no box outside her field, the box in it.
      await signIn(editor, editorEmail, pw, `${shot}-redaktion`);
      await editor.goto(BASE + other);
      assert.equal(await editor.locator('#diskussion form.comment-form').count(), 1);
      assert.equal(await editor.getByLabel(OFFICIAL_BOX).count(), 0, "no box outside the editor's field");
      await checkPage(editor, `${shot}-redaktion-anderes-feld`);
      await editor.goto(BASE + path);
      assert.equal(await editor.locator('#diskussion form.comment-form').getByLabel(OFFICIAL_BOX).count(), 1, "the box in the editor's field");
      await checkPage(editor, `${shot}-redaktion-massnahme`);
      // She answers the citizen's comment as the city.
      const answer = `Antwort der Stadt: Ansprechpartnerin ist das Bürgerbüro, Sprechstunde dienstags (${stamp}).`;
      const answerId = await replyTo(editor, commentId, answer, `${shot}-antwort`, { official: true });
      const repliesOf = (page) =>
        page
          .locator('li.comment-thread')
          .filter({ has: page.locator(`article#kommentar-${commentId}`) })
          .locator(':scope > ol.replies > li > article.comment')
          .evaluateAll((els) => els.map((el) => el.id));
      const isOfficial = async (page) => {
        const marked = page.locator(`#kommentar-${answerId}`);
        assert.ok(await marked.evaluate((el) => el.classList.contains('comment-official')), 'the answer is marked');
        assert.equal((await marked.locator('.comment-meta .badge').innerText()).trim(), 'Antwort der Stadt');
        assert.equal(await page.locator(`#kommentar-${ownReply} .comment-meta .badge`).count(), 0, "the citizen's reply is not marked");
      };
      // The permalink shows the thread: the city's answer first, before the earlier reply.
      assert.deepEqual(await repliesOf(editor), [`kommentar-${answerId}`, `kommentar-${ownReply}`], 'the answer first in its thread');
      await isOfficial(editor);

      // The citizen sees it on the measure page, first in her thread, and is told.
      await citizen.goto(BASE + path);
      assert.deepEqual(await repliesOf(citizen), [`kommentar-${answerId}`, `kommentar-${ownReply}`], 'the answer first in its thread');
      await isOfficial(citizen);
      assert.equal((await citizen.locator(`#kommentar-${answerId} .comment-body`).innerText()).trim(), answer);
      assert.equal(await citizen.getByLabel(OFFICIAL_BOX).count(), 0, 'still no box for the citizen');
      const bell = citizen.getByRole('banner').getByRole('link', { name: 'Benachrichtigungen (1 neue)', exact: true });
      assert.equal(await bell.count(), 1, 'the header shows one unread notification');
      await checkPage(citizen, `${shot}-buergerin-beantwortet`);
      await follow(citizen, bell, (u) => u.pathname === '/benachrichtigungen');
      assert.equal(await citizen.locator('li.notification.unread').filter({ hasText: /Antwort der Stadt zu „/ }).count(), 1, 'she is told of the answer');
      await checkPage(citizen, `${shot}-buergerin-benachrichtigungen`);
    } finally {
      await contexts.close();
    }
  });
}

// The strategy back office, as the first admin: a measure from draft to preview, the
// taxonomy (create, reorder), the browser import with its preview, and an editor's fields.
loginTest('the strategy back office: draft and preview, taxonomy, import with preview', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
  record(context, 'strategy-office');
  const page = await context.newPage();
  try {
    await page.goto(BASE + '/anmelden');
    await page.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
    await page.getByLabel('Passwort', { exact: true }).fill('Grüne Ampel am Rathausplatz 7');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Anmelden' }).click()]);
    await page.goto(BASE + '/admin');
    assert.match(await page.locator('h1').innerText(), /Verwaltung/);
    await checkPage(page, 'admin-start');
    // A new measure, saved as a draft with a KPI and a milestone: the preview shows it.
    await page.goto(BASE + '/admin/massnahmen/neu');
    await checkPage(page, 'admin-massnahme-neu');
    await page.getByLabel('Titel', { exact: true }).fill('E2E-Entwurf Bürgerterminal');
    await page.getByLabel('Handlungsfeld', { exact: true }).selectOption({ label: 'Bildung' });
    await page.getByLabel('Kennzahl 1', { exact: true }).fill('Terminals');
    await page.getByLabel('Zielwert 1', { exact: true }).fill('12');
    await page.getByLabel('Meilenstein 1', { exact: true }).fill('Standorte gewählt');
    await page.getByLabel('Meilenstein 1 erreicht').check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Speichern' }).click()]);
    assert.match(page.url(), /\/admin\/massnahmen\/\d+\/vorschau$/);
    const preview = await page.locator('main').innerText();
    assert.match(preview, /Vorschau: Diese Maßnahme ist „Entwurf“/);
    assert.match(preview, /Terminals/);
    await checkPage(page, 'admin-massnahme-vorschau');
    const anon = await fetch(BASE + '/massnahmen/e2e-entwurf-buergerterminal', { redirect: 'manual' });
    assert.equal(anon.status, 404, 'a draft is not public');
    // The list filtered to drafts.
    await page.goto(BASE + '/admin/massnahmen');
    await page.getByLabel('Veröffentlichung').selectOption('draft');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Filter anwenden' }).click()]);
    assert.match(page.url(), /state=draft/);
    assert.match(await page.locator('main').innerText(), /E2E-Entwurf Bürgerterminal/);
    await checkPage(page, 'admin-massnahmen-entwuerfe');
    // Strategy and taxonomy: a new core area, then moved up one place.
    await page.goto(BASE + '/admin/strategie');
    await checkPage(page, 'admin-strategie');
    await page.goto(BASE + '/admin/strategie/kernbereich/neu');
    await checkPage(page, 'admin-kernbereich-neu');
    await page.getByLabel('Titel', { exact: true }).fill('E2E Region');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Speichern' }).click()]);
    assert.match(page.url(), /\/admin\/strategie$/);
    const titles = async () => page.locator('.tax-tree > li > .tax-title').allInnerTexts();
    const before = await titles();
    assert.equal(before.at(-1).trim(), 'E2E Region');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /^Nach oben\s*:\s*E2E Region$/ }).click()]);
    const after = await titles();
    assert.equal(after.at(-2).trim(), 'E2E Region');
    await checkPage(page, 'admin-strategie-verschoben');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /^Bearbeiten\s*:\s*E2E Region$/ }).click()]);
    await checkPage(page, 'admin-kernbereich-bearbeiten');
    // Import: the server shows the Musterstadt demo (CI starts it without --no-demo), so every
    // page says so, and a city's own file replaces the demo: it brings its own core area and
    // field of action. The preview names the one new measure; apply; the banner is gone.
    const demoBanner = page.getByRole('region', { name: 'Demodaten – diese Stadt ist erfunden' });
    assert.equal(await demoBanner.count(), 1, 'the demo banner is on the page');
    await page.goto(BASE + '/admin/import');
    assert.match(await page.locator('main').innerText(), /Beim Übernehmen eines Imports werden sie vollständig ersetzt/);
    await checkPage(page, 'admin-import');
    const csv = 'external_id;title;core_area;field;status\nE2E-1;E2E-Import Lernwerkstatt;Stadtgesellschaft;Bildung;Geplant\n';
    await page.getByLabel('Datei').setInputFiles({ name: 'massnahmen.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Prüfen' }).click()]);
    assert.match(page.url(), /\/admin\/import\/\d+$/);
    assert.match(await page.locator('main').innerText(), /1 neu, 0 geändert, \d+ unverändert\./);
    await checkPage(page, 'admin-import-vorschau');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Übernehmen' }).click()]);
    assert.match(await page.locator('main').innerText(), /Import übernommen: 1 neu/);
    assert.equal(await demoBanner.count(), 0, 'the import replaced the demo: no banner');
    await checkPage(page, 'admin-import-uebernommen');
    const imported = await fetch(BASE + '/massnahmen/e2e-import-lernwerkstatt');
    assert.equal(imported.status, 200, 'the imported measure is public');
    const demoPage = await fetch(BASE + '/massnahmen/digitaltag-musterstadt', { redirect: 'manual' });
    assert.equal(demoPage.status, 404, 'the demo measures are gone');
    assert.ok(!(await (await fetch(BASE + '/radar')).text()).includes('Demodaten'), 'no cached page keeps the banner');
    // A file with errors: listed by line and column.
    await page.getByLabel('Datei').setInputFiles({ name: 'falsch.csv', mimeType: 'text/csv', buffer: Buffer.from('external_id;title;field;status\nX;Y;bildung;fertig\n') });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Prüfen' }).click()]);
    assert.match(await page.locator('main').innerText(), /1 Fehler; es wurde nichts übernommen/);
    await checkPage(page, 'admin-import-fehler');
    // An editor's fields of action (the admin's own page).
    await page.goto(BASE + '/admin/benutzer/1');
    await checkPage(page, 'admin-benutzer-handlungsfelder');
  } finally {
    await context.close();
  }
});

test('imprint and privacy notice', TEST_OPTS, async () => {
  for (const [path, name] of [['/impressum', 'impressum'], ['/datenschutz', 'datenschutz']]) {
    const { page, response } = await open(path);
    try {
      assertStatus(response, 200, name);
      await assertH1(page, name);
      await checkPage(page, name);
    } finally {
      await page.close();
    }
  }
});

test('forgotten password page', TEST_OPTS, async () => {
  const { page, response } = await open('/passwort-vergessen');
  try {
    assertStatus(response, 200, 'forgot');
    await assertH1(page, 'forgot');
    await checkPage(page, 'passwort-vergessen');
  } finally {
    await page.close();
  }
});

test('works without JavaScript: pages render and the filter form submits', TEST_OPTS, async () => {
  for (const path of ['/', '/radar', '/massnahmen', '/zeitleiste', '/statistik']) {
    const { page, response } = await open(path, noJsCtx);
    try {
      assertStatus(response, 200, `${path} (no JS)`);
      await assertH1(page, `${path} (no JS)`);
    } finally {
      await page.close();
    }
  }

  const { page } = await open('/radar', noJsCtx);
  try {
    assert.ok((await page.locator('svg a.dot').count()) >= 1, '/radar (no JS): no a.dot links');
    const select = page.locator('form#filters select[name=status]');
    assert.equal(await select.count(), 1, '/radar (no JS): no select[name=status] in form#filters');
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v !== ''));
    assert.ok(values.length >= 1, '/radar (no JS): the status select has no non-empty option');
    const value = values[0];
    await select.selectOption(value);
    const submit = page.locator('form#filters button[type=submit]');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('status') === value, { waitUntil: 'load' }), submit.click()]);
    assert.ok(page.url().includes(`status=${encodeURIComponent(value)}`), `/radar (no JS): URL after submit: ${page.url()}`);
    assert.equal(await page.locator('form#filters select[name=status]').inputValue(), value, '/radar (no JS): filtered page does not keep the chosen status');
    await screenshot(page, 'radar-no-js-filtered');
  } finally {
    await page.close();
  }
});

// Keep these last: they look at everything the tests above did.

test('no request to any host other than the server', TEST_OPTS, async () => {
  assert.ok(requests.length > 0, 'no requests were recorded');
  const foreign = requests
    .filter(({ url }) => !(url === BASE || url.startsWith(BASE + '/') || url.startsWith(BASE + '?') || url.startsWith('data:') || url.startsWith('about:') || url.startsWith('blob:')))
    .map(({ url, ctx: c }) => `${url} (${c})`);
  assert.deepEqual([...new Set(foreign)], [], 'requests to other hosts');
});

test('no uncaught JavaScript errors and no failed sub-resources', TEST_OPTS, async () => {
  assert.deepEqual(pageErrors, [], 'uncaught JavaScript errors');
  const failed = [...new Set(failedResources)].filter((f) => !/\/favicon\.ico\b/.test(f));
  assert.deepEqual(failed, [], 'CSS/images/scripts answered with an error status');
});

// Every journey is registered now: say at the start which ones this run leaves out.
if (ANONYMOUS_ONLY) announceAnonymousOnly();
