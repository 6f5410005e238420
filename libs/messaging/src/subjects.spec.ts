import { deadLetterSubjectOf, eventFilterOf, parseSubject, streamNameOf, subjectOf } from './subjects';

describe('subjects', () => {
  it('spells namespace, tenant, domain, kind and name as five tokens', () => {
    expect(subjectOf('lianluo', 'acme', 'call', 'event', 'answered')).toBe('lianluo.acme.call.event.answered');
    expect(parseSubject('lianluo.acme.call.command.answer')).toEqual({
      namespace: 'lianluo',
      tenant: 'acme',
      domain: 'call',
      kind: 'command',
      name: 'answer',
    });
  });

  it('refuses a tenant that would break the subject', () => {
    expect(() => subjectOf('lianluo', 'ac.me', 'call', 'event', 'answered')).toThrow(/tenant "ac.me"/);
    expect(() => subjectOf('lianluo', '', 'call', 'event', 'answered')).toThrow(/tenant ""/);
    expect(() => subjectOf('lianluo', 'a*', 'call', 'event', 'answered')).toThrow(/tenant/);
  });

  it('names one stream per domain and filters across tenants', () => {
    expect(streamNameOf('lianluo', 'call')).toBe('LIANLUO_CALL');
    expect(streamNameOf('t-abc', 'call')).toBe('T-ABC_CALL');
    expect(eventFilterOf('lianluo', 'call')).toBe('lianluo.*.call.event.*');
    expect(eventFilterOf('lianluo', 'call', 'answered')).toBe('lianluo.*.call.event.answered');
  });

  it('keeps dead letters under the tenant they came from, or "_" when it is unreadable', () => {
    expect(deadLetterSubjectOf('lianluo', 'acme', 'reporting')).toBe('lianluo.acme.deadletter.event.reporting');
    expect(deadLetterSubjectOf('lianluo', 'a.b', 'reporting')).toBe('lianluo._.deadletter.event.reporting');
  });

  it('does not parse subjects of another shape', () => {
    expect(parseSubject('lianluo.acme.call.event')).toBeUndefined();
    expect(parseSubject('a.b.c.d.e.f')).toBeUndefined();
  });
});
