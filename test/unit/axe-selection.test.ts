// The rule selection behind the one shared axe run: ours must be axe-core's own decision, and Lighthouse's
// configuration must be read from the installed Lighthouse, or not at all.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lighthouseAxeConfig, parseLighthouseAxeConfig, selectsRule } from '../../src/gather/axe-selection.js';
import { TARGET_SIZE_RULE } from '../../src/gather/axe.js';
import { defaultAuditOptions } from '../../src/audit/options.js';

const require = createRequire(import.meta.url);
interface AxeRule { id: string; tags: string[] }
const axe = require('axe-core') as { _audit: { rules: AxeRule[]; tagExclude: string[] }; utils: { ruleShouldRun(rule: AxeRule, context: object, options: object): boolean } };
const GATHERER = readFileSync(require.resolve('lighthouse/core/gather/gatherers/accessibility.js'), 'utf8');

describe('axe-core rule selection', () => {
  const selections = {
    eindex: { tags: defaultAuditOptions().axeTags, rules: { [TARGET_SIZE_RULE]: true } },
    lighthouse: lighthouseAxeConfig()!,
    experimental: { tags: ['wcag2a', 'experimental'], rules: { 'color-contrast': false } },
    bestPractice: { tags: ['best-practice'], rules: {} },
  };
  for (const [name, sel] of Object.entries(selections)) {
    it(`${name}: the same rules as axe-core's own ruleShouldRun, rule by rule`, () => {
      const options = { runOnly: { type: 'tag', values: sel.tags }, rules: Object.fromEntries(Object.entries(sel.rules).map(([id, enabled]) => [id, { enabled }])) };
      const ours = axe._audit.rules.filter((r) => selectsRule({ ruleId: r.id, tags: r.tags }, sel, axe._audit.tagExclude)).map((r) => r.id);
      const theirs = axe._audit.rules.filter((r) => axe.utils.ruleShouldRun(r, { page: true }, options)).map((r) => r.id);
      expect(ours).toEqual(theirs);
      expect(ours.length).toBeGreaterThan(10);
    });
  }
});

describe("Lighthouse's axe-core configuration", () => {
  it('is read from the installed gatherer: its tags and every rule it switches', () => {
    const config = parseLighthouseAxeConfig(GATHERER)!;
    const body = /async function runA11yChecks[\s\S]*?\n}\n/.exec(GATHERER)![0];
    expect(Object.keys(config.rules).length).toBe(body.match(/\{enabled: (true|false)\}/g)!.length);
    expect(Object.values(config.rules)).toContain(false);
    expect(config.tags.every((t) => body.includes(`'${t}'`))).toBe(true);
  });

  it('is not guessed when the source reads differently: Lighthouse then runs axe-core itself', () => {
    expect(parseLighthouseAxeConfig(GATHERER.replace("'heading-order': {enabled: true}", "'heading-order': {enabled: !legacy}"))).toBeNull();
    expect(parseLighthouseAxeConfig(GATHERER.replace('runOnly', 'runOnlyTags'))).toBeNull();
    expect(parseLighthouseAxeConfig('export default class Accessibility {}')).toBeNull();
  });
});
