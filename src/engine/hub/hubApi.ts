/**
 * The one Hub API call the downloader makes: GET {endpoint}/api/models/{repo}/revision/{commit},
 * whose `safetensors.parameters` gives the parameter count per dtype (e.g. Mistral-7B-v0.1:
 * { "BF16": 7241732096 }) without reading any weights. Mirrors and plain file servers often
 * lack the API: any answer but 200 with that JSON gives undefined, and the estimate falls back
 * to the index's total size or the file sizes (downloadEstimate.ts). A cancel still cancels.
 */
import { CancelledError } from '../model/modelError';
import { checkHttpUrl, hubRequest } from './hubHttp';
import type { HubId } from './hubId';
import { phrase } from '../../shared/l10nText';

/** Model info answers list every file; a large repo's is a few hundred KB. More than this is not read. */
const MAX_API_BYTES = 8 << 20;

export interface ApiAccess { endpoint: string; token?: string; signal?: AbortSignal; stallMs: number }

/** `safetensors.parameters` for `id` (a pinned commit), or undefined when the endpoint does not say. */
export async function safetensorsParameters(id: HubId, a: ApiAccess): Promise<Record<string, number> | undefined> {
  const base = checkHttpUrl(a.endpoint, phrase`Hub endpoint`);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/api/models/${id.repo}/revision/${encodeURIComponent(id.revision)}`, base).href;
  try {
    const res = await hubRequest(url, { method: 'GET', token: a.token, tokenOrigin: base.origin, follow: 'relative', signal: a.signal, stallMs: a.stallMs });
    if (res.status !== 200) { res.body.resume(); return undefined; }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_API_BYTES) { res.body.destroy(); return undefined; }
      chunks.push(chunk as Buffer);
    }
    const info = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { safetensors?: { parameters?: unknown } };
    const p = info?.safetensors?.parameters;
    if (typeof p !== 'object' || p === null) return undefined;
    const out: Record<string, number> = {};
    for (const [dtype, n] of Object.entries(p)) if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) out[dtype] = n;
    return Object.keys(out).length ? out : undefined;
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return undefined; // no API here, a bad answer, or the network: the other sources remain
  }
}
