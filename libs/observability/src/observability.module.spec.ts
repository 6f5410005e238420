import { Controller, Get, type INestApplication, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { trace } from '@opentelemetry/api';
import { Logger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { Counter, Registry } from 'prom-client';
import { ConfigError } from '@lianluo/config';
import { ObservabilityModule } from './observability.module';
import type { ObservabilityOptions } from './observability-options';
import { ReadinessRegistry } from './readiness-registry';

type LogLine = Record<string, unknown>;

@Controller('calls')
class CallsController {
  @Get()
  list(): string[] {
    return [];
  }
}

function captureLogs() {
  const lines: LogLine[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } };
}

async function startApp(options: Partial<ObservabilityOptions> = {}) {
  // nestjs-pino keeps the logger for lines outside a request in a process-wide variable
  // set by the first application; each application here has its own destination.
  __resetOutOfContextForTests();
  const logs = captureLogs();
  @Module({
    imports: [
      ObservabilityModule.forRoot({ serviceName: 'acd', site: 'bj', logDestination: logs.destination, env: {}, ...options }),
    ],
    controllers: [CallsController],
  })
  class AcdModule {}

  const app = await NestFactory.create(AcdModule, { logger: false, abortOnError: false });
  app.useLogger(app.get(Logger));
  await app.listen(0, '127.0.0.1');
  return { app, logs, baseUrl: await app.getUrl() };
}

describe('ObservabilityModule', () => {
  let app: INestApplication;
  let logs: LogLine[];
  let baseUrl: string;

  beforeAll(async () => {
    const started = await startApp();
    ({ app, baseUrl } = started);
    logs = started.logs.lines;
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /metrics', () => {
    it('serves the default Node metrics and metrics a service adds, labelled with service and site', async () => {
      const offered = new Counter({
        name: 'lianluo_spec_contacts_offered_total',
        help: 'Contacts offered to agents',
        registers: [app.get(Registry)],
      });
      offered.inc(2);

      const response = await fetch(`${baseUrl}/metrics`);
      const body = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(body).toMatch(/^process_cpu_user_seconds_total\{service="acd",site="bj"\} /m);
      expect(body).toMatch(/^nodejs_eventloop_lag_seconds\{service="acd",site="bj"\} /m);
      expect(body).toContain('lianluo_spec_contacts_offered_total{service="acd",site="bj"} 2');
    });

    it('is the prom-client default registry', async () => {
      const { register } = await import('prom-client');
      expect(app.get(Registry)).toBe(register);
    });
  });

  describe('GET /health/live', () => {
    it('answers 200 while the event loop runs', async () => {
      const response = await fetch(`${baseUrl}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    });
  });

  describe('GET /health/ready', () => {
    it('answers 503 naming the failing checks, then 200 once they pass', async () => {
      let redisConnected = false;
      const readiness = app.get(ReadinessRegistry);
      const unregisterRedis = readiness.register('redis', () => redisConnected);
      const unregisterNats = readiness.register('nats', async () => true);
      try {
        const notReady = await fetch(`${baseUrl}/health/ready`);
        expect(notReady.status).toBe(503);
        expect(await notReady.json()).toMatchObject({
          status: 'error',
          error: { redis: { status: 'down' } },
          info: { nats: { status: 'up' } },
        });

        redisConnected = true;
        const ready = await fetch(`${baseUrl}/health/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({ status: 'ok', info: { redis: { status: 'up' }, nats: { status: 'up' } } });
      } finally {
        unregisterRedis();
        unregisterNats();
      }
    });

    it('gives the reason of a check that throws', async () => {
      const unregister = app.get(ReadinessRegistry).register('ari', () => {
        throw new Error('websocket closed');
      });
      try {
        const response = await fetch(`${baseUrl}/health/ready`);
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ error: { ari: { status: 'down', reason: 'websocket closed' } } });
      } finally {
        unregister();
      }
    });
  });

  describe('logs', () => {
    it('writes JSON lines with service, site and the level as a word', () => {
      new NestLogger('Spec').log('agent logged in');
      expect(logs.at(-1)).toMatchObject({ level: 'info', service: 'acd', site: 'bj', context: 'Spec', msg: 'agent logged in' });
      expect(logs.at(-1)).not.toHaveProperty('trace_id');
    });

    it('carries the trace and span ids of the active span', () => {
      trace.getTracer('spec').startActiveSpan('offer contact', (span) => {
        new NestLogger('Spec').log('contact offered');
        span.end();
        expect(logs.at(-1)).toMatchObject({
          msg: 'contact offered',
          trace_id: span.spanContext().traceId,
          span_id: span.spanContext().spanId,
        });
      });
    });

    it('logs requests but not metrics scrapes or health probes', async () => {
      await fetch(`${baseUrl}/metrics`);
      await fetch(`${baseUrl}/health/live`);
      await fetch(`${baseUrl}/health/ready`);
      await fetch(`${baseUrl}/calls`);
      const requestUrls = logs
        .filter((line) => line.msg === 'request completed')
        .map((line) => (line.req as { url: string }).url);
      expect(requestUrls).toEqual(['/calls']);
    });
  });
});

describe('ObservabilityModule settings', () => {
  it('takes the log level and service name from the environment', async () => {
    const { app, logs } = await startApp({ env: { LOG_LEVEL: 'warn', SERVICE_NAME: 'acd-canary' } });
    try {
      new NestLogger('Spec').log('not written at warn');
      new NestLogger('Spec').warn('queue overflowing');
      expect(logs.lines.map((line) => line.msg)).not.toContain('not written at warn');
      expect(logs.lines.at(-1)).toMatchObject({ level: 'warn', service: 'acd-canary', msg: 'queue overflowing' });
    } finally {
      await app.close();
    }
  });

  it('fails start-up with a ConfigError naming LOG_LEVEL when it is not a level', async () => {
    await expect(startApp({ env: { LOG_LEVEL: 'loud' } })).rejects.toThrow(ConfigError);
    await expect(startApp({ env: { LOG_LEVEL: 'loud' } })).rejects.toThrow(/LOG_LEVEL: must be one of/);
  });

  it('lets a process create applications one after another', async () => {
    for (let round = 0; round < 2; round++) {
      const { app, baseUrl } = await startApp();
      try {
        expect((await fetch(`${baseUrl}/metrics`)).status).toBe(200);
      } finally {
        await app.close();
      }
    }
  });
});
