/**
 * Numbers JSON cannot carry, kept across VS Code's host → webview channel. The channel
 * writes a message as JSON and carries typed arrays and ArrayBuffers beside it as bytes
 * (extHostWebviewMessaging.ts), so in a plain value −∞, +∞ and NaN arrive as null and −0
 * as 0: a causal model's masked keys in a step trace (mask, masked, shifted), a logit of a
 * banned token, a log-probability of 0. The host encodes every message once, before
 * postMessage (panelSession.ts), and the webview decodes it once, on receipt (main.ts), so
 * no message type has to remember which of its fields may hold such a number.
 *
 * Encoding: each such number becomes `{ "$nonFinite": "-Infinity" }` (or `"Infinity"`,
 * `"NaN"`, `"-0"`); an object of that one key is never a protocol value otherwise. Typed
 * arrays and ArrayBuffers are left alone (their bytes cross exactly), and so are strings.
 * Both directions copy only the arrays and objects on the way to a changed number: a
 * message without one comes back as the same object, untouched (the cost is one walk).
 *
 *   encodeNonFinite({ mask: [0, -Infinity] })  → { mask: [0, { $nonFinite: '-Infinity' }] }
 *   decodeNonFinite(that, after JSON)          → { mask: [0, -Infinity] }
 */

/** The key that marks an encoded number. */
export const NON_FINITE_KEY = '$nonFinite';

type Spelling = 'NaN' | 'Infinity' | '-Infinity' | '-0';
const NUMBER_OF = new Map<unknown, number>([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['-0', -0]]);

/** Whether JSON would change `v` (a non-finite number, or −0 which it writes as 0). */
const jsonLoses = (v: number) => !Number.isFinite(v) || (v === 0 && 1 / v < 0);
const spell = (v: number): Spelling => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : '-0');

/** Bytes cross the channel as they are: nothing to look at inside. */
const isBytes = (v: object) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;

/**
 * `v` with each leaf that `swap` changes replaced, copying only the arrays and objects on
 * the way to a change (`v` itself when nothing changed). `swap` sees every value first.
 */
function rewrite(v: unknown, swap: (v: unknown) => unknown): unknown {
  if (typeof v === 'object' && v !== null && isBytes(v)) return v; // first: swap must not list a typed array's keys (one per element)
  const swapped = swap(v);
  if (swapped !== v) return swapped; // (NaN !== NaN: a NaN goes back as NaN, which is right too)
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const e = v[i] as unknown;
      // plain finite numbers are most of every array: skip the call for them
      const r = typeof e === 'number' && !jsonLoses(e) ? e : rewrite(e, swap);
      if (r !== e) (out ??= v.slice())[i] = r;
    }
    return out ?? v;
  }
  let out: Record<string, unknown> | undefined;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const r = rewrite(o[k], swap);
    if (r !== o[k]) (out ??= { ...o })[k] = r;
  }
  return out ?? v;
}

const encodeLeaf = (v: unknown) => (typeof v === 'number' && jsonLoses(v) ? { [NON_FINITE_KEY]: spell(v) } : v);

function decodeLeaf(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || !(NON_FINITE_KEY in v)) return v;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== NON_FINITE_KEY) return v;
  const n = NUMBER_OF.get((v as Record<string, unknown>)[NON_FINITE_KEY]);
  return n === undefined ? v : n;
}

/** The message as the host posts it: every number JSON would lose, spelled out (see above). */
export function encodeNonFinite<T>(message: T): T {
  return rewrite(message, encodeLeaf) as T;
}

/** The message as the host made it, from what the channel delivered (the inverse of encodeNonFinite). */
export function decodeNonFinite(data: unknown): unknown {
  return rewrite(data, decodeLeaf);
}
