import { InvalidInput } from '../validation/invalid-input';
import { pathOfField, readConfigurationYaml, tenantConfigurationSchema } from './tenant-configuration';

function problemsOf(text: string) {
  try {
    readConfigurationYaml(tenantConfigurationSchema, text, 'configuration');
  } catch (error) {
    if (error instanceof InvalidInput) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration documents', () => {
  it('names the line and column of every field that breaks its rule', () => {
    const text = ['queues:', '  - queue: support', '    offerTimeoutMs: 700000', 'agents:', '  - agentId: lin', '    site: sz', '    capacity: { voice: 1 }', '    queues: [support]', '    skills: { network: 9 }', ''].join('\n');
    expect(problemsOf(text)).toEqual([
      { field: 'queues[0].offerTimeoutMs', reason: 'must be at most 600000', line: 3, column: 21 },
      { field: 'agents[0].skills.network', reason: 'must be at most 5', line: 9, column: 24 },
    ]);
  });

  it('places a missing field at the item that lacks it, and a YAML syntax error where the parser stopped', () => {
    expect(problemsOf('agents:\n  - agentId: lin\n    capacity: { voice: 1 }\n    queues: [a]\n')).toEqual([expect.objectContaining({ field: 'agents[0].site', line: 2, column: 5 })]);
    expect(problemsOf('skills:\n  - name: a\n  - name: [b\n')).toEqual([expect.objectContaining({ field: '(yaml)', line: expect.any(Number) })]);
    expect(problemsOf('skills:\n  - name: a\n  - name: [b\n')[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('reads a field path back as the parts the YAML library walks', () => {
    expect(pathOfField('agents[12].skills.billing')).toEqual(['agents', 12, 'skills', 'billing']);
  });
});
