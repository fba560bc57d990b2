// Real government design systems as test sites, built at test time from their npm packages (never
// committed): GOV.UK Frontend and NHS.UK frontend pages rendered with their own Nunjucks templates and
// component macros, USWDS's own page templates (Twig) and the ONS Design System's own full-page examples
// (Nunjucks), each with its CSS (and JavaScript where the package ships it built). Each is a responsive,
// WCAG-conscious site of the kind a ministry runs: skip link, header, navigation, forms, footer of small
// links.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { PROJECT_ROOT as ROOT } from '../version.js';

const require = createRequire(import.meta.url);
/** A package's folder (USWDS exports no package.json subpath, so it is found from the project root). */
const pkgDir = (name: string) => join(ROOT, 'node_modules', name);

export const GOVUK_PAGES: { path: string; title: string; content: string }[] = [
  {
    path: 'index.html',
    title: 'Apply for a fishing licence',
    content: `<h1 class="govuk-heading-xl">Apply for a fishing licence</h1>
      <p class="govuk-body-l">Use this service to apply for a rod fishing licence for rivers and lakes.</p>
      {{ govukInsetText({ text: "It takes around 10 minutes to apply." }) }}
      <h2 class="govuk-heading-m">Before you start</h2>
      <ul class="govuk-list govuk-list--bullet"><li>your date of birth</li><li>a payment card</li></ul>
      <p class="govuk-body">Read the <a class="govuk-link" href="/guidance.html">guidance on fishing seasons</a> before you apply.</p>
      {{ govukButton({ text: "Start now", href: "/apply.html", isStartButton: true }) }}
      {{ govukDetails({ summaryText: "If you cannot apply online", text: "Call the helpline on 0300 123 4567, Monday to Friday, 8am to 6pm." }) }}`,
  },
  {
    path: 'apply.html',
    title: 'Your details',
    content: `{{ govukErrorSummary({ titleText: "There is a problem", errorList: [{ text: "Enter your full name", href: "#full-name" }] }) }}
      <form action="/apply.html" method="post" novalidate>
      {{ govukInput({ label: { text: "Full name", classes: "govuk-label--m", isPageHeading: true }, id: "full-name", name: "fullName", autocomplete: "name", errorMessage: { text: "Enter your full name" } }) }}
      {{ govukDateInput({ id: "dob", namePrefix: "dob", fieldset: { legend: { text: "Date of birth", classes: "govuk-fieldset__legend--m" } }, hint: { text: "For example, 27 3 1985" },
         items: [{ name: "day", classes: "govuk-input--width-2" }, { name: "month", classes: "govuk-input--width-2" }, { name: "year", classes: "govuk-input--width-4" }] }) }}
      {{ govukRadios({ name: "licence", fieldset: { legend: { text: "Which licence do you need?", classes: "govuk-fieldset__legend--m" } },
         items: [{ value: "1-day", text: "1 day" }, { value: "8-day", text: "8 days" }, { value: "12-month", text: "12 months" }] }) }}
      {{ govukCheckboxes({ name: "waters", fieldset: { legend: { text: "Where will you fish?", classes: "govuk-fieldset__legend--m" } },
         items: [{ value: "rivers", text: "Rivers" }, { value: "lakes", text: "Lakes" }, { value: "canals", text: "Canals" }] }) }}
      {{ govukSelect({ id: "region", name: "region", label: { text: "Region" }, items: [{ value: "north", text: "North" }, { value: "south", text: "South" }] }) }}
      {{ govukTextarea({ name: "notes", id: "notes", label: { text: "Anything else we should know?" } }) }}
      {{ govukButton({ text: "Continue" }) }}
      </form>`,
  },
  {
    path: 'guidance.html',
    title: 'Fishing seasons',
    content: `<h1 class="govuk-heading-xl">Fishing seasons</h1>
      {{ govukWarningText({ text: "You can be fined up to 2,500 pounds if you fish without a licence.", iconFallbackText: "Warning" }) }}
      {{ govukTable({ caption: "Close seasons", captionClasses: "govuk-table__caption--m", firstCellIsHeader: true,
         head: [{ text: "Water" }, { text: "Closed from" }, { text: "Closed until" }],
         rows: [[{ text: "Rivers" }, { text: "15 March" }, { text: "15 June" }], [{ text: "Canals" }, { text: "15 March" }, { text: "15 June" }]] }) }}
      {{ govukAccordion({ id: "faq", items: [{ heading: { text: "Coarse fish" }, content: { text: "Coarse fish are all freshwater fish other than salmon and trout." } },
         { heading: { text: "Trout" }, content: { text: "The brown trout season runs from March to September." } }] }) }}
      {{ govukPagination({ previous: { href: "/index.html", labelText: "Apply for a fishing licence" }, next: { href: "/accessibility.html", labelText: "Accessibility statement" } }) }}`,
  },
  {
    path: 'accessibility.html',
    title: 'Accessibility statement',
    content: `<h1 class="govuk-heading-xl">Accessibility statement for Apply for a fishing licence</h1>
      <p class="govuk-body">This service is run by the Fisheries Agency. We want as many people as possible to be able to use it.</p>
      {{ govukSummaryList({ rows: [{ key: { text: "Standard" }, value: { text: "WCAG 2.2 AA" } }, { key: { text: "Last reviewed" }, value: { text: "1 October 2026" } }] }) }}
      <h2 class="govuk-heading-m">Reporting accessibility problems</h2>
      <p class="govuk-body">Email <a class="govuk-link" href="mailto:access@example.gov">access@example.gov</a>.</p>`,
  },
];

