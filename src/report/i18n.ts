// Every label of the compliance reports in Latvian and English, and the locale's number and date formats
// (the 2019 report writes 44,55 %). Grade names come from the grading methodology, not from here.
import { makeupCounts } from '../grading/sample.js';
import type { MobileResult, Sample } from '../schema/result.js';
import type { Group } from '../targets/targets.js';
import { UserError } from '../util/errors.js';

export type Lang = 'en' | 'lv';
export const LANGS: Lang[] = ['en', 'lv'];

export const LABELS = {
  changeShownUnder: { en: 'shown under each share', lv: 'norādītas zem daļām' },
  best2019Where: { en: 'in grey under each dimension', lv: 'pelēkā krāsā zem katras dimensijas' },
  reportTitle: { en: 'Website accessibility and mobile support', lv: 'Tīmekļvietņu piekļūstamība un mobilais atbalsts' },
  run: { en: 'Run', lv: 'Audits' },
  methodology: { en: 'methodology', lv: 'metodoloģija' },
  audited: { en: 'Audited', lv: 'Auditēts' },
  previousRun: { en: 'Compared with run', lv: 'Salīdzinājumā ar auditu' },
  noPreviousRun: { en: 'No earlier run to compare with.', lv: 'Nav iepriekšēja audita, ar ko salīdzināt.' },
  overview: { en: 'Overview by group', lv: 'Kopsavilkums pa grupām' },
  contents: { en: 'Contents', lv: 'Saturs' },
  group: { en: 'Group', lv: 'Grupa' },
  institutions: { en: 'Institutions', lv: 'Iestādes' },
  institution: { en: 'Institution', lv: 'Iestāde' },
  sitesAudited: { en: 'Sites audited', lv: 'Auditētās tīmekļvietnes' },
  notAudited: { en: 'Could not be audited', lv: 'Neizdevās auditēt' },
  sample: { en: 'Sample', lv: 'Izlase' },
  sampleMakeup: { en: 'How the sample was chosen', lv: 'Kā izlase veidota' },
  sampleConfidence: { en: 'What the grade stands on', lv: 'Uz ko balstās vērtējums' },
  sampledAs: { en: 'Why sampled', lv: 'Kāpēc izlasē' },
  bestBelowMedium: { en: 'No site of this group reached medium compliance or better.', lv: 'Neviena šīs grupas vietne nesasniedza vidēju vai augstāku atbilstību.' },
  filter: { en: 'Filter', lv: 'Atlasīt' },
  search: { en: 'Search', lv: 'Meklēt' },
  anyGroup: { en: 'any group', lv: 'jebkura grupa' },
  anyGrade: { en: 'any grade', lv: 'jebkurš vērtējums' },
  anyMobile: { en: 'any mobile verdict', lv: 'jebkurš mobilais vērtējums' },
  sortBy: { en: 'sort by', lv: 'kārtot pēc' },
  shown: { en: 'shown', lv: 'parādītas' },
  compare: { en: 'Compare runs', lv: 'Salīdzināt auditus' },
  compareTitle: { en: 'Run {from} compared with run {to}', lv: 'Audits {from} salīdzinājumā ar auditu {to}' },
  gradeChanged: { en: 'Grades that changed', lv: 'Mainījušies vērtējumi' },
  newRules: { en: 'New problems', lv: 'Jaunas problēmas' },
  fixedRules: { en: 'Fixed problems', lv: 'Novērstas problēmas' },
  noChange: { en: 'none', lv: 'nav' },
  from: { en: 'from run', lv: 'no audita' },
  to: { en: 'to run', lv: 'līdz auditam' },
  notRechecked: { en: 'Not re-checked (the pages where they were found could not be audited this time)', lv: 'Nav pārbaudīts atkārtoti (lapas, kurās tie atrasti, šoreiz neizdevās auditēt)' },
  provisional: { en: 'provisional', lv: 'provizorisks' },
  gradeDistribution: { en: 'Accessibility grades (share of audited sites)', lv: 'Piekļūstamības atbilstība (īpatsvars auditēto tīmekļvietņu vidū)' },
  mobileFriendlyShare: { en: 'Mobile-friendly', lv: 'Draudzīgas mobilām ierīcēm' },
  statementShare: { en: 'With an accessibility statement', lv: 'Ar piekļūstamības paziņojumu' },
  meanScore: { en: 'Mean accessibility score', lv: 'Vidējais piekļūstamības vērtējums' },
  best: { en: 'Best results', lv: 'Labākie rezultāti' },
  change: { en: 'Change since the previous run', lv: 'Izmaiņas kopš iepriekšējā audita' },
  points: { en: 'pp', lv: 'p.p.' },
  grade: { en: 'Grade', lv: 'Atbilstība' },
  accessibilityScore: { en: 'Accessibility score', lv: 'Piekļūstamības vērtējums' },
  mobileScore: { en: 'Mobile score', lv: 'Mobilā atbalsta vērtējums' },
  mobile: { en: 'Mobile support', lv: 'Mobilais atbalsts' },
  mobileYes: { en: 'mobile-friendly', lv: 'draudzīga mobilām ierīcēm' },
  mobileNo: { en: 'not mobile-friendly', lv: 'nav draudzīga mobilām ierīcēm' },
  statement: { en: 'Accessibility statement', lv: 'Piekļūstamības paziņojums' },
  found: { en: 'found', lv: 'atrasts' },
  notFound: { en: 'not found', lv: 'nav atrasts' },
  pages: { en: 'Pages audited', lv: 'Auditētās lapas' },
  pageErrors: { en: 'Pages that could not be audited', lv: 'Lapas, kuras neizdevās auditēt' },
  why: { en: 'Why this grade', lv: 'Kāpēc šāda atbilstība' },
  notGraded: { en: 'Not graded', lv: 'Nav novērtēts' },
  fixFirst: { en: 'What to fix first', lv: 'Ko labot vispirms' },
  fixFirstIntro: {
    en: 'The problems below affect people most (worst impact first, then the most pages). Each names where it was found and how to fix it.',
    lv: 'Tālāk norādītās problēmas visvairāk traucē lietotājiem (vispirms smagākās, tad tās, kas sastopamas visvairāk lapās). Pie katras norādīts, kur tā atrasta un kā to novērst.',
  },
  noViolations: { en: 'axe-core found no violations on the audited pages.', lv: 'axe-core auditētajās lapās pārkāpumus neatrada.' },
  byCriterion: { en: 'Violations by WCAG success criterion and EN 301 549 clause', lv: 'Pārkāpumi pa WCAG kritērijiem un EN 301 549 punktiem' },
  criterion: { en: 'WCAG criterion', lv: 'WCAG kritērijs' },
  clause: { en: 'EN 301 549', lv: 'EN 301 549' },
  notInEn: { en: 'no clause (WCAG 2.2)', lv: 'nav punkta (WCAG 2.2)' },
  notInEnAaa: { en: 'no clause (level AAA)', lv: 'nav punkta (AAA līmenis)' },
  elementsShownUnder: { en: 'Its elements are shown under', lv: 'Tā elementi parādīti pie' },
  bestPractice: { en: 'Best practice (no WCAG criterion)', lv: 'Laba prakse (nav WCAG kritērija)' },
  problem: { en: 'Problem', lv: 'Problēma' },
  impact: { en: 'Impact', lv: 'Ietekme' },
  elements: { en: 'Elements', lv: 'Elementi' },
  where: { en: 'Where', lv: 'Kur' },
  howToFix: { en: 'How to fix', lv: 'Kā labot' },
  moreInfo: { en: 'More (axe-core, English)', lv: 'Vairāk (axe-core, angliski)' },
  screenshot: { en: 'Screenshot of the element', lv: 'Elementa ekrānuzņēmums' },
  isNew: { en: 'new', lv: 'jauns' },
  newSince: { en: 'New since the previous run', lv: 'Jauni kopš iepriekšējā audita' },
  fixedSince: { en: 'Fixed since the previous run', lv: 'Novērsti kopš iepriekšējā audita' },
  none: { en: 'none', lv: 'nav' },
  mobileChecks: { en: 'Mobile checks that failed', lv: 'Neizturētās mobilā atbalsta pārbaudes' },
  url: { en: 'Website', lv: 'Tīmekļvietne' },
  error: { en: 'Error', lv: 'Kļūda' },
  disclaimer: {
    en: 'Automated testing finds only part of the accessibility barriers; a person must review what axe-core marks "needs review".',
    lv: 'Automatizēta pārbaude atrod tikai daļu piekļūstamības šķēršļu; to, ko axe-core atzīmē kā „jāpārbauda”, jāpārbauda cilvēkam.',
  },
  reference2019: { en: 'Website accessibility in 2019 (for comparison)', lv: 'Tīmekļvietņu piekļūstamība 2019. gadā (salīdzinājumam)' },
  eIndex: { en: 'e-index', lv: 'e-indekss' },
  dimensions: { en: 'Dimensions', lv: 'Dimensijas' },
  incomplete: { en: 'incomplete data', lv: 'nepilnīgi dati' },
  headline: { en: 'Overall e-index', lv: 'Kopējais e-indekss' },
  completeData: { en: 'With complete data', lv: 'Ar pilnīgiem datiem' },
  headlineCaption: {
    en: 'Overall e-index by group: the mean e-index of the institutions with complete data (ministries and state institutions together), as a percentage, beside the 2019 edition\'s',
    lv: 'Kopējais e-indekss pa grupām: to iestāžu vidējais e-indekss, par kurām ir pilnīgi dati (ministrijas un valsts iestādes kopā), procentos, blakus 2019. gada izdevuma rādītājam',
  },
  best2019: { en: 'Best results in 2019 (as the 2019 presentation lists them)', lv: 'Labākie rezultāti 2019. gadā (kā tos uzskaita 2019. gada prezentācija)' },
  comparability: {
    en: 'Comparable with 2019: the groups, the four grade names and the share of mobile-friendly sites as a concept. Not comparable one to one: today\'s grades and mobile verdicts come from eindex\'s own automated methodology (axe-core, WCAG 2.2 A/AA, thresholds in METHODOLOGY.md), not from the 2019 evaluators\' method, and the set of institutions differs.',
    lv: 'Ar 2019. gadu salīdzināmas ir grupas, četru atbilstības līmeņu nosaukumi un mobilām ierīcēm draudzīgo tīmekļvietņu īpatsvars kā jēdziens. Tieši nav salīdzināmi: šī gada atbilstības līmeņus un mobilā atbalsta vērtējumus nosaka eindex automatizētā metodoloģija (axe-core, WCAG 2.2 A/AA, sliekšņi METHODOLOGY.md), nevis 2019. gada vērtētāju metode, un iestāžu kopa atšķiras.',
  },
  observed: { en: 'Seen on the website (evidence for the survey, never a value)', lv: 'Redzams tīmekļvietnē (pierādījumi aptaujai, nevis vērtība)' },
  surveyValue: { en: 'survey', lv: 'aptauja' },
  noneSeen: { en: 'none seen', lv: 'nav redzēts' },
  missing: { en: 'Missing values', lv: 'Trūkstošās vērtības' },
  rank: { en: 'Rank', lv: 'Vieta' },
  groupMeans: { en: 'Group means', lv: 'Grupu vidējās vērtības' },
  generated: { en: 'Generated', lv: 'Sagatavots' },
  page: { en: 'Page', lv: 'Lapa' },
  skip: { en: 'Skip to content', lv: 'Pāriet uz saturu' },
  mainNav: { en: 'Main', lv: 'Galvenā' },
  navRuns: { en: 'Nightly runs', lv: 'Nakts auditi' },
  navCheck: { en: 'Check my site', lv: 'Pārbaudīt manu vietni' },
  otherLang: { en: 'Latviski', lv: 'In English' },
  dashboardTitle: { en: 'eindex: accessibility and mobile support of public websites', lv: 'eindex: publisko tīmekļvietņu piekļūstamība un mobilais atbalsts' },
  latestRun: { en: 'Latest run', lv: 'Jaunākais audits' },
  allRuns: { en: 'All runs', lv: 'Visi auditi' },
  noRuns: { en: 'No runs yet. An evaluator starts one with eindex run; meanwhile you can check a site.', lv: 'Auditu vēl nav. Vērtētājs to sāk ar eindex run; tikmēr varat pārbaudīt vietni.' },
  started: { en: 'Started', lv: 'Sākts' },
  status: { en: 'Status', lv: 'Statuss' },
  trend: { en: 'Scores over time', lv: 'Vērtējumi laika gaitā' },
  export: { en: 'Download', lv: 'Lejupielādēt' },
  exportViolations: { en: 'every violation', lv: 'visi pārkāpumi' },
  checkIntro: {
    en: 'Enter your website\'s address. eindex audits up to a few of its pages the way the nightly runs do and shows what to fix. The result gets its own address you can share.',
    lv: 'Ievadiet savas tīmekļvietnes adresi. eindex auditē dažas tās lapas tāpat kā nakts auditos un parāda, kas jālabo. Rezultātam ir sava adrese, ko var nosūtīt citiem.',
  },
  checkUrl: { en: 'Website address', lv: 'Tīmekļvietnes adrese' },
  checkButton: { en: 'Check', lv: 'Pārbaudīt' },
  checkTitle: { en: 'Check', lv: 'Pārbaude' },
  siteReportTitle: { en: 'Accessibility and mobile audit', lv: 'Piekļūstamības un mobilā atbalsta audits' },
  ignoredRules: { en: 'rules ignored by the webmaster, not comparable with an evaluator\'s grade', lv: 'tīmekļvietnes uzturētāja izslēgtie noteikumi; nav salīdzināms ar vērtētāja novērtējumu' },
  pageList: { en: 'Every page audited', lv: 'Visas auditētās lapas' },
  rulesViolated: { en: 'Rules violated', lv: 'Pārkāptie noteikumi' },
  excludedContent: { en: 'Left out of the audit', lv: 'Izslēgts no audita' },
  excludedSelectors: { en: 'content (CSS selectors)', lv: 'saturs (CSS selektori)' },
  excludedUrls: { en: 'URLs never sampled', lv: 'adreses, kas netika atlasītas' },
  queued: { en: 'Waiting in the queue', lv: 'Gaida rindā' },
  running: { en: 'Being audited', lv: 'Notiek audits' },
  done: { en: 'Done', lv: 'Pabeigts' },
  failed: { en: 'Could not be audited', lv: 'Neizdevās auditēt' },
  pagesSoFar: { en: 'pages audited so far', lv: 'lapas auditētas līdz šim' },
  refresh: { en: 'Refresh', lv: 'Atsvaidzināt' },
  shareable: { en: 'Address of this result', lv: 'Šī rezultāta adrese' },
  notFoundPage: { en: 'Not found', lv: 'Nav atrasts' },
  statementTitle: { en: 'Accessibility statement', lv: 'Piekļūstamības paziņojums' },
  statementBody: {
    en: 'This dashboard aims to meet WCAG 2.2 at level AA and EN 301 549. It is audited with eindex itself in its own tests: axe-core finds no violations on its pages, charts have text alternatives and their figures are also in tables, and every page works without JavaScript. Content taken from audited websites (titles, code snippets, screenshots) is shown as evidence and may itself be inaccessible. To report a barrier, open an issue in the eindex project.',
    lv: 'Šī vietne tiecas atbilst WCAG 2.2 AA līmenim un EN 301 549. To auditē ar pašu eindex tā testos: axe-core tās lapās pārkāpumus neatrod, diagrammām ir teksta alternatīvas un to skaitļi ir arī tabulās, un visas lapas darbojas bez JavaScript. No auditētajām vietnēm ņemtais saturs (virsraksti, koda fragmenti, ekrānuzņēmumi) ir rādīts kā pierādījums un pats var nebūt piekļūstams. Par šķērsli ziņojiet eindex projektā.',
  },
  of: { en: 'of', lv: 'no' },
} as const;

