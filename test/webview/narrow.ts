/**
 * The panel in a narrow editor column (code-server's default layout gives it ~370 px).
 * At 320, 360 and 500 px, for every tab and attention view: no element is wider than its
 * own box unless it sits in a box of ours that scrolls (overflow auto/scroll), nothing
 * ends past the panel's right edge, the page never scrolls sideways, and the heatmap fits
 * its container. At 360 px also: the heatmap's hover card stays off the controls, long
 * token text is capped, 1,024 tokens get an overview whose labels do not overlap and a
 * focus window that follows the query, the timing line shows a real time, and an invalid
 * decoding setting marks its field (en and zh-CN) and the table it left stale.
 * Screenshots: test-results/webview/narrow-<width>-<view>.png.
 *
 * Called by run.ts (the themed harness page); alone: npx tsx test/webview/narrow.ts
 * (after npm run build; the harness page without a theme).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { handle } from '../../src/engine/worker/handlers';
import { attentionMessage, chromium, postFromHost, root, serveHarness } from './harnessServer';
import { DEFAULT_SAMPLING, samplingSteps } from '../../src/shared/sampling';
import { XSS_PAYLOADS } from './xssCorpus';

const results = join(root, 'test-results', 'webview');
const SENTENCE = 'The quick brown fox jumps over the lazy dog. A bird in the hand is worth two in the bush.';
export const NARROW_WIDTHS = [320, 360, 500];

type Step = (name: string, fn: () => Promise<void>) => Promise<void>;
function assert(ok: unknown, message: string): asserts ok { if (!ok) throw new Error(message); }

/**
 * In-page check (a string: page.evaluate(function) would carry tsx's `__name` helper).
 * Walks the panel (and the toolkit controls' shadow trees) and lists what is cut.
 * The toolkit's tab container scrolls sideways as a whole: that is the clipping this
 * check exists to catch, so it does not count as a box that scrolls.
 */
const CUT_CHECK = `() => {
  const edge = document.documentElement.clientWidth;
  const WHOLE = new Set(['VSCODE-PANELS', 'VSCODE-PANEL-VIEW', 'BODY', 'HTML', 'MAIN']);
  const parentOf = (e) => e.parentElement || (e.getRootNode() instanceof ShadowRoot ? e.getRootNode().host : null);
  const scrolls = (e) => { if (WHOLE.has(e.tagName)) return false; const o = getComputedStyle(e).overflowX; return o === 'auto' || o === 'scroll'; };
  const scrollAncestor = (e) => { for (let p = parentOf(e); p; p = parentOf(p)) if (scrolls(p)) return p; return null; };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
    + (e.getRootNode() instanceof ShadowRoot ? ' (in ' + e.getRootNode().host.tagName.toLowerCase() + (e.getRootNode().host.id ? '#' + e.getRootNode().host.id : '') + ')' : '');
  const all = [];
  const walk = (n) => { for (const c of n.querySelectorAll('*')) { all.push(c); if (c.shadowRoot) walk(c.shadowRoot); } };
  walk(document.getElementById('app'));
  const problems = [];
  for (const e of all) {
    if (e.getClientRects().length === 0 || e.closest('.warm-up')) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.display === 'contents' || s.position === 'fixed') continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const inScroller = scrollAncestor(e);
    if (!scrolls(e) && !inScroller && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) problems.push(name(e) + ': content ' + e.scrollWidth + ' px wide in ' + e.clientWidth + ' px');
    if (!inScroller && r.right > edge + 1) problems.push(name(e) + ': ends at ' + Math.round(r.right) + ' px, past the panel edge at ' + edge + ' px');
  }
  if (document.documentElement.scrollWidth > edge + 1) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px in ' + edge + ' px');
  return [...new Set(problems)];
}`;

/** Any character run of 45 or more (a token of thousands of `x` is not capped) in what the panel shows. */
const LONG_RUN = `() => { const m = /(\\S)\\1{44,}/.exec(document.getElementById('app').innerText); return m ? m[0].length : 0; }`;

/** Posts synthetic causal attention of T tokens × H heads, one layer (peaked random rows), made in the page: 12 M weights do not travel well as JSON. */
const POST_SYNTHETIC = `({ T, H }) => {
  let seed = 11;
  const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  const w = new Float32Array(H * T * T);
  for (let h = 0; h < H; h++) for (let q = 0; q < T; q++) {
    let s = 0; const base = h * T * T + q * T;
    for (let k = 0; k <= q; k++) { const v = rand() ** 8; w[base + k] = v; s += v; }
    for (let k = 0; k <= q; k++) w[base + k] /= s;
  }
  const tokens = Array.from({ length: T }, (_, i) => ({ id: i, text: ' w' + i }));
  window.postMessage({ type: 'attention', result: { model: 'synthetic', description: '1 layer × ' + H + ' heads', causal: true, layers: 1, heads: H, T, weights: [w], namedHeads: [], forwardMs: 0, tokens } }, '*');
}`;

