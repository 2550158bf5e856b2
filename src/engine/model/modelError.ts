/**
 * The one error type of the model engine: a message that names the file, tensor or
 * setting at fault, meant to be shown to the user as is. It is built with the `modelError`
 * tag, so it carries its text as a translatable template too (src/shared/l10nText.ts):
 * the CLI prints the English message, the panel shows the template in the display language.
 *
 *   throw modelError`tensor ${name} has shape ${shape}`;
 */
import { L10nError, phrase } from '../../shared/l10nText';

/** `l10n`: the message as a template with its arguments, for the panel's translation. */
export class ModelError extends L10nError {
  override name = 'ModelError';
}

/** A ModelError whose message is the template literal's text. */
export function modelError(strings: TemplateStringsArray, ...values: unknown[]): ModelError {
  return new ModelError(phrase(strings, ...values));
}

/** Thrown when a running forward pass is cancelled by its caller. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() { super('cancelled'); }
}
