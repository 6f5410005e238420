import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeProblem, parseFlow } from './flow-document';

const demo = readFileSync(join(__dirname, '..', '..', 'flows', 'demo.yaml'), 'utf8');

function problemsOf(text: string): string[] {
  const parsed = parseFlow('hotline.yaml', text);
  return parsed.ok ? [] : parsed.problems.map(describeProblem);
}

describe('flow files', () => {
  it('reads the demo flow with its defaults filled in', () => {
    const parsed = parseFlow('demo.yaml', demo);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.flow.numbers).toEqual(['100', '4008001234']);
    expect(parsed.flow.steps.account).toMatchObject({ type: 'collect', terminator: '#', retries: 2 });
    expect(parsed.flow.steps.billing_queue).toMatchObject({ type: 'queue', queue: 'service', skills: { billing: 3 }, priority: 5 });
  });

  it('names file, line and reason for an unknown step type', () => {
    const text = demo.replace('    type: hang_up\n    play: [sound:goodbye]', '    type: hangup\n    play: [sound:goodbye]');
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^hotline\.yaml:7\d:\d+ steps\.goodbye\.type: unknown step type; use one of prompt, menu,/)]);
  });

  it('refuses a branch to nowhere, pointing at the branch', () => {
    const text = demo.replace('options: { "1": account, "9": main_menu }', 'options: { "1": account, "9": main_manu }');
    const problems = problemsOf(text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('main_manu')) + 1;
    const column = (lines[line - 1] ?? '').indexOf('main_manu') + 1;
    expect(problems).toEqual([`hotline.yaml:${line}:${column} steps.service_menu.options.9: goes to step "main_manu", which this flow does not have`]);
  });

  it('refuses a regular expression that does not compile and a wrong type, all at once', () => {
    const text = demo.replace('pattern: "^[0-9]+$"', 'pattern: "^[0-9+$"').replace('priority: 5\n', 'priority: high\n');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/steps\.billing_queue\.priority: Invalid input: expected number, received string/);
    const typesFixed = text.replace('priority: high\n', 'priority: 5\n');
    expect(problemsOf(typesFixed)).toEqual([expect.stringMatching(/^hotline\.yaml:\d+:\d+ steps\.account\.pattern: is not a valid regular expression/)]);
  });

  it('names unknown keys, duplicate keys and broken YAML', () => {
    expect(problemsOf(demo.replace('    retries: 2\n', '    retries: 2\n    retrys: 3\n'))).toEqual([
      expect.stringMatching(/^hotline\.yaml:\d+:5 steps\.main_menu: unknown key "retrys"$/),
    ]);
    expect(problemsOf(demo.replace('  vip_queue:\n', '  sales_queue:\n'))[0]).toMatch(/^hotline\.yaml:\d+:\d+ Map keys must be unique/);
    expect(problemsOf('tenant: [unclosed\n')[0]).toMatch(/^hotline\.yaml:\d+:\d+ /);
  });

  it('refuses a calendar that does not exist and a time zone that does not exist', () => {
    const text = demo.replace('calendar: office', 'calendar: offce').replace('timezone: Asia/Shanghai', 'timezone: Asia/Shanghia');
    const problems = problemsOf(text);
    expect(problems).toEqual([expect.stringMatching(/calendars\.office\.timezone: must be an IANA time zone/)]);
    expect(problemsOf(demo.replace('calendar: office', 'calendar: offce'))).toEqual([
      expect.stringMatching(/steps\.hours\.calendar: names calendar "offce", which this flow does not define$/),
    ]);
  });
});