/** Where the overview's parts are: its axis labels, strip, heatmap and focus window, and the timing line. */
const OVERVIEW_LAYOUT = `() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
  const heat = document.getElementById('head-heatmap');
  const focus = document.getElementById('focus-heatmap');
  return {
    ticks: Array.from(document.querySelectorAll('#attention-overview .overview-tick')).map((e) => ({ text: e.textContent, ...box(e) })),
    strip: box(document.getElementById('overview-strip')),
    heat: heat.getBoundingClientRect().width, heatBox: heat.parentElement.clientWidth,
    focus: { from: Number(focus.dataset.from), to: Number(focus.dataset.to), width: focus.getBoundingClientRect().width, box: focus.parentElement.clientWidth },
    timing: document.getElementById('attention-timing')?.textContent ?? '',
  };
}`;

/** The engine's answers for the panel, in the messages the host makes of them (typed arrays stay typed). */
function engineMessages() {
  const tokens = handle({ kind: 'tokenize', tokenizer: 'gpt2', text: SENTENCE, source: 'notes/a-rather-long-folder-name/another-long-folder/sample-file-name.txt:1', special: 'default', limit: 20000 });
  const a = handle({ kind: 'attention', model: 'tiny-gpt', text: SENTENCE, record: 'weights' });
  const attention = attentionMessage(a);
  const trace = handle({ kind: 'trace', tokenizer: 'gpt2', text: SENTENCE, special: 'default', tokenIndex: 1 });
  const trained = handle({ kind: 'train', text: SENTENCE, mode: 'byte-level', merges: 20, minFrequency: 2 });
  const stepTrace = (query: number) => handle({ kind: 'step', model: 'tiny-gpt', text: SENTENCE, layer: 0, head: 0, query });
  return { tokens, attention, trace, trained, stepTrace, nextLogits: a.nextLogits! };
}

