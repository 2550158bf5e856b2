/**
 * Webview checks for a modern decoder (run.ts calls them): llama-tiny's real PanelAttention
 * (4 query heads, 2 K/V heads, RoPE, RMSNorm, SwiGLU) from the engine — the head tiles
 * grouped by K/V head, the model view's KV-cache numbers, the Positions tab's RoPE
 * frequencies instead of a position table, the RoPE step trace (rotated q/k, the shift
 * check), a sliding window in the mask view (llama-tiny read as Mistral, sliding_window 3),
 * and the zh-CN strings of these parts.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { handle } from '../../src/engine/worker/handlers';
import { HF_FIXTURES } from '../engine/fixtures';

export interface Harness {
  page: Page;
  send(msg: unknown): Promise<void>;
  posted(): Promise<Record<string, unknown>[]>;
  shoot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void>;
  attentionMessage(a: ReturnType<typeof handle<'attention'>>): unknown;
  init: Record<string, unknown>;
  root: string;
  text: string;
}

function assert(ok: unknown, message: string): asserts ok { if (!ok) throw new Error(message); }
const LLAMA = join(HF_FIXTURES, 'models', 'llama-tiny');
const num = (s: string) => Number(s.trim().replace('−', '-'));

/** Open a tab, wait for the step request, answer it with the engine's step trace of `model`. */
async function answerStep(h: Harness, tab: number, model: string): Promise<void> {
  await h.posted();
  await h.page.locator(`#inspector-tab-${tab}`).click();
  await h.page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'requestStep'));
  const req = (await h.posted()).find((m) => m.type === 'requestStep') as { layer: number; head: number; query: number };
  const trace = handle({ kind: 'step', model, text: h.text, layer: req.layer, head: req.head, query: req.query });
  await h.send({ type: 'step', trace });
}

export async function checkModernDecoder(h: Harness): Promise<void> {
  const { page } = h;
  const a = handle({ kind: 'attention', model: LLAMA, text: h.text, record: 'weights' });
  await h.send({ type: 'attention', result: h.attentionMessage(a) });
  await page.waitForSelector('.kv-group');
  const captions = await page.locator('.kv-group-caption').allTextContents();
  assert(JSON.stringify(captions) === JSON.stringify(['query heads 0–1 read K/V head 0', 'query heads 2–3 read K/V head 1']), `groups: ${JSON.stringify(captions)}`);
  const second = await page.locator('.kv-group[data-kv="1"] .head-tile').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-head')));
  assert(JSON.stringify(second) === '["2","3"]', `K/V head 1 holds tiles ${JSON.stringify(second)}`);
  assert((await page.textContent('#attention-timing'))!.includes('4 heads (2 KV)'), 'the description says 4 heads (2 KV)');

  await page.locator('#inspector-tab-1').click();
  await page.waitForSelector('#kv-cache');
  const cache = (await page.textContent('#kv-cache'))!;
  // 2 × 2 layers × 2 K/V heads × 8 dims × 4 bytes = 256 B; multi-head (4 K/V heads) 512 B; fp16 128 B
  assert(cache.includes('2 (K and V) × 2 layers × 2 K/V heads × 8 dims × 4 bytes') && cache.includes('= 256 B') && cache.includes('512 B') && cache.includes('128 B per token'), cache);
  assert((await page.textContent('#variants-note summary')) === 'Mainstream improvements to attention', 'the seed question');
  assert((await page.textContent('#variants-note'))!.includes('Positions: RoPE, θ = 10,000'), 'the seed answer has the model\'s RoPE');

  await page.locator('#inspector-tab-4').click();
  await page.waitForSelector('#rope-positions');
  assert(await page.locator('#rope-wavelengths tbody tr').count() === 4, 'four frequency pairs (head_dim 8)');
  const waves = await page.locator('#rope-wavelengths tbody tr td:nth-child(3)').allTextContents();
  assert(Math.abs(num(waves[1]) - 20 * Math.PI) < 1e-3, `pair 1's wavelength 2π/0.1: ${waves[1]}`);
  assert(await page.locator('#learned-positions').count() === 0, 'no learned position table for a RoPE model');
  await h.shoot(page, 'rope-positions', { fullPage: true });

  await answerStep(h, 2, LLAMA);
  await page.waitForSelector('#rope-shift');
  const diffs = await page.locator('#rope-shift tbody tr td:nth-child(5)').allTextContents();
  assert(diffs.length === 6, `${diffs.length} shift rows`);
  assert(diffs.slice(0, 5).every((d) => Math.abs(num(d)) < 1e-4), `shifted scores equal the model's: ${diffs.join(' ')}`);
  assert((await page.textContent('#step-gqa'))!.includes('K/V head'), 'the step trace names the K/V head');
  assert((await page.textContent('#step-norm'))!.includes('the mean'), 'RMSNorm: what is not subtracted');
  assert((await page.textContent('#step-ffn h4'))!.startsWith('7. Gated feed-forward'), 'the gated FFN');
  await page.evaluate(() => { const d = document.querySelector('#rope-key') as HTMLElement & { value: string }; d.value = '0'; d.dispatchEvent(new Event('change')); });
  await page.waitForFunction(() => (document.querySelector('#rope-content p')?.textContent ?? '').includes('key 0'));
  await h.shoot(page, 'rope-step', { fullPage: true });

  const dir = mkdtempSync(join(tmpdir(), 'tt-mistral-'));
  try {
    cpSync(LLAMA, dir, { recursive: true });
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, model_type: 'mistral', architectures: ['MistralForCausalLM'], sliding_window: 3 }));
    await h.send({ type: 'attention', result: h.attentionMessage(handle({ kind: 'attention', model: dir, text: h.text, record: 'weights' })) });
    await page.waitForSelector('#inspector-tab-3');
    await answerStep(h, 3, dir);
    await page.waitForSelector('#mask-sliding');
    assert(await page.locator('.mask-panel').count() === 5, 'four masks and the layer\'s window');
    assert((await page.textContent('#mask-windows'))!.includes('layers 0–1 see only the last 3 keys'), 'windows per layer');
    assert((await page.textContent('#mask-sliding'))!.includes('the window hides keys 0–'), 'which keys the window hides');
    await h.shoot(page, 'sliding-window');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const bundle = JSON.parse(readFileSync(join(h.root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  await h.send({ ...h.init, locale: 'zh-cn', strings: bundle });
  await h.send({ type: 'attention', result: h.attentionMessage(a) });
  await page.waitForSelector('.kv-group');
  const zh = await page.locator('.kv-group-caption').first().textContent();
  assert(zh === '查询头 0–1 读取 K/V 头 0', `zh-CN group caption: ${zh}`);
  await page.locator('#inspector-tab-1').click();
  await page.waitForSelector('#variants-note');
  assert((await page.textContent('#variants-note summary')) === '主流的注意力改进', 'zh-CN seed question');
  assert((await page.textContent('#kv-cache'))!.includes('每个词元的 KV 缓存'), 'zh-CN KV cache line');
  await page.locator('#inspector-tab-4').click();
  await page.waitForSelector('#rope-positions');
  assert((await page.textContent('#rope-positions h4')) === '本模型的旋转位置编码（RoPE）', 'zh-CN positions heading');
  await h.shoot(page, 'rope-zh-cn', { fullPage: true });
  await h.send(h.init);
}
