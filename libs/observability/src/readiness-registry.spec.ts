import { ReadinessRegistry } from './readiness-registry';

describe('ReadinessRegistry', () => {
  it('is ready with no checks', async () => {
    expect(await new ReadinessRegistry().evaluate()).toEqual([]);
  });

  it('reports each check by name, sync or async', async () => {
    const registry = new ReadinessRegistry();
    registry.register('redis', () => true);
    registry.register('nats', async () => false);
    expect(await registry.evaluate()).toEqual([
      { name: 'redis', ready: true },
      { name: 'nats', ready: false },
    ]);
  });

  it('counts a check that throws as not ready, with the error as reason', async () => {
    const registry = new ReadinessRegistry();
    registry.register('ari', () => {
      throw new Error('websocket closed');
    });
    expect(await registry.evaluate()).toEqual([{ name: 'ari', ready: false, reason: 'websocket closed' }]);
  });

  it('counts a check that does not answer in time as not ready', async () => {
    const registry = new ReadinessRegistry({ checkTimeoutMs: 20 });
    registry.register('postgres', () => new Promise<boolean>(() => undefined));
    expect(await registry.evaluate()).toEqual([{ name: 'postgres', ready: false, reason: 'no answer within 20 ms' }]);
  });

  it('refuses a second check under the same name', () => {
    const registry = new ReadinessRegistry();
    registry.register('redis', () => true);
    expect(() => registry.register('redis', () => true)).toThrow('readiness check "redis" is already registered');
  });

  it('forgets a check when it is unregistered', async () => {
    const registry = new ReadinessRegistry();
    const unregister = registry.register('redis', () => false);
    unregister();
    expect(await registry.evaluate()).toEqual([]);
  });
});
