import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadTargets, parseTargets } from '../../src/targets/targets.js';
import { ROOT } from '../helpers.js';

describe('targets YAML', () => {
  it('loads a valid registry', () => {
    const t = parseTargets('targets:\n  - { id: vm, name: Veselības ministrija, group: ministry, url: "https://www.vm.gov.lv/" }\n');
    expect(t).toEqual([{ id: 'vm', name: 'Veselības ministrija', group: 'ministry', url: 'https://www.vm.gov.lv/' }]);
  });
  it.each([
    ['targets:\n  - id: a\n    name: A\n    group: ministry\n    url: ftp://a.lv/\n', /^t\.yaml:5: targets\[0\]\.url: an absolute http\(s\) URL/],
    ['targets:\n  - id: a\n    name: A\n    group: agency\n    url: https://a.lv/\n', /^t\.yaml:4: targets\[0\]\.group: /],
    ['targets:\n  - id: a\n    group: ministry\n    url: https://a.lv/\n', /^t\.yaml:2: targets\[0\]\.name: /],
    ['targets:\n  - id: a\n    name: A\n    group: ministry\n    url: https://a.lv/\n    colour: red\n', /targets\[0\]: Unrecognized key/],
    ['targets: [\n', /^t\.yaml:\d+: not valid YAML/],
    ['targets:\n  - { id: a, name: A, group: ministry, url: "https://a.lv/" }\n  - { id: a, name: B, group: ministry, url: "https://b.lv/" }\n', /duplicate target id "a"/],
    ['targets:\n  - { id: a, name: A, group: ministry, url: "https://a.lv/" }\n  - { id: b, name: B, group: ministry, url: "https://www.a.lv" }\n', /"b" has the same site as "a"/],
    ['targets:\n  - { id: a, name: A, group: ministry, url: "https://a.lv/" }\n  - { id: b, name: B, group: state-institution, ministry: x, url: "https://b.lv/" }\n', /"b": ministry "x" is not the id of a ministry/],
  ])('refuses %j with line and field', (text, message) => {
    expect(() => parseTargets(text, 't.yaml')).toThrow(message);
  });
  it('the shipped registries are valid: Latvia has its ministries, 42 municipalities (since 1 July 2025) and the named institutions', () => {
    const lv = loadTargets(join(ROOT, 'targets', 'latvia.yaml'));
    const municipalities = lv.filter((t) => t.group === 'municipality');
    expect(municipalities).toHaveLength(42);
    // Varakļānu novads joined Madonas novads; four home pages as a public list had them on 2026-09-11.
    expect(municipalities.some((t) => t.id === 'varaklanu-novads')).toBe(false);
    expect(municipalities.some((t) => t.id === 'madonas-novads')).toBe(true);
    const url = (id: string) => lv.find((t) => t.id === id)!.url;
    expect([url('adazu-novads'), url('bauskas-novads'), url('kuldigas-novads'), url('smiltenes-novads')])
      .toEqual(['https://www.adazunovads.lv/', 'https://www.bauskasnovads.lv/', 'https://kuldigasnovads.lv/', 'https://www.smiltenesnovads.lv/']);
    expect(lv.find((t) => t.id === 'varam')!.name).toBe('Viedās administrācijas un reģionālās attīstības ministrija');
    expect(lv.filter((t) => t.group === 'ministry').length).toBeGreaterThanOrEqual(13);
    const institutions = lv.filter((t) => t.group === 'state-institution');
    expect(institutions.length).toBeGreaterThanOrEqual(40);
    // The nine the 2019 results name among the best, by their official names.
    expect(institutions.map((t) => t.name)).toEqual(expect.arrayContaining([
      'Valsts zemes dienests', 'Valsts valodas centrs', 'Pilsonības un migrācijas lietu pārvalde', 'Centrālā finanšu un līgumu aģentūra',
      'Lauku atbalsta dienests', 'Ceļu satiksmes drošības direkcija', 'Zāļu valsts aģentūra', 'Latvijas antidopinga birojs', 'Centrālā statistikas pārvalde',
    ]));
    expect(institutions.every((t) => t.ministry && lv.some((m) => m.id === t.ministry && m.group === 'ministry'))).toBe(true);
    expect(new Set(lv.map((t) => t.id)).size).toBe(lv.length);
    expect(new Set(lv.map((t) => new URL(t.url).hostname.replace(/^www\./, ''))).size).toBe(lv.length);
    // Nothing here could be checked from the build machine, but for the home pages a public list confirmed.
    expect(lv.filter((t) => t.unconfirmed !== true).map((t) => t.id).sort()).toEqual(['adazu-novads', 'bauskas-novads', 'kuldigas-novads', 'smiltenes-novads']);
    expect(loadTargets(join(ROOT, 'targets', 'demo.yaml')).length).toBeGreaterThan(1);
  });
});
