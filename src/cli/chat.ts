/**
 * `trace chat --tokenizer DIR_OR_ID --messages file.json [--no-generation-prompt] [--generic-template] [--json]`:
 * what a chat model is sent (src/engine/tokenizers/chatTemplate.ts). The messages file is a
 * list of {"role", "content"} (or {"messages": [...]}); `--text T` alone is one user message.
 * On a terminal the rendered prompt is printed with every special token highlighted, then the
 * count and the ids; `--json` prints {"text", "ids", "count", "template"}.
 */
import { readFileSync, statSync } from 'node:fs';
import { applyChatTemplate, parseMessages, type ChatMessage } from '../engine/tokenizers/chatTemplate';
import type { ParsedArgs } from './args';
import { UsageError } from './args';
import { bold, dim, useColor } from './terminal';
import { fetchHubTokenizers } from '../engine/hub/hubTokenizer';
import { hubSettingsFromEnv } from '../engine/hub/hubModel';

const MAX_MESSAGES_BYTES = 16 * 1024 * 1024;

function readMessages(args: ParsedArgs): ChatMessage[] {
  const file = args.options.get('messages');
  const text = args.options.get('text');
  if (typeof file === 'string' && typeof text === 'string') throw new UsageError('give --messages FILE or --text T (one user message), not both');
  if (typeof text === 'string') return [{ role: 'user', content: text }];
  if (typeof file !== 'string') throw new UsageError('chat needs --messages FILE (a JSON list of {"role", "content"}) or --text T (one user message)');
  let raw: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`--messages ${file}: is not a regular file`, false);
    if (st.size > MAX_MESSAGES_BYTES) throw new UsageError(`--messages ${file}: is ${st.size} bytes; at most ${MAX_MESSAGES_BYTES}`, false);
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--messages ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, false);
  }
  let value: unknown;
  try { value = JSON.parse(raw); } catch (e) { throw new UsageError(`--messages ${file}: not valid JSON (${(e as Error).message})`, false); }
  try { return parseMessages(value); } catch (e) { throw new UsageError(`--messages ${file}: ${(e as Error).message}`, false); }
}

export async function chatCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const spec = args.options.get('tokenizer');
  if (typeof spec !== 'string') throw new UsageError('chat needs --tokenizer DIR (a folder with tokenizer.json and tokenizer_config.json), a tokenizer.json, or a Hub id');
  const messages = readMessages(args);
  for (const id of await fetchHubTokenizers([spec], hubSettingsFromEnv())) err.write(`trace: fetched ${id}'s tokenizer (tokenizer.json, tokenizer_config.json) into the Hugging Face cache\n`);
  const r = applyChatTemplate(spec, messages, { addGenerationPrompt: !args.options.has('no-generation-prompt'), genericTemplate: args.options.has('generic-template') });
  if (r.notice) err.write(`trace: ${r.notice}\n`);
  if (args.options.has('json')) {
    out.write(JSON.stringify({ text: r.text, ids: r.ids, count: r.ids.length, template: r.templateSource }) + '\n');
    return;
  }
  const color = useColor(out);
  // the prompt as the model reads it, special tokens highlighted; the text between them as it is
  let shown = '';
  let end = 0;
  for (const t of r.tokens) {
    if (!t.special || t.end <= t.start) continue;
    shown += r.text.slice(end, t.start) + highlight(r.text.slice(t.start, t.end), color);
    end = t.end;
  }
  shown += r.text.slice(end);
  out.write(`${shown}${shown.endsWith('\n') ? '' : '\n'}\n`);
  const specials = r.tokens.filter((t) => t.special).length;
  out.write(`${bold(`${r.ids.length.toLocaleString('en-US')} tokens`, color)} (${specials} special) · template: ${r.templateSource}${args.options.has('no-generation-prompt') ? '' : ' · with the generation prompt'}\n`);
  out.write(`${dim(r.ids.join(' '), color)}\n`);
}

function highlight(s: string, color: boolean): string {
  return color ? `\x1b[1;30;43m${s}\x1b[0m` : s;
}
