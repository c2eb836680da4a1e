// Drives Neo4j Browser in headless Chromium as a person does: open /browser, connect with the password, type
// commands into the editor and run them, click the runnable blocks of a guide; reports what each result frame
// shows. Run by tests/browser/test_neo4j_browser.py (node neo4j_browser.mjs < plan.json > report.json).
//
// Plan (JSON on stdin):
//   {browserUrl, user, password, chromium, userDataDir, artifacts, timeoutMs,
//    steps: [{name, run?: text typed into the editor | guideSlide?: index of the slide of the newest guide frame
//             whose runnable block is clicked and run, expect: "table"|"graph"|"guide"|"style", screenshot?: bool}]}
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

  const started = Date.now();
  await page.goto(plan.browserUrl, { waitUntil: 'domcontentloaded' });
  await page.fill('[data-testid="username"]', plan.user);
  await page.fill('[data-testid="password"]', plan.password);
  await page.click('[data-testid="connect"]');
  await page.getByText('You are connected as user').first().waitFor();
  report.connectMs = Date.now() - started;

  const frames = page.locator('[data-testid="stream"] [data-testid="frame"]');

  for (const step of plan.steps) {
    const t0 = Date.now();
    const out = { name: step.name, error: null };
    try {
      const before = await frames.count();
      if (step.guideSlide !== undefined) {
        out.editor = await runGuideSlide(page, frames.first(), step.guideSlide);
      } else {
        await page.click('[data-testid="activeEditor"]');
        await page.keyboard.insertText(step.run);
      }
      await page.click('[data-testid="editor-Run"]');
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="stream"] [data-testid="frame"]').length > n, before);
      const frame = frames.first();
      out.command = (await frame.locator('[data-testid="frameCommand"]').first().innerText()).trim();
      Object.assign(out, await observe(page, frame, step.expect));
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
  }
} finally {
  await context.close();
}
process.stdout.write(JSON.stringify(report));

// The slide `index` of the guide shown in `frame`: go there with the carousel's next button, click its runnable
// block (the Browser copies it into the editor) and return the editor's text.
async function runGuideSlide(page, frame, index) {
  for (let i = 0; i < index; i++) {
    await frame.locator('button[data-testid="guideNextButton"], button:has-text("Next")').first().click();
  }
  const block = frame.locator('.slide pre.runnable, slide pre.runnable, pre.runnable').filter({ visible: true }).first();
  await block.click();
  await page.waitForFunction(() => {
    const editor = document.querySelector('[data-testid="activeEditor"]');
    return editor && editor.innerText.replace(/\s/g, '').length > 0;
  });
  return (await page.locator('[data-testid="activeEditor"]').innerText()).trim();
}

async function observe(page, frame, expect) {
  const contents = frame.locator('[data-testid="frameContents"]');
  const error = frame.locator('[data-testid="cypherFrameErrorMessage"], h4:has-text("ERROR")');
  if (expect === 'table') {
    const list = frame.locator('[data-testid="multi-statement-list"]');
    const table = frame.locator('table.relatable__table');
    await table.or(list).or(error).or(frame.getByText('(no changes, no records)')).first().waitFor();
    const out = {};
    if (await list.count()) {
      // A script (multi-statement mode): wait until every statement has finished, then open the last one.
      const icons = list.locator('[data-testid="multi-statement-list-icon"]');
      await page.waitForFunction((el) => {
        const all = [...el.querySelectorAll('[data-testid="multi-statement-list-icon"]')];
        return all.length > 0 && all.every((i) => !/pending|running/i.test(i.title || '') && (i.title || '') !== '');
      }, await list.elementHandle());
      out.statements = await list.locator('[data-testid="multi-statement-list-title"]').evaluateAll((els) =>
        els.map((el) => ({ text: el.querySelector('label')?.innerText ?? '',
                           status: el.querySelector('[data-testid="multi-statement-list-icon"]')?.title ?? '' })));
      await list.locator('[data-testid="multi-statement-list-title"]').last().click();
      await table.or(error).or(frame.getByText('(no changes, no records)')).first().waitFor();
    }
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
        fill: g.querySelector('circle.b-outline, circle')?.getAttribute('fill') ?? null,
      }))),
      relationships: await frame.locator('svg g.relationship').count(),
      text: (await contents.first().innerText()).slice(0, 5000),
    };
  }
  if (expect === 'guide') {
    const slide = frame.locator('.slide, slide').first();
    await slide.or(error).first().waitFor();
    return {
      slides: await frame.locator('.slide, slide').count(),
      slideText: (await slide.innerText()).slice(0, 5000),
      text: (await contents.first().innerText()).slice(0, 20000),
    };
  }
  await contents.first().waitFor();
  return { text: (await contents.first().innerText()).slice(0, 20000) };
}
