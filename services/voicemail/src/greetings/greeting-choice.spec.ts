import { chooseGreeting } from './greeting-choice';

const fallback = ['sound:vm-intro'];

describe('the greeting a caller hears', () => {
  it('is the one take_call names, whatever is configured', () => {
    expect(chooseGreeting(['sound:closed'], { queue: ['sound:q'], tenant: ['sound:t'] }, fallback)).toEqual(['sound:closed']);
  });

  it("is the queue's, else the tenant's, else the default", () => {
    expect(chooseGreeting([], { queue: ['sound:q'], tenant: ['sound:t'] }, fallback)).toEqual(['sound:q']);
    expect(chooseGreeting([], { queue: undefined, tenant: ['sound:t'] }, fallback)).toEqual(['sound:t']);
    expect(chooseGreeting([], { queue: undefined, tenant: undefined }, fallback)).toEqual(fallback);
  });
});