export type LabelKey = keyof typeof LABELS;

export const GROUP_LABELS: Record<Group | 'institutions' | 'municipalities', { en: string; lv: string }> = {
  ministry: { en: 'Ministries', lv: 'Ministrijas' },
  'state-institution': { en: 'State institutions', lv: 'Valsts iestādes' },
  municipality: { en: 'Municipalities', lv: 'Pašvaldības' },
  institutions: { en: 'Institutions (ministries and state institutions)', lv: 'Iestādes (ministrijas un valsts iestādes)' },
  municipalities: { en: 'Municipalities', lv: 'Pašvaldības' },
};

export const IMPACT_LABELS = {
  critical: { en: 'critical', lv: 'kritiska' },
  serious: { en: 'serious', lv: 'nopietna' },
  moderate: { en: 'moderate', lv: 'mērena' },
  minor: { en: 'minor', lv: 'neliela' },
} as const;

export const MOBILE_CHECK_LABELS = {
  viewport: { en: 'Viewport set for phones', lv: 'Skatlogs iestatīts tālruņiem' },
  fitsScreen: { en: 'Content fits the screen', lv: 'Saturs ietilpst ekrānā' },
  legibleText: { en: 'Legible text size', lv: 'Salasāms teksta izmērs' },
  tapTargets: { en: 'Tap targets large enough', lv: 'Pietiekami lieli pieskāriena mērķi' },
  noPlugins: { en: 'No plug-ins', lv: 'Nav spraudņu' },
} as const;

