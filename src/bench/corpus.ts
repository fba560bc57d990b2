// The benchmark's generated corpus: several small sites of ordinary public-sector pages, each page a
// different mix of the things audits look at (images with and without text, forms, tables, contrast,
// navigation, long text), deterministic so that runs can be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

const WORDS = 'pašvaldība iedzīvotāji pakalpojums iesniegums dome sēde lēmums budžets izglītība kultūra sports sociālais atbalsts ceļi būvniecība vide projekts konkurss vakance paziņojums'.split(' ');

function sentence(r: () => number, n = 12) {
  const w = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
  return `${w.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
}

export function generateSite(dir: string, site: number, pages: number): string[] {
  mkdirSync(dir, { recursive: true });
  const r = rng(site * 7919 + 1);
  const paths: string[] = [];
  const responsive = site % 2 === 0;
  for (let p = 0; p < pages; p++) {
    const name = p === 0 ? 'index.html' : `lapa-${p}.html`;
    paths.push(p === 0 ? '' : name);
    const nav = Array.from({ length: pages }, (_, i) => `<li><a href="${i === 0 ? '/' : `/lapa-${i}.html`}">${i === 0 ? 'Sākums' : `Sadaļa ${i}`}</a></li>`).join('');
    const parts: string[] = [`<h1>Vietne ${site}, lapa ${p}</h1>`];
    for (let k = 0; k < 6 + Math.floor(r() * 10); k++) {
      const kind = Math.floor(r() * 6);
      if (kind === 0) parts.push(`<p>${sentence(r, 20 + Math.floor(r() * 40))}</p>`);
      else if (kind === 1) parts.push(r() < 0.5 ? `<img src="/img${k}.png" alt="${sentence(r, 3)}" width="200" height="100">` : `<img src="/img${k}.png" width="200" height="100">`);
      else if (kind === 2) parts.push(`<form><label for="f${k}">${sentence(r, 2)}</label><input id="f${k}" name="f${k}">${r() < 0.4 ? `<input name="x${k}">` : ''}<button type="submit">Sūtīt</button></form>`);
      else if (kind === 3) parts.push(`<table><caption>${sentence(r, 3)}</caption><tr><th scope="col">Gads</th><th scope="col">Summa</th></tr>${Array.from({ length: 5 }, (_, i) => `<tr><td>${2020 + i}</td><td>${Math.floor(r() * 1e5)}</td></tr>`).join('')}</table>`);
      else if (kind === 4) parts.push(`<p style="color:${r() < 0.5 ? '#999' : '#333'}">${sentence(r, 15)}</p>`);
      else parts.push(`<ul>${Array.from({ length: 8 }, () => `<li><a href="${pages > 1 ? `/lapa-${1 + Math.floor(r() * (pages - 1))}.html` : '/'}">${sentence(r, 4)}</a></li>`).join('')}</ul>`);
    }
    const width = responsive ? 'max-width:60rem' : 'width:960px';
    writeFileSync(join(dir, name), `<!doctype html>
<html lang="lv"><head><meta charset="utf-8">${responsive || site % 3 ? '<meta name="viewport" content="width=device-width, initial-scale=1">' : ''}
<title>Vietne ${site} — lapa ${p}</title>
<style>body{font:${responsive ? 16 : 11}px/1.5 sans-serif;margin:0 auto;${width}}nav a{padding:${responsive ? 12 : 1}px;display:inline-block}img{max-width:100%}</style></head>
<body><header><nav aria-label="Galvenā"><ul>${nav}</ul></nav></header><main>${parts.join('\n')}</main>
<footer>${site % 2 && pages > 1 ? '<a href="/pieklustamiba.html">Piekļūstamības paziņojums</a>' : ''}</footer></body></html>
`);
  }
  return paths;
}