const GOVUK_LAYOUT = `{% extends "govuk/template.njk" %}
{% from "govuk/components/accordion/macro.njk" import govukAccordion %}
{% from "govuk/components/breadcrumbs/macro.njk" import govukBreadcrumbs %}
{% from "govuk/components/button/macro.njk" import govukButton %}
{% from "govuk/components/checkboxes/macro.njk" import govukCheckboxes %}
{% from "govuk/components/date-input/macro.njk" import govukDateInput %}
{% from "govuk/components/details/macro.njk" import govukDetails %}
{% from "govuk/components/error-summary/macro.njk" import govukErrorSummary %}
{% from "govuk/components/footer/macro.njk" import govukFooter %}
{% from "govuk/components/header/macro.njk" import govukHeader %}
{% from "govuk/components/input/macro.njk" import govukInput %}
{% from "govuk/components/inset-text/macro.njk" import govukInsetText %}
{% from "govuk/components/pagination/macro.njk" import govukPagination %}
{% from "govuk/components/phase-banner/macro.njk" import govukPhaseBanner %}
{% from "govuk/components/radios/macro.njk" import govukRadios %}
{% from "govuk/components/select/macro.njk" import govukSelect %}
{% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}
{% from "govuk/components/summary-list/macro.njk" import govukSummaryList %}
{% from "govuk/components/table/macro.njk" import govukTable %}
{% from "govuk/components/textarea/macro.njk" import govukTextarea %}
{% from "govuk/components/warning-text/macro.njk" import govukWarningText %}
{% block pageTitle %}{{ title }} – Apply for a fishing licence – GOV.UK{% endblock %}
{% block head %}<link rel="stylesheet" href="/govuk-frontend.min.css">{% endblock %}
{% block header %}
  {{ govukHeader({}) }}
  {{ govukServiceNavigation({ serviceName: "Apply for a fishing licence", serviceUrl: "/index.html",
     navigation: [{ href: "/index.html", text: "Apply" }, { href: "/guidance.html", text: "Guidance" }, { href: "/accessibility.html", text: "Accessibility" }] }) }}
{% endblock %}
{% block beforeContent %}
  {{ govukPhaseBanner({ tag: { text: "Beta" }, html: 'This is a new service. Help us improve it and <a class="govuk-link" href="/guidance.html">give your feedback</a>.' }) }}
  {{ govukBreadcrumbs({ items: [{ text: "Home", href: "/index.html" }, { text: "Fishing", href: "/guidance.html" }] }) }}
{% endblock %}
{% block content %}<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">{{ content }}</div></div>{% endblock %}
{% block footer %}
  {{ govukFooter({ meta: { items: [
    { href: "/guidance.html", text: "Help" }, { href: "/guidance.html#cookies", text: "Cookies" },
    { href: "/guidance.html#contact", text: "Contact" }, { href: "/accessibility.html", text: "Accessibility statement" },
    { href: "/guidance.html#terms", text: "Terms and conditions" }, { href: "/guidance.html#privacy", text: "Privacy notice" }] } }) }}
{% endblock %}
{% block bodyEnd %}<script type="module">import { initAll } from '/govuk-frontend.min.js'; initAll()</script>{% endblock %}`;