/** Every English label that has a Latvian one different from it: what a Latvian surface must not show. */
export const ENGLISH_LABELS: string[] = Object.values(LABELS).filter((l) => l.en !== l.lv).map((l) => l.en);

/** On how many pages a rule fails: "3 pages", "lapās: 3". */
export const onPages = (lang: Lang, n: number): string => (lang === 'lv' ? `lapās: ${n}` : countOf(lang, n, ['page', 'pages'], ['lapā', 'lapās']));

export function t(lang: Lang, key: LabelKey): string {
  return LABELS[key][lang];
}

export function localeOf(lang: Lang): string {
  return lang === 'lv' ? 'lv-LV' : 'en-GB';
}

/** 0.4455 → "44,55 %" (lv) or "44.55%" (en). Null prints as an en dash. */
export function formatPercent(lang: Lang, share: number | null | undefined, digits = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  const n = new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share * 100);
  return lang === 'lv' ? `${n}\u00a0%` : `${n}%`;
}

/** An e-index value (0–100) as the 2019 edition printed it: "44,55 %" in Latvian, "44.55%" in English. */
export function formatIndex(lang: Lang, value: number | null | undefined): string {
  return formatPercent(lang, value === null || value === undefined ? null : value / 100, 2);
}

export function formatNumber(lang: Lang, value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(value);
}

