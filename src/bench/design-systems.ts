// Real government design systems as test sites, built at test time from their npm packages (never
// committed): GOV.UK Frontend pages rendered with its own Nunjucks template and component macros, and
// USWDS's own page templates (Twig) with its CSS and JavaScript. Each is a responsive, WCAG-conscious
// site of the kind a ministry runs: skip link, header, navigation, forms, footer of small links.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
