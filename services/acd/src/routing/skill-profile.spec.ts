import { encodeSkills, meetsSkills, skillProfileOf } from './skill-profile';

describe('skillProfileOf', () => {
  it('encodes channel and skills so equal requirements give one profile whatever the key order', () => {
    expect(skillProfileOf('chat', { english: 2, billing: 3 })).toBe('chat|billing=3,english=2');
    expect(skillProfileOf('chat', { billing: 3, english: 2 })).toBe(skillProfileOf('chat', { english: 2, billing: 3 }));
  });

  it('gives a contact without required skills its channel alone', () => {
    expect(skillProfileOf('voice', {})).toBe('voice|');
    expect(encodeSkills({})).toBe('');
  });
});

describe('meetsSkills', () => {
  it('needs every required skill at or above its minimum', () => {
    expect(meetsSkills({ billing: 3, english: 5 }, { billing: 3, english: 2 })).toBe(true);
    expect(meetsSkills({ billing: 2, english: 5 }, { billing: 3 })).toBe(false);
    expect(meetsSkills({ english: 5 }, { billing: 1 })).toBe(false);
    expect(meetsSkills({}, {})).toBe(true);
  });
});
