/**
 * Engine prose that the panel can translate: a tagged template keeps the English text (what
 * the CLI prints) and a translation key, the template with `{n}` for each interpolation,
 * with its arguments. An argument that is itself prose (an alternative wording, the name
 * of an analysis) is a nested `phrase`, translated on its own; names, numbers, paths and
 * tensor names stay as they are.
 *
 *   phrase`tensor ${name} has shape ${shape}`  →  English "tensor wte has shape [2, 3]",
 *   template "tensor {0} has shape {1}", args ["wte", "[2, 3]"]
 *
 * The host puts it in the display language with vscode.l10n.t (the zh-CN text is in
 * l10n/bundle.l10n.zh-cn.json under the template); ModelError carries one as `l10n`, and
 * the worker sends it beside the English message (engineProtocol.ts EngineResponse).
 */

/** An argument: a name or number kept as is, or prose translated on its own. */
export type L10nArg = string | number | L10nText;

/** A translatable text: `template` has `{n}` where `args[n]` goes. */
export interface L10nText { readonly template: string; readonly args: readonly L10nArg[] }

/** A text built by `phrase`: its English is what the template literal would have made. */
class Phrase implements L10nText {
  constructor(readonly template: string, readonly args: readonly L10nArg[]) {}
  toString(): string { return englishOf(this); }
}

/** Translatable prose; interpolated values other than numbers and phrases become strings, as `${v}` would make them. */
export function phrase(strings: TemplateStringsArray, ...values: unknown[]): L10nText {
  let template = strings[0];
  values.forEach((_, i) => { template += `{${i}}${strings[i + 1]}`; });
  return new Phrase(template, values.map((v) => (typeof v === 'number' ? v : asL10nText(v) ?? `${v as string}`)));
}

/**
 * Text shown as it is in every language: for a message that is already prose made elsewhere
 * (a request check the host ran before the request was sent). The scan in
 * test/engine/model/modelErrorL10n.test.ts lists where it is used.
 */
export function verbatim(text: string): L10nText {
  return new Phrase('{0}', [text]);
}

/** An error whose message is a translatable text (ModelError, NotAFileError, …): `message` is its English. */
export class L10nError extends Error {
  readonly l10n: L10nText;
  constructor(text: L10nText) {
    super(englishOf(text));
    this.l10n = text;
  }
}

/** An L10nError whose message is the template literal's text (for engine errors that are not ModelErrors: tokenizers, chat templates). */
export function l10nError(strings: TemplateStringsArray, ...values: unknown[]): L10nError {
  return new L10nError(phrase(strings, ...values));
}

/** The English text: each `{n}` replaced by its argument's English. */
export function englishOf(text: L10nText): string {
  return text.template.replace(/\{(\d+)\}/g, (_, i: string) => argEnglish(text.args[Number(i)]));
}

function argEnglish(a: L10nArg | undefined): string {
  return typeof a === 'object' ? englishOf(a) : String(a);
}

/** The text in the display language: `t` is vscode.l10n.t (or the webview's t), nested phrases translated first. */
export function translateText(text: L10nText, t: (template: string, ...args: (string | number)[]) => string): string {
  return t(text.template, ...text.args.map((a) => (typeof a === 'object' ? translateText(a, t) : a)));
}

/** A well-formed text (it crossed a thread or the webview boundary as plain data), or undefined. */
export function asL10nText(v: unknown, depth = 0): L10nText | undefined {
  const c = v as { template?: unknown; args?: unknown } | null;
  if (depth > 8 || !c || typeof c !== 'object' || typeof c.template !== 'string' || !Array.isArray(c.args)) return undefined;
  const ok = c.args.every((a) => typeof a === 'string' || typeof a === 'number' || asL10nText(a, depth + 1) !== undefined);
  return ok ? (v instanceof Phrase ? v : { template: c.template, args: c.args as L10nArg[] }) : undefined;
}

/** The translatable text an error carries (`l10n`), if it is well formed. */
export function errorL10nText(e: unknown): L10nText | undefined {
  return asL10nText((e as { l10n?: unknown } | null)?.l10n);
}

/** `e` with its translatable text attached. */
export function withL10nText<E extends Error>(e: E, text: L10nText): E & { l10n: L10nText } {
  return Object.assign(e, { l10n: text });
}
