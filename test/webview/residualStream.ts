/**
 * Webview checks for the Residual stream tab (run.ts calls them), on messages made by the
 * real engine on tiny-gpt: the logit-lens grid (L × T cells, each the engine's top-1; the
 * hover card's top 5 and probabilities; a clicked position's trajectory = finalRank by
 * layer), GLTR colours of the token loss (each chip's bucket from the engine's rank), the
 * embeddings view (asks with the defaults, draws the strip and the layer table), the BERT
 * message, the step trace's dot / cosine / −‖q−k‖² block, and the zh-CN strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handle } from '../../src/engine/worker/handlers';
import { rankBucket } from '../../src/shared/rankBuckets';
import type { Harness } from './modernDecoder';

function assert(ok: unknown, message: string): asserts ok { if (!ok) throw new Error(message); }
const waitPosted = (h: Harness, type: string) => h.page.waitForFunction((t) => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === t), type);

export async function checkResidualStream(h: Harness): Promise<void> {
  const { page } = h;
  const answer = handle({ kind: 'lens', model: 'tiny-gpt', text: h.text });
  const { lens, loss } = answer;
  assert(loss, 'the engine gave a loss');
  await h.posted();
  await page.locator('#views-tab-5').click();
  await waitPosted(h, 'requestResidual');
  await h.send({ type: 'residual', ...answer });
  await page.waitForSelector('#lens-grid td.lens-cell');
  // the grid: L rows × T cells, each cell the engine's top guess
  const cells = await page.locator('#lens-grid td.lens-cell').evaluateAll((ns) => ns.map((n) => ({ layer: Number((n as HTMLElement).dataset.layer), position: Number((n as HTMLElement).dataset.position), id: Number((n as HTMLElement).dataset.id), text: n.textContent ?? '' })));
  assert(cells.length === lens.layers * lens.T, `${cells.length} cells for ${lens.layers} × ${lens.T}`);
  for (const c of cells) assert(c.id === lens.top[c.layer - 1][c.position][0] && c.text.length > 0, `cell L${c.layer} p${c.position}: id ${c.id} “${c.text}”`);
  // a word-like guess reads as its text (a space shown as ␣)
  const worded = cells.find((c) => /^ ?[a-z]{2,4}$/i.test(lens.vocab[c.id]));
  assert(!worded || worded.text === lens.vocab[worded.id].replace(' ', '␣'), `cell reads ${worded?.text}`);
  // hover: the top 5 with the engine's probabilities
  const p = Math.min(5, lens.T - 1);
  await page.locator(`#lens-grid td[data-layer="2"][data-position="${p}"]`).hover();
  await page.waitForSelector('#lens-card:not([hidden])');
  const items = await page.locator('#lens-card li').allTextContents();
  assert(items.length === 5, `${items.length} guesses in the card`);
  items.forEach((s, i) => assert(s.endsWith(`${(100 * lens.probs[1][p][i]).toFixed(1)}%`), `guess ${i}: ${s} vs ${lens.probs[1][p][i]}`));
  await h.shoot(page, 'residual-lens');
  // click: the final prediction's rank by layer
  await page.locator(`#lens-grid th.lens-pos[data-position="${p}"]`).click();
  const ranks = await page.locator('#lens-trajectory-table tbody tr td:nth-child(2)').allTextContents();
  assert(ranks.join(',') === lens.finalRank.map((r) => r[p]).join(','), `trajectory ranks ${ranks.join(',')}`);
  // token loss: every chip after the first in the bucket of the engine's rank
  await page.locator('#residual-tab-1').click();
  const chips = await page.locator('#loss-text .gltr').evaluateAll((ns) => ns.map((n) => n.className));
  assert(chips.length === loss.tokens.length, `${chips.length} loss chips`);
  chips.forEach((c, i) => assert(i === 0 ? c.includes('gltr-none') : c.includes(`gltr-${rankBucket(loss.rank[i]!)}`), `chip ${i}: ${c}`));
  const summary = await page.textContent('#loss-summary') ?? '';
  assert(summary.includes(loss.perplexity.toFixed(2)), `summary: ${summary}`);
  await h.shoot(page, 'residual-loss');
  await page.locator('#loss-export-csv').click();
  const exported = (await h.posted()).find((m) => m.type === 'export') as { data: string } | undefined;
  assert(exported && exported.data.split('\n')[2].startsWith(`1,`), 'the loss CSV was posted');
  // embeddings: opening the tab asks with the defaults; the answer draws the strip and the layer table
  await page.locator('#residual-tab-2').click();
  await waitPosted(h, 'requestEmbedding');
  const ask = (await h.posted()).find((m) => m.type === 'requestEmbedding') as { word: string; contextA: string; contextB: string };
  assert(ask.word === 'bank' && ask.contextA.includes('river bank') && ask.contextB.includes('bank account'), `asked ${JSON.stringify(ask)}`);
  const e = handle({ kind: 'embedding', model: 'tiny-gpt', ...ask });
  await h.send({ type: 'embedding', result: e });
  await page.waitForSelector('#embedding-strip');
  const width = await page.locator('#embedding-strip').evaluate((c) => (c as HTMLCanvasElement).width);
  assert(width % e.row.length === 0, `strip width ${width} for ${e.row.length} channels`);
  const cos = await page.locator('#embedding-layers tbody td:nth-child(2)').allTextContents();
  assert(cos.join(',') === e.layers.map((l) => l.cosine.toFixed(4)).join(','), `cosines ${cos.join(',')}`);
  await h.shoot(page, 'residual-embeddings');
  // BERT: the lens is refused with the reason, and the explanation says what to use
  await h.send({ type: 'residualError', message: 'the logit lens needs a causal language model; this is a masked language model', notCausal: true });
  await page.locator('#residual-tab-0').click();
  assert(await page.locator('#lens-box details[data-topic="not-causal"]').count() === 1, 'the BERT explanation is shown');
  // zh-CN
  const bundle = JSON.parse(readFileSync(join(h.root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  await h.send({ ...h.init, locale: 'zh-cn', strings: bundle });
  assert((await page.textContent('#views-tab-5')) === bundle['Residual stream'], 'tab translated');
  await page.locator('#views-tab-5').click();
  await h.send({ type: 'residual', ...answer });
  await page.waitForSelector('#lens-grid');
  assert((await page.textContent('#residual-tab-1')) === bundle['Token loss'], 'sub-tab translated');
  assert((await page.textContent('#lens-view details[data-topic="lens"] summary')) === bundle['What is the logit lens?'], 'explanation translated');
  await h.shoot(page, 'residual-zh-cn');
  await h.send(h.init);
  await page.locator('#views-tab-3').click(); // back to the Attention tab, where the next steps look
}

/** The step trace's block: the three scores of the picked key equal q·k (the table's first column) and the formulas. */
export async function checkSimilarityBlock(h: Harness): Promise<void> {
  const { page } = h;
  await page.waitForSelector('#step-similarity #similarity-table');
  const key = Number(await page.locator('#similarity-key').inputValue());
  const values = await page.locator('#similarity-table tbody td:nth-child(2)').allTextContents();
  const raw = await page.locator(`#step-table tbody tr:nth-child(${key + 1}) td:first-of-type`).textContent();
  assert(values[0] === raw, `q·k ${values[0]} vs the step table's ${raw}`);
  assert(values.length === 3, `${values.length} scores`);
}
