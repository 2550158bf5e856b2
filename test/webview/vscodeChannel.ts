/**
 * VS Code's host → webview channel, for tests: what `webview.postMessage` does to a message
 * on its way (VS Code's extHostWebviewMessaging.ts, serializeWebviewMessage and
 * deserializeWebviewMessage). The message is written as JSON, each ArrayBuffer and typed
 * array replaced by a reference to its buffer, which crosses beside the JSON as bytes. So a
 * typed array arrives with the same bytes (−∞ and NaN included), while in plain values
 * JSON's rules apply: −∞, +∞ and NaN become null, −0 becomes 0, undefined fields vanish.
 *
 * Node side: {@link throughVsCodeChannel} (unit tests). Browser side: the harness serializes
 * here and runs {@link DELIVER_IN_PAGE} in the page, which rebuilds the message as the
 * webview's preload does and posts it to the window (harnessServer.ts postFromHost).
 */

/** The key VS Code marks a buffer reference with. */
const REFERENCE = '$$vscode_array_buffer_reference$$';

/** The typed arrays VS Code carries as bytes (its getTypedArrayType). */
const TYPED_ARRAYS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

/** A message as it crosses: the JSON, and its buffers (base64, so page.evaluate can carry them). */
export interface ChannelPayload { json: string; buffers: string[] }

interface Reference { [REFERENCE]: true; index: number; view?: { type: TypedArrayName; byteLength: number; byteOffset: number } }

/** The message as the host side of the channel writes it. */
export function vscodeSerialize(message: unknown): ChannelPayload {
  const buffers: ArrayBufferLike[] = [];
  const indexOf = (b: ArrayBufferLike) => { const i = buffers.indexOf(b); return i >= 0 ? i : buffers.push(b) - 1; };
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof ArrayBuffer) return { [REFERENCE]: true, index: indexOf(value) } satisfies Reference;
    if (ArrayBuffer.isView(value)) {
      const type = value.constructor.name as TypedArrayName;
      if (TYPED_ARRAYS[type]) return { [REFERENCE]: true, index: indexOf(value.buffer), view: { type, byteLength: value.byteLength, byteOffset: value.byteOffset } } satisfies Reference;
    }
    return value;
  });
  return { json, buffers: buffers.map((b) => Buffer.from(b as ArrayBuffer).toString('base64')) };
}

/** What the webview receives for `payload` (Node's version of DELIVER_IN_PAGE). */
export function vscodeDeserialize(payload: ChannelPayload): unknown {
  const buffers = payload.buffers.map((b64) => { const bytes = Buffer.from(b64, 'base64'); return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength); });
  return JSON.parse(payload.json, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || (value as Reference)[REFERENCE] !== true) return value;
    const { index, view } = value as Reference;
    if (!view) return buffers[index];
    const T = TYPED_ARRAYS[view.type];
    return new T(buffers[index], view.byteOffset, view.byteLength / T.BYTES_PER_ELEMENT);
  });
}

/** A message through the channel, as the webview would see it. */
export const throughVsCodeChannel = (message: unknown): unknown => vscodeDeserialize(vscodeSerialize(message));

/** In the page: rebuild a {@link ChannelPayload} (as vscodeDeserialize does) and post it to the window, as VS Code's preload does. */
export const DELIVER_IN_PAGE = `(payload) => {
  const REFERENCE = ${JSON.stringify(REFERENCE)};
  const buffers = payload.buffers.map((b64) => { const s = atob(b64); const bytes = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i); return bytes.buffer; });
  const message = JSON.parse(payload.json, (_key, value) => {
    if (typeof value !== 'object' || value === null || value[REFERENCE] !== true) return value;
    if (!value.view) return buffers[value.index];
    const T = globalThis[value.view.type];
    return new T(buffers[value.index], value.view.byteOffset, value.view.byteLength / T.BYTES_PER_ELEMENT);
  });
  window.postMessage(message, '*');
}`;
