// The house rules that keep the code easy to change, checked on src/ itself with TypeScript's parser: no
// import circle, no function longer than 80 lines, and HTML escaped in one place only (util/html.ts).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

const SRC = join(ROOT, 'src');
const files = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
})(SRC);
const source = (file: string) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const name = (file: string) => relative(ROOT, file);

describe('the layout of src/', () => {
  it('has no import circle (type-only and lazy imports count: they tie modules as much)', () => {
    const graph = new Map(files.map((f) => {
      const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
      const deps = info.importedFiles.map((i) => i.fileName).filter((s) => s.startsWith('.'))
        .map((s) => resolve(dirname(f), s).replace(/\.js$/, '.ts')).filter((p) => p.startsWith(SRC));
      return [f, deps] as const;
    }));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') return void circles.push([...path.slice(path.indexOf(f)), f].map(name).join(' → '));
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
    expect(graph.size).toBeGreaterThan(50); // the walk found the sources
  });

  it('has no function longer than 80 lines', () => {
    const long: string[] = [];
    for (const f of files) {
      const sf = source(f);
      const visit = (n: ts.Node) => {
        if (ts.isFunctionLike(n) && 'body' in n && n.body) {
          const from = sf.getLineAndCharacterOfPosition(n.getStart()).line;
          const lines = sf.getLineAndCharacterOfPosition(n.end).line - from + 1;
          if (lines > 80) long.push(`${name(f)}:${from + 1} (${lines} lines)`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });

  it('escapes HTML in util/html.ts only: no other module replaces < or & with entities', () => {
    // JUnit's XML (report/junit.ts) is not HTML: it escapes for XML, &apos; included.
    const own = [join('util', 'html.ts'), join('report', 'junit.ts')];
    const escaping = files.filter((f) => !own.some((o) => f.endsWith(o)) && /['"`]&(lt|amp|quot);['"`]/.test(readFileSync(f, 'utf8')));
    expect(escaping.map(name)).toEqual([]);
  });
});
