// The e-index: survey parsing (every mistake one line with its place) and the computation.
import { describe, expect, it } from 'vitest';
import { computeIndex, type IndexInstitutionInput } from '../../src/index/compute.js';
import { DEFAULT_INDEX_METHODOLOGY as M, parseIndexMethodology } from '../../src/index/methodology.js';
import { parseSurvey, surveyTemplateRows } from '../../src/index/survey.js';
import { CSV_LOCALES, toCsv } from '../../src/report/csv.js';
import { UserError } from '../../src/util/errors.js';

const SURVEYED = M.dimensions.flatMap((d) => d.criteria).filter((c) => c.source === 'survey').map((c) => c.id);
const csv = (rows: Record<string, string | number>[], sep = ',') => [['id', ...SURVEYED].join(sep), ...rows.map((r) => ['id', ...SURVEYED].map((k) => r[k] ?? '').join(sep))].join('\n');
const full = (id: string, v: number) => ({ id, ...Object.fromEntries(SURVEYED.map((k) => [k, v])) });
const inst = (id: string, group: IndexInstitutionInput['group'], a: number | null, m: number | null): IndexInstitutionInput =>
  ({ id, name: id.toUpperCase(), group, measured: a === null && m === null ? null : { accessibilityScore: a, mobileScore: m } });

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('survey CSV', () => {
  it('reads comma or semicolon files, decimal commas, and keeps empty cells as missing', () => {
    const s = parseSurvey(`\uFEFF${csv([{ ...full('km', 50), 'service.efficiency': '"44,5"' }, { id: 'fm', 'service.usability': 10 }], ';').replace('"44,5"', '44,5')}`, M, 's.csv');
    expect(s.rows.get('km')!['service.efficiency']).toBe(44.5);
    expect(s.rows.get('fm')!['service.efficiency']).toBeNull();
    expect(s.rows.get('fm')!['service.usability']).toBe(10);
  });

  it('every mistake names the file, line and column', () => {
    expect(thrown(() => parseSurvey('name,service.efficiency\nx,1', M, 's.csv'))).toMatch(/^s\.csv:1: no "id" column/);
    expect(thrown(() => parseSurvey('id,service.efficency\nx,1', M, 's.csv'))).toMatch(/^s\.csv:1: column 2: unknown sub-criterion "service.efficency"/);
    expect(thrown(() => parseSurvey('id,communication.accessibility\nx,1', M, 's.csv'))).toMatch(/measured by eindex/);
    expect(thrown(() => parseSurvey('id,service.efficiency\nx,1\ny,120', M, 's.csv'))).toMatch(/^s\.csv:3: column 2 \(service\.efficiency\), institution y: "120" is not a number from 0 to 100/);
    expect(thrown(() => parseSurvey('id,service.efficiency\nx,abc', M, 's.csv'))).toMatch(/^s\.csv:2: .*"abc"/);
    expect(thrown(() => parseSurvey('id,service.efficiency\nx,1\nx,2', M, 's.csv'))).toMatch(/^s\.csv:3: institution "x" appears twice/);
    expect(thrown(() => parseSurvey('id,service.efficiency\nx,1,2', M, 's.csv'))).toMatch(/^s\.csv:2: 3 fields, the header has 2/);
    expect(thrown(() => parseSurvey('id,service.efficiency\n"x,1', M, 's.csv'))).toMatch(/never closed/);
    expect(thrown(() => parseSurvey('', M, 's.csv'))).toMatch(/empty/);
  });

  it('the survey template: every institution a row, every surveyed sub-criterion a column, a Latvian legend; filled in, it reads back', () => {
    const targets = [{ id: 'km', name: 'Kultūras ministrija', group: 'ministry' }, { id: 'csp', name: 'Centrālā statistikas pārvalde', group: 'state-institution' }];
    const rows = surveyTemplateRows(targets, M, { ministry: 'Ministrijas', 'state-institution': 'Valsts iestādes' });
    const surveyed = M.dimensions.flatMap((d) => d.criteria).filter((c) => c.source === 'survey');
    expect(rows[0]).toEqual(['id', 'name', 'group', ...surveyed.map((c) => c.id)]);
    expect(rows[1]!.slice(0, 4)).toEqual(['# lv', 'Iestāde', 'Grupa', 'Pakalpojumu nodrošināšana: Efektivitāte']);
    expect(rows.slice(2).map((r) => r.slice(0, 3))).toEqual([['km', 'Kultūras ministrija', 'Ministrijas'], ['csp', 'Centrālā statistikas pārvalde', 'Valsts iestādes']]);
    const text = toCsv(rows, CSV_LOCALES.lv);
    expect(text.startsWith('\uFEFF')).toBe(true);
    // Filled as an evaluator would in a spreadsheet: decimal commas, one value left empty.
    // Every text cell is quoted (no cell can become a formula): a spreadsheet writes the values unquoted.
    const filled = text.replace('"km";"Kultūras ministrija";"Ministrijas";', '"km";"Kultūras ministrija";"Ministrijas";72,5').replace('"csp";"Centrālā statistikas pārvalde";"Valsts iestādes";', '"csp";"Centrālā statistikas pārvalde";"Valsts iestādes";abc');
    expect(thrown(() => parseSurvey(filled, M, 'forma.csv'))).toBe('forma.csv:4: column 4 (service.efficiency), institution csp: "abc" is not a number from 0 to 100 (leave the cell empty when the value is missing)');
    const survey = parseSurvey(filled.replace(';abc', ';'), M, 'forma.csv');
    expect([...survey.rows.keys()]).toEqual(['km', 'csp']);
    expect(survey.rows.get('km')!['service.efficiency']).toBe(72.5);
    expect(survey.rows.get('csp')!['service.efficiency']).toBeNull();
    expect(survey.columns).toEqual(surveyed.map((c) => c.id));
  });

  it('a methodology file with a mistake is refused with where it is', () => {
    expect(thrown(() => parseIndexMethodology({ ...M, dimensions: [{ ...M.dimensions[0]!, weight: -1 }] }, 'm.json'))).toMatch(/^m\.json: dimensions\[0\]\.weight:/);
  });
});

