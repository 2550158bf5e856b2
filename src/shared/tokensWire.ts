/**
 * The panel's tokenize answer as bytes: the worker writes the result as JSON and encodes
 * it as UTF-8 (encodeTokensBytes), the buffer moves to the extension host without a copy
 * and crosses VS Code's host → webview channel as bytes, and the webview decodes it
 * (decodeTokensBytes) and checks it as a `tokens` message. A 5 MB selection's answer is
 * 2–3 MB of JSON (20,000 tokens shown); as a string in a plain message, VS Code's
 * postMessage wrote it as JSON twice and encoded it as UTF-8 on the host's thread (≈ 30 ms
 * there, 300 ms with the 200,000-token limit), where a typed array is copied as it is.
 * JSON.stringify escapes lone surrogates (\udXXX), so the UTF-8 is exact for any text.
 */
import type { TokenizeResult } from './protocol';

export function encodeTokensBytes(result: TokenizeResult): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(result));
}

/** The result the bytes hold (not yet checked: the webview checks it as a `tokens` message); throws on bytes that are not JSON. */
export function decodeTokensBytes(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}
