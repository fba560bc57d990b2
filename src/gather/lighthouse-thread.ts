// Worker-thread entry: runs Lighthouse for the main thread, one audit at a time, so that two threads of
// one process can audit two tabs at once (Lighthouse's global state is per thread).
import { parentPort } from 'node:worker_threads';
import { LighthouseEngine, type EngineOptions } from './lighthouse-engine.js';

const engines = new Map<string, LighthouseEngine>();

export interface ThreadRequest { id: number; debuggingUrl: string; targetId: string; opts: EngineOptions }
export interface ThreadReply { id: number; result?: unknown; error?: string }

parentPort?.on('message', async (msg: ThreadRequest | { close: string }) => {
  if ('close' in msg) {
    await engines.get(msg.close)?.close();
    engines.delete(msg.close);
    return;
  }
  let engine = engines.get(msg.debuggingUrl);
  if (!engine) engines.set(msg.debuggingUrl, (engine = new LighthouseEngine(msg.debuggingUrl)));
  try {
    parentPort!.postMessage({ id: msg.id, result: await engine.audit(msg.targetId, msg.opts) } satisfies ThreadReply);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message.split('\n')[0] : String(err) } satisfies ThreadReply);
  }
});