/** A signed difference in percentage points: "+12 pp" / "+12 p.p.". */
export function formatPoints(lang: Lang, delta: number | null | undefined): string {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return '–';
  const n = new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(delta * 100);
  return `${n}\u00a0${t(lang, 'points')}`;
}

export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Riga' }).format(d);
}

const SAMPLE_REASONS_LV: Record<Sample['reasons'][number]['code'], string> = {
  'robots-unavailable': 'robots.txt nebija nolasāms, un RFC 9309 liek to uzskatīt par pilnīgu aizliegumu',
  'robots-disallowed': 'daļu atrasto lapu aizliedz robots.txt',
  'pages-failed': 'dažas lapas neizdevās auditēt',
  deadline: 'beidzās vietnei atvēlētais laiks',
  'too-few-pages': 'vietnē atrasts mazāk lapu',
  'links-unread': 'sākumlapas saites neizdevās nolasīt, tāpēc citas vietnes lapas nav zināmas',
  interrupted: 'audits tika apturēts pirms izlases beigām',
};

/** The one line saying what a grade stands on: English as the result states it, Latvian from its reasons. */
export function sampleLine(lang: Lang, sample: Sample, provisional: boolean): string {
  if (lang === 'en') return sample.statement;
  const counted = `auditētas ${sample.audited} no ${sample.planned} plānotajām lapām`;
  if (sample.census && sample.complete) return `Visu lapu audits pabeigts: auditētas visas atrastās lapas (${sample.audited}).`;
  if (sample.wholeSite) return `Izlase pilnīga: visa vietne (${countOf('lv', sample.audited, ['lapa', 'lapas'], ['lapa', 'lapas'])}).`;
  if (sample.complete) return `Izlase pilnīga: ${counted}.`;
  const why = sample.reasons.map((r) => SAMPLE_REASONS_LV[r.code]).join('; ');
  if (sample.audited === 0) return `Neizdevās auditēt nevienu lapu: ${why}. Bez vērtējuma.`;
  return `Izlase nepilnīga: ${counted}: ${why}.${provisional ? ' Vērtējums ir provizorisks.' : ''}`;
}

