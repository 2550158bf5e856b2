/**
 * The Questions tab in a real browser (the harness page of harnessServer.ts, messages from
 * the real engine on the bundled tiny-gpt): in zh-CN the fourteen questions are listed in
 * Chinese; question 4's link opens the Attention tab, then the inspector's Step trace once
 * the attention arrives, asks for the step of the chosen head, scrolls to the scale line (the
 * variance of q·k follows it) and opens the √d_k explanation; question 13 on a decoder offers to load tiny-translator
 * (posting pickModel). Screenshot in test-results/webview/questions-zh.png.
 *
 * Run: npm run build && tsx test/webview/questions.ts (after test/e2e/install-tools.sh).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handle } from '../../src/engine/worker/handlers';
import { attentionMessage, chromium, postFromHost, root, serveHarness } from './harnessServer';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
function assert(ok: unknown, message: string): asserts ok { if (!ok) throw new Error(message); }

async function main(): Promise<void> {
  const results = join(root, 'test-results', 'webview');
  mkdirSync(results, { recursive: true });
  const zh = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const { url, close } = await serveHarness();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const errors: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    const send = (m: unknown) => postFromHost(page, m);
    const posted = () => page.evaluate(() => (window as unknown as { __posted: Record<string, unknown>[] }).__posted.splice(0));
    const waitPosted = (type: string) => page.waitForFunction((ty) => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === ty), type);

    await send({ type: 'init', tokenizers: ['gpt2'], current: 'gpt2', specialTokens: 'default', locale: 'zh-cn', activationMs: 1, models: ['tiny-gpt', 'tiny-bert', 'tiny-translator'], model: 'tiny-gpt', strings: zh });
    await send({ type: 'tokens', result: handle({ kind: 'tokenize', tokenizer: 'gpt2', text: SENTENCE, source: 'a.txt:1', special: 'default', limit: 1000 }) });
    await page.waitForSelector('#tokens .token');

    await page.locator('#views-tab-7').click();
    assert((await page.textContent('#views-tab-7')) === zh['Questions'], 'the tab is translated');
    await page.waitForSelector('#questions-list > li');
    const items = await page.locator('#questions-list > li > p').allTextContents();
    assert(items.length === 14, `${items.length} questions`);
    assert(items.every((q) => /[\u4e00-\u9fff]/.test(q)), 'every question in Chinese');
    const q13 = await page.textContent('#question-13');
    assert(q13?.includes('tiny-translator'), `question 13 on a decoder names tiny-translator: ${q13}`);
    await page.screenshot({ path: join(results, 'questions-zh.png'), fullPage: true });

    // question 4: Attention tab, then (once the attention arrives) Step trace, the step asked for, the variance line shown
    await posted();
    await page.locator('#question-4 a.question-link').first().click();
    await waitPosted('requestAttention');
    const a = handle({ kind: 'attention', model: 'tiny-gpt', text: SENTENCE, record: 'weights' });
    await send({ type: 'attention', result: attentionMessage(a) });
    await waitPosted('requestStep');
    assert((await page.locator('#inspector').getAttribute('activeid')) === 'inspector-tab-2', 'the inspector opened the Step trace');
    const req = (await posted()).find((m) => m.type === 'requestStep') as { layer: number; head: number; query: number };
    const trace = handle({ kind: 'step', model: 'tiny-gpt', text: SENTENCE, layer: req.layer, head: req.head, query: req.query });
    await send({ type: 'step', trace });
    await page.waitForSelector('#step-scale');
    await page.waitForFunction(() => { const r = document.getElementById('step-scale')!.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; });
    // the jump looks every 100 ms: the line may be on screen before it has opened the explanation
    await page.waitForFunction(() => document.querySelector('#step-view details[data-topic="scale"]')?.hasAttribute('open'), undefined, { timeout: 5000 });
    await page.screenshot({ path: join(results, 'questions-q4-zh.png') });

    // question 13 on a decoder: the link loads tiny-translator
    await page.locator('#views-tab-7').click();
    await page.locator('#question-13 a.question-link').first().click();
    await waitPosted('pickModel');
    const pick = (await posted()).find((m) => m.type === 'pickModel') as { name: string };
    assert(pick.name === 'tiny-translator', `pickModel ${pick.name}`);
    assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
    console.log('questions: ok');
  } finally {
    await browser.close();
    close();
  }
}

main().catch((e) => { console.error('questions: FAILED', e); process.exitCode = 1; });
