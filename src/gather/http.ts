// Plain HTTP for robots.txt and sitemaps: no browser needed, bounded in time and size.
import { createGunzip } from 'node:zlib';
import { errorMessage } from '../util/errors.js';
import { isGzip } from '../crawl/sitemap.js';
import { Agent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from 'undici';

export interface FetchedText {
  status: number; // 0: no answer (network error, timeout)
  text: string;
  error?: string;
  /** The body was longer than maxBytes and was read only that far. */
  truncated?: boolean;
  /** Where the answer came from, after redirects. */
  url?: string;
  contentType?: string;
}

const agents = new Map<string, Dispatcher>();

/** The dispatcher for these options, or none for Node's own fetch (direct, certificates checked). */
function dispatcherFor(proxy: string | undefined, insecure: boolean): Dispatcher | undefined {
  if (!proxy && !insecure) return undefined;
  const key = `${proxy ?? ''}|${insecure}`;
  let d = agents.get(key);
  if (!d) {
    const tls = { rejectUnauthorized: !insecure };
    d = proxy ? new ProxyAgent({ uri: proxy, requestTls: tls }) : new Agent({ connect: tls });
    agents.set(key, d);
  }
  return d;
}

/**
 * `proxy`: fetch through it (a self-service check's egress guard), never directly. `ignoreHttpsErrors`:
 * accept invalid certificates, as the browser does for the pages with --ignore-https-errors.
 */
export interface FetchOptions {
  userAgent: string; headers?: Record<string, string>; timeoutMs: number; maxBytes: number; proxy?: string; ignoreHttpsErrors?: boolean; accept?: string; signal?: AbortSignal;
  /** Which URLs get `headers` (the host the operator named): each redirect hop is asked again. Without it, every URL. */
  headersFor?: (url: string) => boolean;
}

/** Redirects followed at most (fetch's own limit). */
const MAX_REDIRECTS = 20;

/**
 * Redirects are followed here, hop by hop, so that the configured headers (a staging site's token) go
 * only to the URLs `headersFor` accepts: fetch's own following would send them on to wherever a 302 points.
 */
async function fetchFollowing(url: string, o: FetchOptions, signal: AbortSignal): Promise<{ res: Response; url: string }> {
  const dispatcher = dispatcherFor(o.proxy, !!o.ignoreHttpsErrors);
  let at = url;
  for (let hop = 0; ; hop++) {
    const headers = { 'user-agent': o.userAgent, accept: o.accept ?? 'text/plain, application/xml, text/xml, */*;q=0.5', ...(!o.headersFor || o.headersFor(at) ? o.headers : {}) };
    const res = (await (dispatcher ? undiciFetch : fetch)(at, { ...(dispatcher ? { dispatcher } : {}), headers, redirect: 'manual', signal })) as Response;
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!location) return { res, url: at };
    await res.body?.cancel().catch(() => {});
    if (hop >= MAX_REDIRECTS) throw new Error('redirect count exceeded');
    const next = new URL(location, at);
    if (!/^https?:$/.test(next.protocol)) throw new Error(`redirect to ${next.protocol}`);
    at = next.href;
  }
}

export async function fetchText(url: string, o: FetchOptions): Promise<FetchedText> {
  try {
    const signal = o.signal ? AbortSignal.any([AbortSignal.timeout(o.timeoutMs), o.signal]) : AbortSignal.timeout(o.timeoutMs);
    const { res, url: landed } = await fetchFollowing(url, o, signal);
    const where = { url: landed, ...(res.headers.get('content-type') ? { contentType: res.headers.get('content-type')! } : {}) };
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      return { status: res.status, text: '', ...where };
    }
    const body = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const first = await body.next();
    const head = first.done ? new Uint8Array() : first.value;
    // A gzip body (a .xml.gz sitemap) is inflated as it arrives, bounded by what it inflates to: a small
    // file that inflates a thousandfold (a "zip bomb") stops at the cap, not at gigabytes.
    const read = isGzip(head) ? await inflateBounded(head, body, o.maxBytes) : await readBounded(head, first.done ?? false, body, o.maxBytes);
    if ('error' in read) return { status: res.status, text: '', error: read.error, ...where };
    return { status: res.status, text: read.bytes.toString('utf8'), ...(read.truncated ? { truncated: true } : {}), ...(read.note ? { error: read.note } : {}), ...where };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, text: '', error: cause?.code ?? cause?.message ?? errorMessage(err) };
  }
}

/** Inflated bytes beyond this many per compressed byte mean a hostile file, not a sitemap (text compresses ~10:1). */
export const MAX_INFLATE_RATIO = 100;

type Read = { bytes: Buffer; truncated: boolean; note?: string } | { error: string };

async function readBounded(head: Uint8Array, done: boolean, body: AsyncIterator<Uint8Array>, maxBytes: number): Promise<Read> {
  const chunks: Uint8Array[] = [head];
  let size = head.length;
  let truncated = false;
  while (!done && size < maxBytes) {
    const next = await body.next();
    if (next.done) break;
    chunks.push(next.value);
    size += next.value.length;
  }
  if (size >= maxBytes) truncated = true; // a huge sitemap is read only as far as the cap
  await body.return?.();
  const bytes = Buffer.concat(chunks);
  return { bytes: bytes.subarray(0, maxBytes), truncated };
}

async function inflateBounded(head: Uint8Array, body: AsyncIterator<Uint8Array>, maxBytes: number): Promise<Read> {
  const gunzip = createGunzip();
  const out: Buffer[] = [];
  let inflated = 0;
  let compressed = 0;
  let stop: 'cap' | 'ratio' | null = null;
  let failure: string | null = null;
  const finished = new Promise<void>((resolve) => {
    gunzip.on('data', (d: Buffer) => {
      if (stop) return;
      out.push(d);
      inflated += d.length;
      if (inflated >= maxBytes) stop = 'cap';
      else if (inflated > 1024 * 1024 && inflated > compressed * MAX_INFLATE_RATIO) stop = 'ratio';
      if (stop) gunzip.destroy();
    });
    gunzip.on('error', (err) => {
      if (!stop) failure = errorMessage(err);
      resolve();
    });
    gunzip.on('close', resolve);
    gunzip.on('end', resolve);
  });
  const feed = async (chunk: Uint8Array) => {
    compressed += chunk.length;
    if (!gunzip.write(chunk)) await new Promise<void>((r) => {
      gunzip.once('drain', r);
      gunzip.once('close', r);
    });
  };
  await feed(head);
  while (!stop && !failure && compressed < maxBytes) {
    const next = await body.next();
    if (next.done) break;
    await feed(next.value);
  }
  await body.return?.();
  if (!stop && !failure) gunzip.end();
  await finished;
  if (failure && !out.length) return { error: `bad gzip: ${failure}` };
  const bytes = Buffer.concat(out).subarray(0, maxBytes);
  if (stop === 'ratio') return { bytes: Buffer.alloc(0), truncated: true, note: `inflates more than ${MAX_INFLATE_RATIO} times its size: not read` };
  return { bytes, truncated: stop === 'cap' || compressed >= maxBytes };
}
