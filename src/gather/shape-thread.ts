// The thread that reads explored pages' HTML (ShapeThread starts it): one page at a time, off the event
// loop that renews a worker's job lock and answers the dashboard.
import { parentPort } from 'node:worker_threads';
import { readPageShape, type PageShape } from '../crawl/page-shape.js';
import { errorMessage } from '../util/errors.js';

export interface ShapeRequest { id: number; html: string; url: string }
/** `ready`: the thread has loaded its code (its first message); then one reply per request. */
export type ShapeReply = { ready: true } | { id: number; shape: PageShape } | { id: number; error: string };

parentPort?.on('message', (req: ShapeRequest) => {
  let reply: ShapeReply;
  try {
    reply = { id: req.id, shape: readPageShape(req.html, req.url) };
  } catch (err) {
    reply = { id: req.id, error: errorMessage(err) };
  }
  parentPort!.postMessage(reply);
});
parentPort?.postMessage({ ready: true } satisfies ShapeReply);
