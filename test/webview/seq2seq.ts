/**
 * Webview checks for an encoder–decoder (run.ts calls them): t5-tiny's real PanelAttention
 * with its seq2seq part from the worker — the Encoder–decoder tab's three attentions
 * (encoder self Te × Te, decoder self Td × Td, cross Td × Te), the BertViz-style cross
 * lines, T5's relative bias table, the target box (Run, Translate and the answer put into
 * the box), the cross step trace (its rectangular scores), the real masks with the seed
 * question answered in the model's numbers, and the zh-CN strings of these parts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { handle } from '../../src/engine/worker/handlers';
import { HF_FIXTURES } from '../engine/fixtures';
import type { Harness } from './modernDecoder';

function assert(ok: unknown, message: string): asserts ok { if (!ok) throw new Error(message); }
const T5 = join(HF_FIXTURES, 'models', 't5-tiny');
const SOURCE = 'I love you', TARGET = 'Je t\'aime';

const waitPosted = (page: Page, type: string) => page.waitForFunction((ty) => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === ty), type);

export async function checkSeq2Seq(h: Harness): Promise<void> {
  const { page } = h;
  const a = handle({ kind: 'attention', model: T5, text: SOURCE, target: TARGET, record: 'weights' });
  const s = a.seq2seq!, Te = a.T, Td = s.Td;
  await page.locator('#views-tab-3').click(); // the Attention tab
  await h.send({ type: 'attention', result: h.attentionMessage(a) });
  await page.waitForSelector('#inspector-tab-6');
  assert((await page.textContent('#inspector-tab-6')) === 'Encoder–decoder', 'the Encoder–decoder tab');
  await page.locator('#inspector-tab-6').click();
  await page.waitForSelector('#s2s-panels canvas[data-rows]');
  const shapes = await page.locator('#s2s-panels canvas').evaluateAll((cs) => cs.map((c) => [c.getAttribute('data-kind'), c.getAttribute('data-rows'), c.getAttribute('data-cols'), (c as HTMLCanvasElement).width > 0]));
  assert(JSON.stringify(shapes) === JSON.stringify([['encoder-self', `${Te}`, `${Te}`, true], ['decoder-self', `${Td}`, `${Td}`, true], ['cross', `${Td}`, `${Te}`, true]]), `three attentions: ${JSON.stringify(shapes)}`);
  assert((await page.locator('#s2s-target').evaluate((f) => (f as HTMLInputElement).value)) === TARGET, 'the target box holds the target');
  assert((await page.locator('#cross-lines').getAttribute('data-query')) === String(Td - 1), 'cross lines from the last target token');
  const rows = await page.locator('#relative-table tbody tr').count();
  assert(rows === 2 * Te - 1, `the encoder's distances −${Te - 1}…${Te - 1}: ${rows} rows`);
  const first = await page.locator('#relative-table tbody tr').first().locator('td').allTextContents();
  const bucket = Number(first[1]);
  assert(first[0] === `−${Te - 1}` && bucket === Te - 1, `distance −${Te - 1} is bucket ${Te - 1}: ${first.join(' ')}`);
  assert((await page.textContent('#relative-summary'))!.includes('32 buckets, max distance 128'), 'T5 settings from config.json');
  await h.shoot(page, 'seq2seq-panels', { fullPage: true });

  // the target box: Run posts setTarget; Translate posts requestTranslate and its answer goes into the box
  await h.posted();
  await page.locator('#s2s-target').evaluate((f) => { (f as HTMLInputElement).value = 'Je suis'; });
  await page.locator('#s2s-run').click();
  await waitPosted(page, 'setTarget');
  assert((await h.posted()).some((m) => m.type === 'setTarget' && m.target === 'Je suis'), 'Run posts the typed target');
  await page.locator('#s2s-translate').click();
  await waitPosted(page, 'requestTranslate');
  await h.posted();
  await h.send({ type: 'translated', text: 'Je t\'aime bien', newIds: [1, 2, 3] });
  await waitPosted(page, 'setTarget');
  assert((await h.posted()).some((m) => m.type === 'setTarget' && m.target === 'Je t\'aime bien'), 'the translation is run as the target');
  assert((await page.locator('#s2s-target').evaluate((f) => (f as HTMLInputElement).value)) === 'Je t\'aime bien', 'the translation is in the box');

  // the cross step trace: q from a target token, k and v from the source
  await page.locator('#s2s-step-cross').click();
  await waitPosted(page, 'requestStep');
  const req = (await h.posted()).filter((m) => m.type === 'requestStep').pop() as { layer: number; head: number; query: number; attention: 'cross' };
  assert(req.attention === 'cross' && req.query === Td - 1, `the step request: ${JSON.stringify(req)}`);
  const trace = handle({ kind: 'step', model: T5, text: SOURCE, target: TARGET, layer: req.layer, head: req.head, query: req.query, attention: 'cross' });
  await h.send({ type: 'step', trace });
  await page.waitForSelector('#step-cross-scores');
  assert((await page.getAttribute('#step-kind-line', 'data-kind')) === 'cross', 'the step names its kind');
  assert((await page.textContent('#step-kind-line'))!.includes(`k and v from all ${Te} source tokens`), 'k and v from the source');
  assert((await page.getAttribute('#step-cross-scores', 'data-rows')) === String(Td) && (await page.getAttribute('#step-cross-scores', 'data-cols')) === String(Te), 'scores [queries, T]');
  assert(await page.locator('#step-table tbody tr').count() === Te, 'one row per source key');
  assert((await page.textContent('#step-mask'))!.includes('only padded source keys'), 'the cross mask step');
  await h.shoot(page, 'seq2seq-cross-step', { fullPage: true });

  // the real masks and the seed question answered with the model's numbers
  await page.locator('#inspector-tab-3').click();
  await page.waitForSelector('#seq2seq-note');
  const kinds = await page.locator('#mask-grid .mask-panel').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-kind')));
  assert(JSON.stringify(kinds) === '["encoder-self","decoder-self","cross"]', `the three real masks: ${JSON.stringify(kinds)}`);
  assert((await page.textContent('#seq2seq-note summary')) === 'Why do two of the three attentions need no mask, and how is the third masked?', 'the seed question');
  const dec = (await page.textContent('#seq2seq-note-decoder'))!;
  assert(dec.includes(`the ${(Td * (Td - 1)) / 2} of ${Td * Td} cells above the diagonal get −∞`) && dec.includes('(the largest here: 0.0000)'), dec);
  assert((await page.textContent('#seq2seq-note-cross'))!.includes(`0 of ${Td * Te} cells`), 'cross: nothing masked');
  await h.shoot(page, 'seq2seq-masks', { fullPage: true });

  const bundle = JSON.parse(readFileSync(join(h.root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  await h.send({ ...h.init, locale: 'zh-cn', strings: bundle });
  await h.send({ type: 'attention', result: h.attentionMessage(a) });
  await page.waitForSelector('#inspector-tab-6');
  assert((await page.textContent('#inspector-tab-6')) === '编码器–解码器', 'zh-CN tab');
  await page.locator('#inspector-tab-6').click();
  await page.waitForSelector('#s2s-panels canvas[data-rows]');
  const titles = await page.locator('#s2s-panels figcaption strong').allTextContents();
  assert(JSON.stringify(titles) === JSON.stringify(['编码器自注意力（双向）', '解码器自注意力（因果）', '交叉注意力']), `zh-CN titles: ${JSON.stringify(titles)}`);
  await page.locator('#inspector-tab-3').click();
  await page.waitForSelector('#seq2seq-note');
  assert((await page.textContent('#seq2seq-note summary')) === '为什么三种注意力中有两种不需要掩码，第三种又是怎样掩码的？', 'zh-CN seed question');
  await h.shoot(page, 'seq2seq-zh-cn', { fullPage: true });
  await h.send(h.init);
}
