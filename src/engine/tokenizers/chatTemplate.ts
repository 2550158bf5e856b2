/**
 * Chat templates: what a chat model is actually sent for a list of messages. The Jinja
 * `chat_template` of a tokenizer folder (chat_template.jinja, else tokenizer_config.json's
 * `chat_template`, a string or a list of named templates whose "default" is used) is rendered
 * with @huggingface/jinja, then tokenized — as transformers' `apply_chat_template` does
 * (transformers 5.18, tokenization_utils_base.py and utils/chat_template_utils.py):
 *   - variables: messages, add_generation_prompt, tools = None, documents = None, and the named
 *     special tokens of the config (bos_token, eos_token, unk_token, sep_token, pad_token,
 *     cls_token, mask_token; an AddedToken object gives its `content`); raise_exception and
 *     strftime_now are the library's globals; trim_blocks and lstrip_blocks are on;
 *   - tokenize=True tokenizes the rendered text with add_special_tokens=False: the template
 *     writes the BOS itself, so the post-processor's BOS is not added again; special and added
 *     tokens in the text are matched.
 * Checked against transformers on Llama 3, Qwen3, Gemma 3 and DeepSeek V3
 * (tools/reference/chat_goldens.py → test/fixtures/chat/golden.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import type { Token } from './types';
import { resolveTokenizer } from './resolve';
import { locateTokenizer, resolvableName } from './tokenizerLocation';
import { raiseExceptionLine, runtimeErrorLine, syntaxErrorLine, templateLineText } from './jinjaErrorLine';
import { parseMessages, type ChatMessage } from './chatMessages';
import type { CodedError } from '../../shared/engineErrors';
import { L10nError, l10nError, phrase, type L10nText } from '../../shared/l10nText';

export { parseMessages, type ChatMessage };

/** ChatML, the template transformers used when a tokenizer had none (its old `default_chat_template`); used only when asked for. */
export const GENERIC_CHAT_TEMPLATE = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const SPECIAL_TOKEN_NAMES = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];

export interface ChatTemplateSource {
  template: string;
  /** The file it was read from, or `generic` for GENERIC_CHAT_TEMPLATE. */
  source: string;
  /** The named special tokens the template may use (`bos_token` → `<|begin_of_text|>`). */
  specialTokens: Record<string, string>;
}

/** A template that failed: the Jinja message, and the template line when it can be found. */
export class ChatTemplateError extends L10nError {
  constructor(text: L10nText, readonly line?: number) { super(text); }
}

/** The tokenizer has no chat template (and the generic one was not asked for). */
export class NoChatTemplateError extends L10nError {}

function readJson(file: string): Record<string, unknown> {
  let value: unknown;
  try { value = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw l10nError`${file}: not valid JSON (${(e as Error).message})`; }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw l10nError`${file}: expected a JSON object`;
  return value as Record<string, unknown>;
}

/** `"<s>"` or `{"content": "<s>", …}` (an AddedToken) → `<s>`; anything else → undefined. */
function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

function specialTokensOf(config: Record<string, unknown>, folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SPECIAL_TOKEN_NAMES) { const s = tokenString(config[name]); if (s !== undefined) out[name] = s; }
  // transformers reads the legacy special_tokens_map.json only for configs without added_tokens_decoder, and lets it override
  const legacy = join(folder, 'special_tokens_map.json');
  if (!('added_tokens_decoder' in config) && existsSync(legacy)) {
    const map = readJson(legacy);
    for (const name of SPECIAL_TOKEN_NAMES) { const s = tokenString(map[name]); if (s !== undefined) out[name] = s; }
  }
  return out;
}

/** The chat template of a tokenizer folder, or NoChatTemplateError saying where it looked. */
export function readChatTemplate(folder: string): ChatTemplateSource {
  const configFile = join(folder, 'tokenizer_config.json');
  const config = existsSync(configFile) ? readJson(configFile) : {};
  const specialTokens = specialTokensOf(config, folder);
  const jinjaFile = join(folder, 'chat_template.jinja');
  if (existsSync(jinjaFile)) return { template: readFileSync(jinjaFile, 'utf8'), source: jinjaFile, specialTokens };
  const t = config.chat_template;
  if (typeof t === 'string') return { template: t, source: configFile, specialTokens };
  if (Array.isArray(t)) {
    const named = t.find((x) => x && typeof x === 'object' && (x as { name?: unknown }).name === 'default') as { template?: unknown } | undefined;
    if (named && typeof named.template === 'string') return { template: named.template, source: `${configFile} (chat_template "default")`, specialTokens };
    throw new ChatTemplateError(phrase`${configFile}: chat_template is a list of named templates without a "default" (names: ${t.map((x) => JSON.stringify((x as { name?: unknown })?.name)).join(', ')})`);
  }
  if (t !== undefined && t !== null) throw new ChatTemplateError(phrase`${configFile}: chat_template must be a string or a list of ${'{name, template}'}, got ${typeof t}`);
  throw new NoChatTemplateError(phrase`${folder} has no chat template (no chat_template.jinja, and ${existsSync(configFile) ? phrase`tokenizer_config.json has no "chat_template"` : phrase`no tokenizer_config.json`}); a generic ChatML template can be used instead, as an explicit choice (--generic-template)`);
}

