// TEL-5 against real parts: one trunk carries the numbers of several tenants, and the number a
// caller dials picks the tenant (the namespace's number plan, a key-value bucket the gateway
// follows live); a number outside the plan keeps the trunk's tenant.
import 'reflect-metadata';
import { create, toBinary } from '@bufbuild/protobuf';
import { type CallRef, CallCommands, type CallStarted, DialledNumberSchema, NUMBER_PLAN_BUCKET, numberPlanKey } from '@lianluo/contracts';
import { CommandClient, MessagingConnection, RecordBucket, deleteNamespaceStreams } from '@lianluo/messaging';
import { type Sites, ensureLocalInfra, runSipp, startSites, uniqueNamespace } from '@lianluo/testing';
import { type INestApplication } from '@nestjs/common';
import { CallEventsRecorder } from './call-events.recorder';
import { gatewayFor } from './e2e-harness';

jest.setTimeout(120_000);

const namespace = uniqueNamespace('mgnum');

describe('the number plan', () => {
  let sites: Sites;
  let app: INestApplication;
  let observer: MessagingConnection;
  let plan: RecordBucket;
  let recorder: CallEventsRecorder;

  beforeAll(async () => {
    await ensureLocalInfra();
    sites = await startSites();
    observer = await MessagingConnection.connect({ servers: 'nats://127.0.0.1:4222', namespace, connectionName: 'e2e-numbers', queueGroup: 'e2e-numbers' });
    plan = await RecordBucket.open(observer, NUMBER_PLAN_BUCKET);
    // Known before the gateway starts: it must have them when its first call comes.
    await setNumber('4008001234', 'acme');
    app = await gatewayFor(sites.bj, namespace, { ARI_APP: sites.bj.site.stasisApp, DEFAULT_TENANT: 'nobody' });
    const client = new CommandClient(observer);
    recorder = new CallEventsRecorder(observer);
    // The stand-in IVR answers every call; the caller hangs up.
    recorder.onEvent((event) => {
      if (event.name !== 'started') return;
      const call = (event.message as CallStarted).call as CallRef;
      void client.request(CallCommands.answer, create(CallCommands.answer.request, { call, commandId: `${call.callId}:answer` }), { timeoutMs: 5_000 });
    });
    await recorder.start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    if (observer) {
      await deleteNamespaceStreams(observer);
      await observer.close();
    }
    await sites?.remove();
  });

  async function setNumber(number: string, tenant: string): Promise<void> {
    await plan.put(numberPlanKey(number), toBinary(DialledNumberSchema, create(DialledNumberSchema, { number, tenant })));
  }

  /** Calls `number` at bj over the trunk; the tenant its call.started names. */
  async function tenantOfCallTo(number: string): Promise<string> {
    const seen = recorder.events.length;
    const sipp = await runSipp({ scenario: 'uac-simple.xml', target: sites.bj.sipTarget, service: number, values: { hangup_after_ms: 300 }, timeoutMs: 30_000 });
    expect({ exitCode: sipp.exitCode, errors: sipp.errors }).toEqual({ exitCode: 0, errors: '' });
    const started = recorder.events.slice(seen).find((event) => event.name === 'started' && (event.message as CallStarted).dnis === number);
    expect(started).toBeDefined();
    await recorder.next('hungup', (started!.message as CallStarted).call!.callId);
    return (started!.message as CallStarted).call!.tenant;
  }

  it("gives a call to a planned number its number's tenant, and a call to another number the trunk's", async () => {
    expect(await tenantOfCallTo('4008001234')).toBe('acme');
    expect(await tenantOfCallTo('100')).toBe(sites.bj.site.tenant);
  });

  it('follows the plan as it changes, without a restart', async () => {
    await setNumber('100', 'globex');
    await waitFor(async () => (await tenantOfCallTo('100')) === 'globex');
    await plan.delete(numberPlanKey('100'));
    await waitFor(async () => (await tenantOfCallTo('100')) === sites.bj.site.tenant);
  });

  /** A watched change arrives within moments; a call placed before it may still see the old plan. */
  async function waitFor(check: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) if (await check()) return;
    throw new Error('the gateway did not follow the number plan');
  }
});
