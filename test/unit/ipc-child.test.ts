// A child process that overruns a request is killed; the next request must get a new process, not be
// handed to the dying one (a check after a hostile page's overrun failed so on the dashboard).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpcChild } from '../../src/util/ipc-child.js';

const script = join(mkdtempSync(join(tmpdir(), 'eindex-ipc-')), 'child.mjs');
writeFileSync(script, `process.on('message', (m) => { if (m.what !== 'hang') process.send({ id: m.id, answer: 'ok ' + process.pid }); });\n`);

describe('IpcChild', () => {
  it('kills a child that overruns, and hands the next request to a new one at once', async () => {
    const child = new IpcChild<{ id: string; what: string }, { id: string; answer: string }>(script, 'test process', true);
    try {
      const ask = (id: string, what: string, ms: number) => child.ask<string>({ id, what }, 'the request', ms, (m, settle) => settle.resolve(m.answer));
      const first = await ask('1', 'ok', 10_000);
      await expect(ask('2', 'hang', 300)).rejects.toThrow(/timed out|the request/);
      const next = await ask('3', 'ok', 10_000);
      expect(next).toMatch(/^ok \d+$/);
      expect(next).not.toBe(first);
    } finally {
      await child.close(2000);
    }
  });
});