describe('e-index', () => {
  const survey = parseSurvey(csv([full('km', 60), full('fm', 80), full('csdd', 70), { ...full('liepaja', 40), 'opendata.ease': '' }, full('aluksne', 90)]), M);
  const x = computeIndex({
    institutions: [inst('km', 'ministry', 90, 100), inst('fm', 'ministry', 50, 50), inst('vm', 'ministry', 70, 70), inst('csdd', 'state-institution', 100, 100),
      inst('liepaja', 'municipality', 80, 80), inst('aluksne', 'municipality', null, null)],
    survey, surveyFile: 's.csv', run: { id: 1, startedAt: 'x' },
  }, M);
  const get = (id: string) => x.institutions.find((i) => i.id === id)!;

  it('a dimension is the mean of its sub-criteria, the e-index the mean of the dimensions', () => {
    // km: four dimensions all 60; communication = (60+60+60+90+100)/5 = 74 → (60·4 + 74)/5 = 62.8
    expect(get('km').dimensions.communication!.value).toBe(74);
    expect(get('km').eIndex).toBe(62.8);
    expect(get('km').complete).toBe(true);
    // fm: (80·4 + (80·3 + 50 + 50)/5) / 5 = (320 + 68) / 5 = 77.6
    expect(get('fm').eIndex).toBe(77.6);
  });

  it('a missing value is never a 0: the index is null, the institution incomplete and unranked', () => {
    const liepaja = get('liepaja');
    expect(liepaja).toMatchObject({ eIndex: null, complete: false, missing: ['opendata.ease'], rank: null });
    expect(liepaja.dimensions.opendata).toMatchObject({ value: null, partial: 40, missing: ['opendata.ease'] });
    expect(liepaja.partialEIndex).toBe(43.2); // (40·4 + (40·3+80+80)/5)/5 = (160 + 56)/5
    expect(get('vm')).toMatchObject({ complete: false, eIndex: null }); // not in the survey
    expect(get('vm').missing).toHaveLength(SURVEYED.length);
    expect(get('aluksne').missing).toEqual(['communication.accessibility', 'communication.mobile']); // site not audited
  });

  it('rankings, group means (institutions vs municipalities) and the three best per dimension', () => {
    expect(x.rankings.ministry.map((r) => [r.rank, r.id])).toEqual([[1, 'fm'], [2, 'km']]);
    const inst = x.groupMeans.find((g) => g.group === 'institutions')!;
    expect(inst).toMatchObject({ institutions: 4, complete: 3 });
    const csdd = (70 * 4 + (70 * 3 + 200) / 5) / 5;
    expect(inst.eIndex).toBeCloseTo((62.8 + 77.6 + csdd) / 3, 2);
    expect(x.groupMeans.find((g) => g.group === 'municipalities')).toMatchObject({ institutions: 2, complete: 0, eIndex: null });
    expect(x.best.ministry.communication!.map((r) => r.id)).toEqual(['km', 'fm']); // 74 vs 68
    expect(x.survey.unknownIds).toEqual([]);
  });

  it('weights come from the methodology file', () => {
    const weighted = parseIndexMethodology({ ...M, dimensions: M.dimensions.map((d) => ({ ...d, weight: d.id === 'communication' ? 3 : 1 })) });
    const y = computeIndex({ institutions: [inst('km', 'ministry', 90, 100)], survey, surveyFile: 's', run: null }, weighted);
    expect(y.institutions[0]!.eIndex).toBe(Math.round(((60 * 4 + 74 * 3) / 7) * 100) / 100);
  });
});
