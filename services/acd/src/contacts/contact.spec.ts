import { InvalidInput } from '../validation/invalid-input';
import { parseContactRequest } from './contact';

describe('parseContactRequest', () => {
  it('fills defaults for a plain call', () => {
    expect(parseContactRequest({ contactId: 'call-1', queue: 'sales', channel: 'voice' })).toEqual({
      contactId: 'call-1',
      queue: 'sales',
      channel: 'voice',
      priority: 0,
      businessValue: 0,
      requiredSkills: {},
    });
  });

  it('accepts every channel of the unified queue', () => {
    for (const channel of ['voice', 'email', 'chat', 'video', 'fax', 'callback', 'workitem']) {
      expect(parseContactRequest({ contactId: 'c', queue: 'q', channel }).channel).toBe(channel);
    }
  });

  it('names every bad field with its reason', () => {
    let error: unknown;
    try {
      parseContactRequest({ contactId: 'a:b', queue: 'sales', channel: 'fax', priority: 101, requiredSkills: { billing: 0, 'Bad Skill': 3 }, dueAt: -1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInput);
    const fields = (error as InvalidInput).problems.map((problem) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['contactId', 'priority', 'requiredSkills.billing', 'requiredSkills.Bad Skill', 'dueAt']));
    expect((error as InvalidInput).message).toContain('priority: must be at most 100');
  });

  it('refuses more required skills than a profile may hold', () => {
    const requiredSkills = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`s${i}`, 1]));
    expect(() => parseContactRequest({ contactId: 'c', queue: 'q', channel: 'chat', requiredSkills })).toThrow('requiredSkills: must name at most 8 skills');
  });
});
