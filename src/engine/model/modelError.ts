/**
 * The one error type of the model engine: a message that names the file, tensor or
 * setting at fault, meant to be shown to the user as is.
 */
export class ModelError extends Error {
  override name = 'ModelError';
}

/** Thrown when a running forward pass is cancelled by its caller. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor() { super('cancelled'); }
}