/** A GOV.UK Frontend site of four pages (start, form, guidance, accessibility statement) in a new folder. */
export function buildGovukSite(): string {
  const dist = join(pkgDir('govuk-frontend'), 'dist');
  const out = mkdtempSync(join(tmpdir(), 'eindex-govuk-'));
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([dist]), { autoescape: true });
  for (const page of GOVUK_PAGES) {
    // Each page's content is itself a template of component calls, rendered inside the layout.
    const layout = GOVUK_LAYOUT.replace('{{ content }}', page.content);
    writeFileSync(join(out, page.path), env.renderString(layout, { title: page.title }));
  }
  cpSync(join(dist, 'govuk', 'assets'), join(out, 'assets'), { recursive: true });
  cpSync(join(dist, 'govuk', 'govuk-frontend.min.css'), join(out, 'govuk-frontend.min.css'));
  cpSync(join(dist, 'govuk', 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'));
  return out;
}

/** USWDS's own full-page templates, rendered by Twig as USWDS's build renders them. */
export const USWDS_PAGES = ['usa-landing', 'usa-documentation/usa-docs', 'usa-sign-in/usa-sign-in', 'usa-create-account/usa-create-account', 'usa-error/usa-error'];

export function buildUswdsSite(): string {
  const Twig = require('twig') as { cache(on: boolean): void; twig(o: object): { render(data: object): string } };
  const pkg = pkgDir('@uswds/uswds');
  const packages = join(pkg, 'packages');
  const out = mkdtempSync(join(tmpdir(), 'eindex-uswds-'));
  Twig.cache(false);
  for (const name of USWDS_PAGES) {
    const file = name.includes('/') ? name : `${name}/${name}`;
    let data: object = {};
    try {
      data = require(join(packages, 'templates', `${file}.json`));
    } catch { /* a template without sample data */ }
    const body = Twig.twig({ path: join(packages, 'templates', `${file}.twig`), async: false, namespaces: { templates: `${packages}/templates/`, components: `${packages}/` } }).render(data);
    const title = name.split('/')[0]!.replace(/^usa-/, '').replace(/-/g, ' ');
    const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | Example Agency</title>
<link rel="stylesheet" href="/css/uswds.min.css">
<script src="/js/uswds-init.min.js"></script>
</head>
${body}
<script src="/js/uswds.min.js"></script>
</html>`;
    const dir = join(out, name.split('/')[0]!);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), html.replaceAll('"./img/', '"/img/').replaceAll("'./img/", "'/img/"));
  }
  for (const asset of ['css', 'js', 'img', 'fonts']) cpSync(join(pkg, 'dist', asset), join(out, asset), { recursive: true });
  return out;
}

/** NHS.UK frontend: a site of four pages (start, form, health guidance, accessibility statement). */
export const NHS_PAGES: { path: string; title: string; content: string }[] = [
  {
    path: 'index.html',
    title: 'Find a pharmacy',
    content: `<h1>Find a pharmacy</h1>
      <p class="nhsuk-lede-text">Use this service to find a pharmacy near you, including late night pharmacies.</p>
      {{ insetText({ html: "<p>If you need help now, call 111.</p>" }) }}
      {{ actionLink({ text: "Find a pharmacy", href: "/apply.html" }) }}
      {{ card({ heading: "Urgent help", headingLevel: 2, description: "Go to A&E or call 999 if it is an emergency.", href: "/guidance.html", clickable: true }) }}
      {{ details({ summaryText: "If you cannot search online", text: "Call 111 and ask for a pharmacy near you." }) }}`,
  },
  {
    path: 'apply.html',
    title: 'Register with a GP surgery',
    content: `{{ errorSummary({ titleText: "There is a problem", errorList: [{ text: "Enter your full name", href: "#full-name" }] }) }}
      <form action="/apply.html" method="post" novalidate>
      {{ input({ label: { text: "Full name", size: "l", isPageHeading: true }, id: "full-name", name: "fullName", autocomplete: "name", errorMessage: { text: "Enter your full name" } }) }}
      {{ dateInput({ id: "dob", namePrefix: "dob", fieldset: { legend: { text: "Date of birth", size: "m" } }, hint: { text: "For example, 15 3 1984" },
         items: [{ name: "day", classes: "nhsuk-input--width-2" }, { name: "month", classes: "nhsuk-input--width-2" }, { name: "year", classes: "nhsuk-input--width-4" }] }) }}
      {{ radios({ name: "contact", fieldset: { legend: { text: "How should we contact you?", size: "m" } }, items: [{ value: "email", text: "Email" }, { value: "phone", text: "Phone" }, { value: "post", text: "Post" }] }) }}
      {{ checkboxes({ name: "needs", fieldset: { legend: { text: "Do you need any of these?", size: "m" } }, items: [{ value: "bsl", text: "A British Sign Language interpreter" }, { value: "access", text: "Wheelchair access" }] }) }}
      {{ select({ id: "region", name: "region", label: { text: "Region" }, items: [{ value: "north", text: "North" }, { value: "south", text: "South" }] }) }}
      {{ textarea({ name: "more", id: "more", label: { text: "Anything else we should know?" } }) }}
      {{ button({ text: "Continue" }) }}
      </form>`,
  },
  {
    path: 'guidance.html',
    title: 'Chickenpox',
    content: `<h1>Chickenpox</h1>
      {{ contentsList({ items: [{ href: "/guidance.html", text: "Overview", current: true }, { href: "/index.html", text: "Treatment" }] }) }}
      {{ warningCallout({ heading: "Important", html: "<p>Call 111 if your baby is under 4 weeks old and has chickenpox.</p>" }) }}
      {{ table({ caption: "Symptoms by day", firstCellIsHeader: true, head: [{ text: "Day" }, { text: "Symptom" }], rows: [[{ text: "1" }, { text: "Spots appear" }], [{ text: "3" }, { text: "Blisters" }]] }) }}
      {{ tabs({ items: [{ label: "Children", id: "children", panel: { html: "<p>Most children recover in a week.</p>" } }, { label: "Adults", id: "adults", panel: { html: "<p>Adults can be more unwell.</p>" } }] }) }}
      {{ summaryList({ rows: [{ key: { text: "Infectious" }, value: { text: "Until all spots crust" } }, { key: { text: "Incubation" }, value: { text: "1 to 3 weeks" } }] }) }}
      {{ pagination({ previous: { href: "/index.html", labelText: "Find a pharmacy" }, next: { href: "/accessibility.html", labelText: "Accessibility statement" } }) }}`,
  },
  {
    path: 'accessibility.html',
    title: 'Accessibility statement',
    content: `<h1>Accessibility statement for Find a pharmacy</h1>
      <p>This service is run by NHS England. We want as many people as possible to be able to use it.</p>
      <h2>Reporting accessibility problems</h2><p>Email <a href="mailto:access@example.org">access@example.org</a>.</p>
      {{ backLink({ href: "/index.html", text: "Back to the start" }) }}`,
  },
];

/** The NHS.UK frontend macros the pages use: component folder, macro name. */
const NHS_MACROS: [string, string][] = [['action-link', 'actionLink'], ['back-link', 'backLink'], ['button', 'button'], ['card', 'card'],
  ['checkboxes', 'checkboxes'], ['contents-list', 'contentsList'], ['date-input', 'dateInput'], ['details', 'details'],
  ['error-summary', 'errorSummary'], ['footer', 'footer'], ['header', 'header'], ['input', 'input'], ['inset-text', 'insetText'],
  ['pagination', 'pagination'], ['radios', 'radios'], ['select', 'select'], ['summary-list', 'summaryList'], ['tables', 'table'],
  ['tabs', 'tabs'], ['textarea', 'textarea'], ['warning-callout', 'warningCallout']];

const NHS_LAYOUT = `{% extends "nhsuk/template.njk" %}
${NHS_MACROS.map(([dir, name]) => `{% from "nhsuk/components/${dir}/macro.njk" import ${name} %}`).join('\n')}
{% block pageTitle %}{{ title }} – NHS{% endblock %}
{% block head %}<link rel="stylesheet" href="/nhsuk-frontend.min.css">{% endblock %}
{% block header %}{{ header({ service: { text: "Find a pharmacy", href: "/index.html" }, search: { action: "/search", name: "q" },
  navigation: { items: [{ href: "/guidance.html", text: "Health A to Z" }, { href: "/apply.html", text: "Register" }, { href: "/accessibility.html", text: "Accessibility" }] } }) }}{% endblock %}
{% block content %}<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">{{ content }}</div></div>{% endblock %}
{% block footer %}{{ footer({ navigation: [{ items: [{ href: "/accessibility.html", text: "Accessibility statement" }, { href: "/guidance.html#contact", text: "Contact us" },
  { href: "/guidance.html#cookies", text: "Cookies" }, { href: "/guidance.html#privacy", text: "Privacy policy" }, { href: "/guidance.html#terms", text: "Terms and conditions" }] }] }) }}{% endblock %}
{% block bodyEnd %}<script type="module">import { initAll } from '/nhsuk-frontend.min.js'; initAll()</script>{% endblock %}`;

export function buildNhsSite(): string {
  const dist = join(pkgDir('nhsuk-frontend'), 'dist');
  const out = mkdtempSync(join(tmpdir(), 'eindex-nhsuk-'));
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([dist]), { autoescape: true });
  for (const page of NHS_PAGES) writeFileSync(join(out, page.path), env.renderString(NHS_LAYOUT.replace('{{ content }}', page.content), { title: page.title }));
  cpSync(join(dist, 'nhsuk', 'assets'), join(out, 'assets'), { recursive: true });
  for (const file of ['nhsuk-frontend.min.css', 'nhsuk-frontend.min.js']) cpSync(join(dist, 'nhsuk', file), join(out, file));
  return out;
}

/**
 * The ONS Design System's own full-page examples (every example that extends its page template:
 * questions, heroes in five colours, access codes, relationships, a sticky table of contents), rendered by
 * Nunjucks as its build renders them. The package ships its CSS built but not its JavaScript, so the
 * pages run without it (as ONS pages do when the script fails to load).
 */
export function buildOnsSite(): { dir: string; pages: string[] } {
  const pkg = pkgDir('@ons/design-system');
  const out = mkdtempSync(join(tmpdir(), 'eindex-ons-'));
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([pkg]), { autoescape: true });
  const pages: string[] = [];
  for (const component of readdirSync(join(pkg, 'components')).sort()) {
    for (const file of readdirSync(join(pkg, 'components', component)).filter((f) => /^example-.*\.njk$/.test(f)).sort()) {
      const path = `components/${component}/${file}`;
      if (!readFileSync(join(pkg, path), 'utf8').includes('{% extends "layout/_template.njk" %}')) continue;
      const name = file.replace(/^example-/, '').replace(/\.njk$/, '.html');
      writeFileSync(join(out, name), env.render(path, { pageConfig: { title: name.replace(/\.html$/, '').replace(/-/g, ' ') } }));
      pages.push(name);
    }
  }
  for (const asset of ['css', 'favicons', 'img']) cpSync(join(pkg, asset), join(out, asset), { recursive: true });
  return { dir: out, pages };
}