const compiled = new Map<string, Template>();

function compile(template: string): Template {
  let t = compiled.get(template);
  if (!t) {
    try { t = new Template(template); } catch (e) {
      const message = (e as Error).message;
      const line = syntaxErrorLine(template, message);
      throw new ChatTemplateError(phrase`chat template syntax error${at(template, line)}: ${message}`, line);
    }
    if (compiled.size > 16) compiled.clear();
    compiled.set(template, t);
  }
  return t;
}

const at = (template: string, line: number | undefined) => (line === undefined ? '' : phrase` at line ${line} (${templateLineText(template, line)})`);

export interface RenderOptions {
  addGenerationPrompt: boolean;
  specialTokens?: Record<string, string>;
}

/** The prompt text a template makes of the messages; template errors become ChatTemplateError with the line. */
export function renderChatTemplate(template: string, messages: readonly ChatMessage[], opts: RenderOptions): string {
  const t = compile(template);
  try {
    return t.render({ ...opts.specialTokens, messages, add_generation_prompt: opts.addGenerationPrompt, tools: null, documents: null });
  } catch (e) {
    const message = (e as Error).message;
    const raised = raiseExceptionLine(template, message);
    if (raised !== undefined) throw new ChatTemplateError(phrase`the chat template refused the messages${at(template, raised)}: ${message}`, raised);
    const line = runtimeErrorLine(template, message);
    throw new ChatTemplateError(phrase`the chat template failed${at(template, line)}: ${message}`, line);
  }
}

export interface ChatResult {
  text: string;
  ids: number[];
  tokens: Token[];
  /** Where the template came from (a file, or `generic`). */
  templateSource: string;
  /** Said alongside the result: the generic template's markers are plain text to this tokenizer. */
  notice?: string;
  /** The notice as a code (engineErrors.ts), for the panel's translation. */
  noticeCoded?: CodedError;
}

export interface ApplyOptions {
  addGenerationPrompt?: boolean;
  /** Use GENERIC_CHAT_TEMPLATE when the tokenizer has none. */
  genericTemplate?: boolean;
}

/** apply_chat_template for a tokenizer (folder, tokenizer.json, cached Hub id or built-in): the text and its ids. */
export function applyChatTemplate(spec: string, messages: readonly ChatMessage[], opts: ApplyOptions = {}): ChatResult {
  const loc = locateTokenizer(spec);
  let source: ChatTemplateSource;
  try {
    if (loc.kind === 'builtin') throw new NoChatTemplateError(phrase`${spec} is a built-in encoding without a chat template; a generic ChatML template can be used instead, as an explicit choice (--generic-template)`);
    source = readChatTemplate(loc.folder);
  } catch (e) {
    if (!(e instanceof NoChatTemplateError) || !opts.genericTemplate) throw e;
    const folder = loc.kind === 'file' ? loc.folder : undefined;
    source = { template: GENERIC_CHAT_TEMPLATE, source: 'generic', specialTokens: folder ? specialTokensOfFolder(folder) : {} };
  }
  const text = renderChatTemplate(source.template, messages, { addGenerationPrompt: opts.addGenerationPrompt ?? true, specialTokens: source.specialTokens });
  const tok = resolveTokenizer(resolvableName(loc));
  const tokens = tok.encodeTokens(text, { specialTokens: 'match', addSpecialTokens: false });
  const notice = source.source === 'generic' && tok.tokenToId('<|im_start|>') === undefined
    ? `the generic ChatML template's <|im_start|> and <|im_end|> are not tokens of ${tok.name}: they are tokenized as plain text`
    : undefined;
  return { text, ids: tokens.map((t) => t.id), tokens, templateSource: source.source, notice, ...(notice ? { noticeCoded: { code: 'chatml-not-tokens', args: [tok.name] } satisfies CodedError } : {}) };
}

function specialTokensOfFolder(folder: string): Record<string, string> {
  const configFile = join(folder, 'tokenizer_config.json');
  return specialTokensOf(existsSync(configFile) ? readJson(configFile) : {}, folder);
}