const send = (page: Page, msg: unknown) => postFromHost(page, msg);
const frames = (page: Page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
const rect = (page: Page, selector: string) => page.locator(selector).first().evaluate((e) => { const r = e.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; });
const overlaps = (a: { left: number; top: number; right: number; bottom: number }, b: typeof a) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

async function openAt(browser: Browser, url: string, width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return page;
}

export async function narrowColumn(browser: Browser, url: string, step: Step): Promise<void> {
  mkdirSync(results, { recursive: true });
  const m = engineMessages();
  const zh = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const init = { type: 'init', tokenizers: ['gpt2', 'cl100k_base', 'bert-base-uncased'], current: 'gpt2', specialTokens: 'default', locale: 'en', activationMs: 1, models: ['tiny-gpt', 'tiny-bert', '../shared/fixtures/hf/models/gpt2-tiny'], model: 'tiny-gpt', strings: {} };

  for (const width of NARROW_WIDTHS) {
    await step(`${width} px column: every tab and attention view fits (nothing cut, long rows scroll in their own box)`, async () => {
      const page = await openAt(browser, url, width);
      const cut: string[] = [];
      const check = async (view: string) => {
        await frames(page);
        const problems = await page.evaluate((code) => (0, eval)(code)(), CUT_CHECK) as string[];
        cut.push(...problems.slice(0, 6).map((p) => `${view}: ${p}`));
        if (width === 360) await page.screenshot({ path: join(results, `narrow-360-${view}.png`), fullPage: true });
      };
      await send(page, init);
      await send(page, { type: 'tokens', result: m.tokens });
      await check('tokens');
      await send(page, { type: 'showTab', tab: 'trace' });
      await send(page, { type: 'trace', result: m.trace });
      await check('trace');
      await send(page, { type: 'showTab', tab: 'train' });
      await send(page, { type: 'trained', result: m.trained });
      await check('train');
      await send(page, { type: 'showTab', tab: 'attention' });
      await send(page, { type: 'attention', result: m.attention });
      await page.waitForFunction(() => document.querySelectorAll('.head-tile').length > 0);
      await check('heads');
      const heat = await page.evaluate(() => { const c = document.getElementById('head-heatmap')!; return { canvas: c.getBoundingClientRect().width, box: c.parentElement!.clientWidth }; });
      assert(heat.canvas <= heat.box + 1, `at ${width} px the heatmap is ${heat.canvas} px wide in a ${heat.box} px box`);
      const views = ['model', 'step', 'masks', 'positions', 'predictions'];
      for (let i = 1; i <= 5; i++) {
        await page.locator(`#inspector-tab-${i}`).click();
        if (i === 2) await send(page, { type: 'step', trace: m.stepTrace(m.attention.T - 1) });
        if (i === 1) await page.waitForSelector('#model-grid');
        if (i === 5) await page.waitForSelector('#sampling-table');
        await check(views[i - 1]);
      }
      await page.close();
      assert(cut.length === 0, `${cut.length} cut:\n${cut.join('\n')}`);
    });
  }

  const page = await openAt(browser, url, 360);
  await send(page, init);
  await send(page, { type: 'tokens', result: m.tokens });
  await send(page, { type: 'showTab', tab: 'attention' });
  await send(page, { type: 'attention', result: m.attention });
  await page.waitForFunction(() => document.querySelectorAll('.head-tile').length > 0);

  await step('360 px: the heatmap hover card names the cell and stays off the toolbar and the view tabs', async () => {
    // the heatmap's top 120 px down the window: the head tiles and view tabs above it are in view
    await page.locator('#head-heatmap').evaluate((c) => window.scrollBy(0, c.getBoundingClientRect().top - 120));
    const box = (await page.locator('#head-heatmap').boundingBox())!;
    const controls = [await rect(page, '#attention .attention-pickers[role="toolbar"]'), await rect(page, '#inspector-tab-0'), await rect(page, '#head-view .head-tiles')];
    for (const [fx, fy] of [[0.97, 0.35], [0.97, 0.97], [0.6, 0.6], [0.33, 0.33]]) { // inside the matrix, right of and below its labels
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await page.waitForSelector('#heat-card:not([hidden])');
      const card = await rect(page, '#heat-card');
      const text = await page.textContent('#heat-card');
      assert(/→/.test(text ?? '') && /\d\.\d{3}/.test(text ?? ''), `card text: ${text}`);
      for (const c of controls) assert(!overlaps(card, c), `the card ${JSON.stringify(card)} covers a control ${JSON.stringify(c)} (cursor at ${fx}, ${fy})`);
      assert(card.right <= 360 && card.left >= 0, `the card ${JSON.stringify(card)} leaves the 360 px panel`);
    }
    await page.screenshot({ path: join(results, 'narrow-360-hover.png') });
    await page.mouse.move(2, 2);
    await page.waitForSelector('#heat-card', { state: 'hidden' });
  });

  await step('360 px: a token of 10,000 characters is capped in the tokens and attention views (full text in its title)', async () => {
    const long = XSS_PAYLOADS[XSS_PAYLOADS.length - 1];
    assert(long.length === 10_000, 'the corpus has its 10,000-character token');
    const attention = { ...m.attention, tokens: m.attention.tokens.map((tk, j) => (j === 3 ? { ...tk, text: long } : tk)), nextTokenTop: m.attention.nextTokenTop?.map((e, j) => (j === 0 ? { ...e, text: long } : e)) };
    await send(page, { type: 'tokens', result: { ...m.tokens, tokens: m.tokens.tokens.map((tk, j) => (j === 2 ? { ...tk, text: long, source: long } : tk)) } });
    await send(page, { type: 'showTab', tab: 'tokens' });
    await frames(page);
    const chip = await page.locator('#tokens .token[data-index="2"]').evaluate((e) => ({ text: e.textContent ?? '', height: e.getBoundingClientRect().height, title: e.getAttribute('title') ?? '' }));
    assert(chip.text.length <= 41 && chip.text.endsWith('…'), `the chip shows ${chip.text.length} characters`);
    assert(chip.height < 60, `the chip is ${chip.height} px tall`);
    assert(chip.title.includes('x'.repeat(100)), 'the title keeps more of the text');
    assert(await page.evaluate((code) => (0, eval)(code)(), LONG_RUN) === 0, 'the tokens view shows a run of 45+ equal characters');
    await page.screenshot({ path: join(results, 'narrow-360-long-token.png') });
    await send(page, { type: 'showTab', tab: 'attention' });
    await send(page, { type: 'attention', result: attention });
    await page.waitForFunction(() => document.querySelectorAll('.head-tile').length > 0);
    await page.focus('#attention');
    for (let i = 0; i < attention.T - 1 - 3; i++) await page.keyboard.press('ArrowUp'); // the query is the long token
    assert((await page.textContent('#head-summary'))!.includes('…'), 'the summary caps the token');
    const run = await page.evaluate((code) => (0, eval)(code)(), LONG_RUN);
    assert(run === 0, `the heads view shows a run of ${run} equal characters`);
    await page.locator('#inspector-tab-5').click();
    await page.waitForSelector('#sampling-table');
    assert(await page.evaluate((code) => (0, eval)(code)(), LONG_RUN) === 0, 'the predictions view shows a run of 45+ equal characters');
    await page.locator('#inspector-tab-0').click();
  });

  await step('360 px: an invalid decoding setting marks its field and keeps the last valid table, marked stale (en, zh-CN)', async () => {
    await send(page, { type: 'showTab', tab: 'attention' });
    await send(page, { type: 'attention', result: m.attention });
    await page.waitForSelector('#inspector-tab-5');
    await page.locator('#inspector-tab-5').click();
    await page.waitForSelector('#sampling-table');
    const pct = (p: number) => (p === 0 ? '—' : `${(100 * p).toFixed(p < 0.001 ? 3 : 1)}%`);
    const expected = (temperature: number, topP: number) => { const st = samplingSteps(m.nextLogits, { ...DEFAULT_SAMPLING, temperature, topP }, 10); return JSON.stringify(st.ids.map((_, i) => st.stages.map((g) => pct(g.probs[i])))); };
    const shown = () => page.evaluate(() => JSON.stringify(Array.from(document.querySelectorAll('#sampling-table tr')).slice(1, 11).map((tr) => Array.from(tr.querySelectorAll('td')).slice(1).map((td) => td.textContent!.trim()))));
    const state = () => page.evaluate(() => ({
      temperature: document.getElementById('sampling-temperature')!.getAttribute('aria-invalid'),
      topP: document.getElementById('sampling-top-p')!.getAttribute('aria-invalid'),
      inputInvalid: document.querySelector('#sampling-temperature')!.shadowRoot?.querySelector('input')?.getAttribute('aria-invalid') ?? null,
      stale: document.getElementById('sampling-table')!.closest('.stale') !== null,
      message: document.getElementById('sampling-error')!.textContent ?? '',
      border: getComputedStyle(document.getElementById('sampling-temperature')!).outlineStyle,
    }));
    await page.locator('#sampling-temperature input').fill('0.5');
    await frames(page);
    assert(await shown() === expected(0.5, 1), 'temperature 0.5 is applied');
    await page.locator('#sampling-temperature input').fill('0');
    await frames(page);
    let s = await state();
    assert(s.temperature === 'true' && s.inputInvalid === 'true' && s.topP !== 'true', `aria-invalid: ${JSON.stringify(s)}`);
    assert(s.border !== 'none', 'the invalid field is outlined');
    assert(s.message.includes('The temperature must be a number above 0.'), `message: ${s.message}`);
    assert(s.stale, 'the table is marked stale');
    assert(await shown() === expected(0.5, 1), 'the table still shows the last valid settings (temperature 0.5)');
    await page.locator('#sampling-top-p input').fill('2');
    await frames(page);
    s = await state();
    assert(s.temperature === 'true' && s.topP === 'true' && /top-p/i.test(s.message), `two invalid fields: ${JSON.stringify(s)}`);
    await page.screenshot({ path: join(results, 'narrow-360-invalid-setting.png'), fullPage: true });
    await page.locator('#sampling-temperature input').fill('0.7');
    await page.locator('#sampling-top-p input').fill('0.6');
    await frames(page);
    s = await state();
    assert(s.temperature !== 'true' && s.topP !== 'true' && !s.stale && s.message === '', `fixed: ${JSON.stringify(s)}`);
    assert(await shown() === expected(0.7, 0.6), 'temperature 0.7 and top-p 0.6 are applied');
    // zh-CN: the message comes from the bundle
    await send(page, { ...init, locale: 'zh-cn', strings: zh });
    await send(page, { type: 'attention', result: m.attention });
    await page.waitForSelector('#inspector-tab-5');
    await page.locator('#inspector-tab-5').click();
    await page.waitForSelector('#sampling-table');
    await page.locator('#sampling-temperature input').fill('0');
    await frames(page);
    s = await state();
    const want = zh['The temperature must be a number above 0.'];
    assert(want && /[\u4e00-\u9fff]/.test(want) && s.message.includes(want), `zh-CN message: ${s.message}`);
    assert(s.stale && zh['Showing the last valid settings.'] && (await page.textContent('#predictions-view'))!.includes(zh['Showing the last valid settings.']), 'zh-CN stale notice');
    await page.screenshot({ path: join(results, 'narrow-360-invalid-setting-zh-cn.png'), fullPage: true });
    await send(page, init);
  });

  await step('360 px: 1,024 tokens get an overview (row max / entropy strip, labels that do not overlap, a focus window that follows the query); zoom still works', async () => {
    await page.evaluate(([code, arg]) => (0, eval)(code as string)(arg), [POST_SYNTHETIC, { T: 1024, H: 12 }] as const);
    await page.waitForSelector('#attention-overview');
    await page.waitForFunction(() => document.querySelectorAll('.head-tile').length === 12);
    await frames(page);
    // a click at the strip's right end picks the last row as the query
    const strip = (await page.locator('#overview-strip').boundingBox())!;
    await page.locator('#overview-strip').click({ position: { x: strip.width - 0.5, y: strip.height / 2 } });
    await page.waitForFunction(() => /^Token 10[12]\d /.test(document.getElementById('head-summary')?.textContent ?? ''));
    const query = Number(/^Token (\d+)/.exec((await page.textContent('#head-summary'))!)![1]); // one strip pixel is ~3 rows at this width
    await frames(page);
    const o = await page.evaluate((code) => (0, eval)(code)(), OVERVIEW_LAYOUT) as { ticks: { text: string; left: number; top: number; right: number; bottom: number }[]; strip: { left: number; right: number }; heat: number; heatBox: number; focus: { from: number; to: number; width: number; box: number }; timing: string };
    assert(o.heat <= o.heatBox + 1, `the 1,024-token heatmap is ${o.heat} px wide in ${o.heatBox} px`);
    assert(o.ticks.length >= 3, `${o.ticks.length} axis labels`);
    for (let i = 0; i < o.ticks.length; i++) {
      const a = o.ticks[i];
      assert(a.left >= o.strip.left - 1 && a.right <= o.strip.right + 1, `label ${a.text} leaves the strip`);
      for (let j = i + 1; j < o.ticks.length; j++) assert(!overlaps(a, o.ticks[j]), `labels ${a.text} and ${o.ticks[j].text} overlap`);
    }
    assert(o.focus.from <= query && o.focus.to > query && o.focus.to - o.focus.from >= 8, `focus window [${o.focus.from}, ${o.focus.to}) holds the query ${query}`);
    assert(o.focus.width <= o.focus.box + 1, `the focus window is ${o.focus.width} px wide in ${o.focus.box} px`);
    assert(/\d ms/.test(o.timing) && !/(^|[^\d.])0 ms/.test(o.timing), `timing line: ${o.timing}`);
    await page.screenshot({ path: join(results, 'narrow-360-long.png'), fullPage: true });
    await page.focus('#attention');
    for (let i = 0; i < 100; i++) await page.keyboard.press('ArrowUp');
    await frames(page);
    const moved = await page.evaluate(() => { const f = document.getElementById('focus-heatmap')!; return { from: Number(f.dataset.from), to: Number(f.dataset.to) }; });
    assert(moved.from <= query - 100 && moved.to > query - 100, `after 100 × ↑ the focus window is [${moved.from}, ${moved.to}), not around ${query - 100}`);
    const cut = await page.evaluate((code) => (0, eval)(code)(), CUT_CHECK) as string[];
    assert(cut.length === 0, `cut in the overview:\n${cut.join('\n')}`);
    for (let i = 0; i < 3; i++) await page.keyboard.press('+');
    await frames(page);
    const zoomed = await page.evaluate(() => { const c = document.getElementById('head-heatmap')!; return { width: c.getBoundingClientRect().width, box: c.parentElement!.clientWidth, overflow: getComputedStyle(c.parentElement!).overflowX }; });
    assert(zoomed.width > 2 * zoomed.box && /auto|scroll/.test(zoomed.overflow), `zoomed: ${JSON.stringify(zoomed)}`);
  });
  await page.close();
}

/** Alone: a plain harness page (the same shell and CSP as VS Code's) on a local server. */
async function main(): Promise<void> {
  const { url, close } = await serveHarness();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const failures: string[] = [];
  await narrowColumn(browser, url, async (name, fn) => {
    try { await fn(); console.log(`  ✓ ${name}`); } catch (e) { failures.push(name); console.log(`  ✗ ${name}\n    ${(e as Error).message.split('\n').join('\n    ')}`); }
  });
  await browser.close();
  close();
  console.log(failures.length ? `narrow: ${failures.length} step(s) failed` : 'narrow: all steps passed');
  process.exit(failures.length ? 1 : 0);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
