// Plain HTTP for robots.txt and sitemaps: no browser needed, bounded in time and size.
import { gunzipSync } from 'node:zlib';
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
export async function fetchText(url: string, o: { userAgent: string; headers?: Record<string, string>; timeoutMs: number; maxBytes: number; proxy?: string; ignoreHttpsErrors?: boolean; accept?: string; signal?: AbortSignal }): Promise<FetchedText> {
  try {
    const dispatcher = dispatcherFor(o.proxy, !!o.ignoreHttpsErrors);
    const res = await (dispatcher ? undiciFetch : fetch)(url, {
      ...(dispatcher ? { dispatcher } : {}),
      headers: { 'user-agent': o.userAgent, accept: o.accept ?? 'text/plain, application/xml, text/xml, */*;q=0.5', ...o.headers },
      redirect: 'follow',
      signal: o.signal ? AbortSignal.any([AbortSignal.timeout(o.timeoutMs), o.signal]) : AbortSignal.timeout(o.timeoutMs),
    });
    const where = { url: res.url || url, ...(res.headers.get('content-type') ? { contentType: res.headers.get('content-type')! } : {}) };
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      return { status: res.status, text: '', ...where };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= o.maxBytes) {
        truncated = true; // a huge sitemap is read only as far as the cap
        break;
      }
    }
    let bytes: Uint8Array = Buffer.concat(chunks);
    if (isGzip(bytes)) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: o.maxBytes * 10 });
      } catch (err) {
        return { status: res.status, text: '', error: `bad gzip: ${errorMessage(err)}`, ...where };
      }
    }
    return { status: res.status, text: Buffer.from(bytes).toString('utf8'), ...(truncated ? { truncated } : {}), ...where };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, text: '', error: cause?.code ?? cause?.message ?? errorMessage(err) };
  }
}