/**
 * What eindex says of a failure (a site it could not reach, a page it could not audit), in Latvian: the
 * English sentences the audit writes in the result, each with its translation. What no sentence matches
 * (a server's own words, an address) stays as it is.
 */
const ERRORS_LV: [RegExp, string][] = [
  [/^cannot reach (\S+?):? /, 'nevar sasniegt $1: '],
  [/the host name does not resolve \(is it spelled right\?\)/, 'resursdatora nosaukumu neizdodas atrisināt (vai tas uzrakstīts pareizi?)'],
  [/the server refused the connection \(nothing listens on that port\?\)/, 'serveris atteica savienojumu (vai šajā portā nekas nedarbojas?)'],
  [/the server closed the connection without answering/, 'serveris aizvēra savienojumu, neatbildot'],
  [/the server did not answer in time/, 'serveris neatbildēja laikā'],
  [/the address cannot be reached from here/, 'adrese no šejienes nav sasniedzama'],
  [/the secure \(TLS\) connection failed: does the site serve http rather than https\?/, 'drošais (TLS) savienojums neizdevās: vai vietne darbojas ar http, nevis https?'],
  [/the site's certificate is not valid \(--ignore-https-errors audits it anyway\)/, 'vietnes sertifikāts nav derīgs (ar --ignore-https-errors to tomēr auditē)'],
  [/the browser does not connect to that port \(it is reserved for another protocol\)/, 'pārlūks nesavienojas ar šo portu (tas paredzēts citam protokolam)'],
  [/the page could not be loaded/, 'lapu neizdevās ielādēt'],
  [/the page did not load in time/, 'lapa neielādējās laikā'],
  [/the page navigated away while being audited/, 'audita laikā lapa pārgāja uz citu adresi'],
  [/the page redirects in a loop \(by script or meta refresh\)/, 'lapa pāradresē pa apli (ar skriptu vai meta refresh)'],
  [/the page redirects in a loop/, 'lapa pāradresē pa apli'],
  [/the browser tab crashed or was closed/, 'pārlūka cilne avarēja vai tika aizvērta'],
  [/not a web page \(the browser did not display it\)/, 'nav tīmekļa lapa (pārlūks to neattēloja)'],
  [/not a web page/, 'nav tīmekļa lapa'],
  [/refused by the egress guard/, 'aizliedza izejošo savienojumu sargs'],
  [/^refused: (\S+) resolves to an internal address/, 'atteikts: $1 atrisinās uz iekšēju adresi'],
  [/^page (\S+) did not finish within (\d+) s/, 'lapa $1 netika pabeigta $2 s laikā'],
  [/the page could not be audited/, 'lapu neizdevās auditēt'],
];

/** A failure as eindex wrote it (English), in the report's language. */
export function failureText(lang: Lang, text: string): string {
  return lang === 'lv' ? ERRORS_LV.reduce((s, [en, lv]) => s.replace(en, lv), text) : text;
}

/** A run's state as a person reads it (the dashboard's table of runs). */
export const RUN_STATUS_LABELS: Record<string, { en: string; lv: string }> = {
  running: { en: 'running', lv: 'notiek' }, done: { en: 'done', lv: 'pabeigts' }, interrupted: { en: 'interrupted', lv: 'pārtraukts' },
};

/** Why a page is in the sample, as a person says it. */
export const SAMPLE_PAGE_REASONS: Record<string, { en: string; lv: string }> = {
  home: { en: 'home page', lv: 'sākumlapa' },
  start: { en: 'start page', lv: 'sākumlapa' },
  given: { en: 'given', lv: 'norādīta' },
  statement: { en: 'accessibility statement', lv: 'piekļūstamības paziņojums' },
  contact: { en: 'contact', lv: 'kontakti' },
  privacy: { en: 'privacy', lv: 'privātums' },
  cookies: { en: 'cookies', lv: 'sīkdatnes' },
  legal: { en: 'legal notice', lv: 'juridiskā informācija' },
  sitemap: { en: 'site map', lv: 'vietnes karte' },
  help: { en: 'help', lv: 'palīdzība' },
  search: { en: 'search', lv: 'meklēšana' },
  login: { en: 'login', lv: 'pieslēgšanās' },
  language: { en: 'language version', lv: 'valodas versija' },
  form: { en: 'form', lv: 'veidlapa' },
  table: { en: 'data table', lv: 'datu tabula' },
  media: { en: 'media', lv: 'multivide' },
  template: { en: 'template', lv: 'veidne' },
  random: { en: 'random', lv: 'nejauša izvēle' },
  census: { en: 'every page', lv: 'visas lapas' },
  link: { en: 'linked', lv: 'saite' },
  sitemapPage: { en: 'sitemap', lv: 'vietnes karte' },
};

export const reasonLabel = (lang: Lang, reason: string) => SAMPLE_PAGE_REASONS[reason]?.[lang] ?? reason;

/** How the sample was made, in one line: "home page, contact, 3 × template, 1 × random; …; seed 42". */
export function makeupLine(lang: Lang, sample: Sample): string | null {
  if (!sample.pages || sample.seed === undefined) return null;
  const { reasons, sampledTemplates: sampled } = makeupCounts(sample.pages);
  const parts = reasons.map(([r, n]) => (n === 1 ? reasonLabel(lang, r) : `${n} × ${reasonLabel(lang, r)}`)).join(', ');
  return lang === 'lv'
    ? `${parts}; ${sampled} no ${sample.templates ?? 0} veidnēm starp ${sample.explored ?? 0} izpētītajām lapām; nejaušās daļas sēkla ${sample.seed}`
    : `${parts}; ${sampled} of ${sample.templates ?? 0} templates among ${sample.explored ?? 0} pages explored; seed of the random part ${sample.seed}`;
}

const pct = (lang: Lang, share: number) => `${formatNumber(lang, share * 100, 1)} %`;

/**
 * What the grade stands on, in numbers (methodology 2026.4): pages audited among those explored, the
 * templates with a page audited, and how likely a failure on 1 % or 5 % of the pages was missed.
 */
export function confidenceLine(lang: Lang, sample: Sample): string | null {
  const c = sample.confidence;
  if (!c) return null;
  const lv = lang === 'lv';
  const all = c.exploredAll ? (lv ? 'nolasītas visas saistītās lapas' : 'every page linked was read') : (lv ? 'izpēte apstājās pie sava limita' : 'exploring stopped at its limit');
  const head = sample.census
    ? (lv ? `Visu lapu audits: auditētas ${c.audited} no ${c.explored} atrastajām lapām (${all}).` : `Census: ${c.audited} of the ${c.explored} pages found audited (${all}).`)
    : (lv ? `Auditētas ${c.audited} no ${c.explored} izpētītajām lapām (${all}); ${c.templatesAudited} no ${c.templates} veidnēm ir auditēta lapa (${pct(lang, c.pagesCovered)} izpētīto lapu).`
      : `${c.audited} pages audited of ${c.explored} explored (${all}); ${c.templatesAudited} of ${c.templates} templates have a page audited (${pct(lang, c.pagesCovered)} of the pages explored).`);
  const [first, ...rest] = c.missChance;
  if (!first || c.audited >= c.explored) return head;
  const more = rest.map((m) => `${lv ? 'ja' : 'on'} ${pct(lang, m.share)}: ${pct(lang, m.chance)}`).join('; ');
  return `${head} ${lv
    ? `Kļūdu, kas ir ${pct(lang, first.share)} lapu un nav saistīta ar veidni, šī izlase nepamana ar ${pct(lang, first.chance)} varbūtību${more ? `; ${more}` : ''}.`
    : `A failure on ${pct(lang, first.share)} of the pages that comes with their content, not a template, is missed with a ${pct(lang, first.chance)} chance${more ? `; ${more}` : ''}.`}`;
}

/**
 * "3 elements" in English; in Latvian a number ending in 1 (but not 11) takes the singular: 1 elements,
 * 21 elements, 2 elementi, 11 elementi.
 */
export function countOf(lang: Lang, n: number, en: [string, string], lv: [string, string]): string {
  if (lang === 'en') return `${n} ${n === 1 ? en[0] : en[1]}`;
  return `${n} ${n % 10 === 1 && n % 100 !== 11 ? lv[0] : lv[1]}`;
}

export const OBSERVED_LABELS = {
  social: { en: 'Social network profiles', lv: 'Sociālo tīklu profili' },
  openData: { en: 'Open data', lv: 'Atvērtie dati' },
  participation: { en: 'Public participation', lv: 'Sabiedrības līdzdalība' },
  eServices: { en: 'E-services', lv: 'E-pakalpojumi' },
} as const;

/** A --lang value: en or lv (default en). */
export function langOption(value: string | undefined): Lang {
  const l = (value ?? 'en').toLowerCase();
  if (!LANGS.includes(l as Lang)) throw new UserError(`--lang must be en or lv, got ${JSON.stringify(value)}`);
  return l as Lang;
}

/**
 * A mobile check's detail in the report's language, from the check's own figures (the result keeps
 * eindex's English detail; a Latvian surface must not show it).
 */
export function mobileDetail(lang: Lang, check: 'viewport' | 'fitsScreen' | 'legibleText' | 'tapTargets' | 'noPlugins', m: MobileResult, minLegibleFontPx = 12): string {
  if (lang === 'en') return m[check].detail;
  const n = (x: number) => formatNumber('lv', x, 0);
  switch (check) {
    case 'viewport': {
      const v = m.viewport;
      if (v.content === null) return 'nav viewport meta taga: tālruņi lapu izkārto 980 px platu un samazina';
      if (!v.pass) return `viewport tags nenosaka ne platumu, ne sākuma mērogu 1 vai vairāk ("${v.content}")`;
      return v.zoomDisabled ? 'viewport iestatīts tālruņiem, bet tas atspējo vai ierobežo tālummaiņu (piekļūstamības kļūda)' : 'viewport iestatīts tālruņiem, tālummaiņa atļauta';
    }
    case 'fitsScreen': {
      const f = m.fitsScreen;
      return f.pass ? `saturs ietilpst ${n(f.deviceWidth)} px` : `saturs ir ${n(f.contentWidth)} px plats ${n(f.deviceWidth)} px ekrānā: jāritina horizontāli`;
    }
    case 'legibleText': {
      const l = m.legibleText;
      if (!l.pass && !m.viewport.pass) return 'lapa tiek rādīta samazināta (nav viewport tālruņiem): tās teksts ir par sīku, lai lasītu';
      return `${n(Math.round(l.smallTextShare * 100))} % redzamā teksta ir mazāks par ${n(minLegibleFontPx)} px`;
    }
    case 'tapTargets': {
      const t = m.tapTargets;
      return t.tooSmall === 0 ? `${countOf('lv', t.total, ['', ''], ['skārienmērķis', 'skārienmērķi'])}, neviens nav par mazu un pārblīvēts`
        : `${n(t.tooSmall)} no ${n(t.total)} skārienmērķiem ir mazāki par 24 px un pārblīvēti (WCAG 2.5.8)`;
    }
    case 'noPlugins':
      return m.noPlugins.count ? `${countOf('lv', m.noPlugins.count, ['', ''], ['spraudņa elements', 'spraudņu elementi'])} (Flash, Java, Silverlight)` : 'nav spraudņu';
  }
}

/**
 * The refusals and limits a person meets on the check form, in Latvian: every message the egress rules
 * (vetCheckUrl) and the check service's limits say in English. An unknown message stays as it is.
 */
const REFUSALS_LV: [RegExp, string][] = [
  [/^give the address of a website, e\.g\. (.+)$/, 'Ierakstiet tīmekļvietnes adresi, piemēram, $1'],
  [/^the address is too long$/, 'Adrese ir par garu'],
  [/^not a web address$/, 'Tā nav tīmekļa adrese'],
  [/^only http and https addresses can be checked, not (.+)$/, 'Pārbaudīt var tikai http un https adreses, ne $1'],
  [/^addresses with a user name or password cannot be checked$/, 'Adreses ar lietotājvārdu vai paroli pārbaudīt nevar'],
  [/^port (\d+) is not allowed$/, 'Ports $1 nav atļauts (pārbauda portus 80, 443, 8080 un 8443)'],
  [/^(.+) does not resolve$/, '$1 nav atrodams (DNS to nezina)'],
  [/^(.+) resolves to an internal address$/, '$1 norāda uz iekšēju adresi, ko pārbaudīt nedrīkst'],
  [/^at most (\d+) checks an hour from one address; try again later$/, 'No vienas adreses stundā var veikt ne vairāk kā $1 pārbaudes; mēģiniet vēlāk'],
  [/^at most (\d+) checks at once from one address; wait for one to finish$/, 'No vienas adreses vienlaikus var veikt ne vairāk kā $1 pārbaudes; pagaidiet, līdz kāda beidzas'],
  [/^too many checks are waiting; try again in a few minutes$/, 'Rindā gaida pārāk daudz pārbaužu; mēģiniet pēc dažām minūtēm'],
];

export function refusalText(lang: Lang, message: string): string {
  if (lang === 'en') return message;
  for (const [re, lv] of REFUSALS_LV) if (re.test(message)) return message.replace(re, lv);
  return message;
}
