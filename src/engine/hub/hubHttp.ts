/**
 * One HTTP request to the Hub (or a mirror) with the rules downloads need:
 * - only http: and https: URLs;
 * - redirects followed by hand, at most 5; the token goes to the endpoint's own origin
 *   only, never to another host a redirect leads to (the Hub sends large files to a CDN);
 * - a stall timeout (no bytes for `stallMs`) and an AbortSignal both end the request;
 * - a kept-alive socket the server had closed is retried once on a fresh one.
 * Errors are ModelErrors that name the URL (never the token).
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { phrase, type L10nArg } from '../../shared/l10nText';
import { CancelledError, ModelError, modelError } from '../model/modelError';

/** A network failure (no answer, stalled, cut): worth another try, which resumes where this one stopped. */
export class NetworkError extends ModelError {
  override name = 'NetworkError';
}

export interface HttpOptions {
  method: 'HEAD' | 'GET';
  /** Sent as `Authorization: Bearer …` to `tokenOrigin` only. */
  token?: string;
  tokenOrigin?: string;
  /** Ask for the bytes from this offset on (HTTP Range). */
  from?: number;
  /**
   * Which redirects to follow: 'any' (downloads: the Hub sends large files to a CDN) or
   * 'relative' (metadata, as huggingface_hub does: a renamed repo answers with a relative
   * Location; an absolute one is the CDN, and the headers of that first answer are what count).
   */
  follow: 'any' | 'relative';
  signal?: AbortSignal;
  stallMs: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  url: string;
  /** The body stream (GET); already drained for HEAD and redirects. */
  body: IncomingMessage;
}

const MAX_REDIRECTS = 5;
const USER_AGENT = 'transformer-tracer (+huggingface_hub cache layout)';

export function checkHttpUrl(url: string, what: L10nArg): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw modelError`${what} "${url}" is not a URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw modelError`${what} "${url}" is not an http: or https: URL`;
  return u;
}

function once(url: URL, opts: HttpOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) { reject(new CancelledError()); return; }
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'identity' };
    if (opts.token && url.origin === opts.tokenOrigin) headers.authorization = `Bearer ${opts.token}`;
    if (opts.from) headers.range = `bytes=${opts.from}-`;
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: opts.method, headers });
    const onAbort = () => req.destroy(new CancelledError());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(opts.stallMs, () => req.destroy(new NetworkError(phrase`${url.origin}: no answer for ${opts.stallMs / 1000} s`)));
    req.on('response', (res) => {
      res.on('close', () => opts.signal?.removeEventListener('abort', onAbort));
      resolve(res);
    });
    req.on('error', (e) => {
      opts.signal?.removeEventListener('abort', onAbort);
      // a kept-alive socket the server closed while idle (Node's server after 5 s, the Hub's
      // load balancers too): the request never reached it, so it is sent again on a new socket,
      // as Node's documentation advises (http.ClientRequest reusedSocket)
      if (req.reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET') { once(url, opts).then(resolve, reject); return; }
      if (e instanceof CancelledError || e instanceof ModelError) reject(e);
      else reject(new NetworkError(phrase`cannot reach ${url.origin}: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
    req.end();
  });
}

/** `url` with redirects followed as `opts` allows. */
export async function hubRequest(url: string, opts: HttpOptions): Promise<HttpResponse> {
  let current = checkHttpUrl(url, 'URL');
  for (let hop = 0; ; hop++) {
    const res = await once(current, opts);
    const location = res.headers.location;
    if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
      const next = new URL(location, current);
      const relative = location.startsWith('/') && !location.startsWith('//');
      if (opts.follow === 'relative' && !relative) return { status: res.statusCode, headers: res.headers, url: current.href, body: drain(res) };
      drain(res);
      if (hop >= MAX_REDIRECTS) throw modelError`${url}: more than ${MAX_REDIRECTS} redirects`;
      current = checkHttpUrl(next.href, phrase`${current.origin} redirected to`);
      continue;
    }
    if (opts.method === 'HEAD') drain(res);
    return { status: res.statusCode ?? 0, headers: res.headers, url: current.href, body: res };
  }
}

function drain(res: IncomingMessage): IncomingMessage {
  res.resume();
  return res;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
