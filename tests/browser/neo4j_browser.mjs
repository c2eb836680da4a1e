// Drives Neo4j Browser in headless Chromium as a person does: open /browser, connect with the password, type
// commands into the editor and run them, click the runnable blocks of a guide; reports what each result frame
// shows. Run by tests/browser/test_neo4j_browser.py (node neo4j_browser.mjs < plan.json > report.json).
//
// Plan (JSON on stdin):
//   {browserUrl, user, password, chromium, userDataDir, artifacts, timeoutMs,
//    steps: [{name, run?: text typed into the editor | guide?: {slide, block}: the runnable block (0-based) of a
//             slide (0-based) of the newest guide frame, clicked and run; expect: "script"|"table"|"graph"|"guide"|"style",
//             screenshot?: bool, dump?: bool (the frame's HTML, to debug selectors)}]}
// Report (JSON on stdout):
//   {connectMs, blocked: [URLs outside 127.0.0.1 that were not fetched],
//    steps: [{name, ms, command, text, error, header, rows, statements, nodes: [{caption, fill}], relationships,
//             slides, slideText, editor, screenshot}]}
// Selectors are Neo4j Browser 5's data-testid attributes (neo4j-browser 5.24: frame, frameCommand, activeEditor,
// editor-Run, multi-statement-list-*) and its table/graph markup (relatable__table, svg g.node).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const plan = JSON.parse(fs.readFileSync(0, 'utf8'));
const timeout = plan.timeoutMs ?? 45000;
const report = { steps: [], blocked: [] };

const context = await chromium.launchPersistentContext(plan.userDataDir, {
  executablePath: plan.chromium,
  headless: true,
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1280, height: 800 },
});
context.setDefaultTimeout(timeout);

try {
  const page = context.pages()[0] ?? await context.newPage();
  // Only the local Neo4j and API are reachable (the Browser asks Google for fonts; tests run offline).
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return route.continue();
    report.blocked.push(url.href);
    return route.abort();
  });

  // After connecting, the Browser reads the server's settings (CALL dbms.clientConfig()) in the background; until
  // they arrive it refuses :play and :style URLs that only the server's allowlist permits. Wait for that answer
  // (a Bolt message over the Browser's WebSocket naming the allowlist setting) before running anything.
  const settingsArrived = new Promise((resolve) => {
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
      if (Buffer.from(payload).includes('browser.remote_content_hostname_whitelist')) resolve();
    }));
  });
  const started = Date.now();
  await page.goto(plan.browserUrl, { waitUntil: 'domcontentloaded' });
  await page.fill('[data-testid="username"]', plan.user);
  await page.fill('[data-testid="password"]', plan.password);
  await page.click('[data-testid="connect"]');
  await page.getByText('You are connected as user').first().waitFor();
  report.connectMs = Date.now() - started;
  await withTimeout(settingsArrived, timeout, 'the Browser never received the server settings (dbms.clientConfig)');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));  // that message's task has run
  report.settingsMs = Date.now() - started;
  fs.writeFileSync(path.join(plan.artifacts, 'report.json'), JSON.stringify(report, null, 1));

  const frames = page.locator('[data-testid="stream"] [data-testid="frame"]');

  for (const step of plan.steps) {
    const t0 = Date.now();
    const out = { name: step.name, error: null };
    try {
      const before = await frames.count();
      if (step.guide) {
        out.editor = await clickGuideBlock(page, frames, step.guide.slide, step.guide.block);
      } else {
        // paste, as a person does with a script (a clipboard 'paste' event on the editor's text area)
        await page.click('[data-testid="activeEditor"]');
        await page.locator('[data-testid="activeEditor"] textarea').evaluate((area, text) => {
          const data = new DataTransfer();
          data.setData('text/plain', text);
          area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }, step.run);
      }
      await page.click('[data-testid="editor-Run"]');
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="stream"] [data-testid="frame"]').length > n, before);
      const frame = frames.first();
      out.command = (await frame.locator('[data-testid="frameCommand"]').first().innerText()).trim();
      Object.assign(out, await observe(page, frame, step.expect));
      if (step.dump) out.html = (await frame.innerHTML()).replace(/<svg[^]*?<\/svg>/g, (s) => s.includes('class="node') ? s : '<svg/>').slice(0, 60000);
      if (step.screenshot) {
        out.screenshot = path.join(plan.artifacts, `${step.name}.png`);
        await frame.screenshot({ path: out.screenshot });
      }
    } catch (err) {
      out.error = String(err && err.message ? err.message : err).split('\n')[0];
      out.screenshot = path.join(plan.artifacts, `${step.name}-failed.png`);
      await page.screenshot({ path: out.screenshot, fullPage: true }).catch(() => {});
    }
    out.ms = Date.now() - t0;
    report.steps.push(out);
    fs.writeFileSync(path.join(plan.artifacts, 'report.json'), JSON.stringify(report, null, 1));  // so far
  }
} finally {
  await context.close();
}
fs.writeFileSync(path.join(plan.artifacts, 'report.json'), JSON.stringify(report, null, 1));
process.stdout.write(JSON.stringify(report));

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); })])
    .finally(() => clearTimeout(timer));
}

// Block `block` of slide `slide` (0-based) of the newest guide (`:play`) frame: go to the slide with the carousel's
// dots, click the runnable block (the Browser copies its text into the editor) and return the editor's text.
async function clickGuideBlock(page, frames, slide, block) {
  const guide = frames.filter({ has: page.locator('[data-testid="frameCommand"]', { hasText: ':play ' }) }).first();
  await guide.locator(`[data-testid="carousel"] li[aria-label="${slide + 1}"]`).click();
  await guide.getByText(`${slide + 1} / `).waitFor();
  await guide.locator('.slide pre.runnable').nth(block).click();
  const lines = page.locator('[data-testid="activeEditor"] .view-lines');  // the text, without line numbers
  await page.waitForFunction((el) => el.innerText.replace(/\s/g, '').length > 0, await lines.elementHandle());
  return (await lines.innerText()).trim();
}

async function observe(page, frame, expect) {
  const contents = frame.locator('[data-testid="frameContents"]');
  const error = frame.locator('[data-testid="cypherFrameErrorMessage"], h4:has-text("ERROR")');
  if (expect === 'script') {
    // A script: several statements (multi-statement mode) or a single command such as one :param line.
    const list = frame.locator('[data-testid="multi-statement-list"]');
    await page.waitForFunction((el) => el.innerText.trim().length > 0, await contents.first().elementHandle());
    const out = { text: (await contents.first().innerText()).slice(0, 20000) };
    if (!(await list.count())) {
      out.statements = [{ text: await frame.locator('[data-testid="frameCommand"]').first().innerText(),
                          status: (await error.count()) ? 'Status: error' : 'Status: success' }];
      return out;
    }
    // wait until every statement has finished; the frame then lists each statement with its status and shows
    // the last one's summary (not its rows)
    await page.waitForFunction((el) => {
      const all = [...el.querySelectorAll('[data-testid="multi-statement-list-icon"]')];
      return all.length > 0 && all.every((i) => /success|error/i.test(i.title || ''));
    }, await list.elementHandle());
    out.statements = await list.locator('[data-testid="multi-statement-list-title"]').evaluateAll((els) =>
      els.map((el) => ({ text: el.querySelector('label')?.innerText ?? '',
                         status: el.querySelector('[data-testid="multi-statement-list-icon"]')?.title ?? '' })));
    out.text = (await contents.first().innerText()).slice(0, 20000);
    return out;
  }
  if (expect === 'table') {
    const table = frame.locator('table.relatable__table');
    await table.or(error).or(frame.getByText('(no changes, no records)')).first().waitFor();
    const out = {};
    out.header = await table.first().locator('th[role="columnheader"]').allInnerTexts().catch(() => []);
    out.rows = (await table.count()) ? await table.first().locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td[role="cell"]')].map((td) => td.innerText.trim()))) : [];
    out.text = (await contents.first().innerText()).slice(0, 20000);
    return out;
  }
  if (expect === 'graph') {
    const nodes = frame.locator('svg g.node');
    await nodes.first().or(error).first().waitFor();
    // the force layout keeps adding nothing once every returned node is drawn: wait until the count is stable
    let last = -1;
    for (let n = await nodes.count(); n !== last; n = await nodes.count()) {
      last = n;
      await page.waitForTimeout(500);
    }
    return {
      nodes: await nodes.evaluateAll((gs) => gs.map((g) => ({
        caption: [...g.querySelectorAll('text')].map((t) => t.textContent).join(' ').replace(/\s+/g, ' ').trim(),
        fill: g.querySelector('circle.b-outline')?.getAttribute('fill') ?? null,
      }))),
      relationships: await frame.locator('svg g.relationship').count(),
      text: (await contents.first().innerText()).slice(0, 5000),
    };
  }
  if (expect === 'guide') {
    const slide = frame.locator('.slide, slide').first();
    await slide.or(error).first().waitFor();
    return {
      slides: await frame.locator('[data-testid="carousel"] li[aria-label]').count(),
      slideText: (await slide.innerText()).slice(0, 5000),
      text: (await contents.first().innerText()).slice(0, 20000),
    };
  }
  await contents.first().waitFor();
  return { text: (await contents.first().innerText()).slice(0, 20000) };
}
