import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { contextOfTraceparent } from './context-of-traceparent';
import { currentTraceparent } from './current-traceparent';
import { SpanCollector } from './span-collector';
import { startTracing } from './start-tracing';
import { traceIdOf } from './trace-id-of';
import type { Tracing } from './tracing';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('startTracing', () => {
  let tracing: Tracing | undefined;
  const exporterEnv = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  const savedEnv = exporterEnv.map((name) => [name, process.env[name]] as const);

  // Whatever the developer's shell says, these tests run without a collector.
  beforeAll(() => exporterEnv.forEach((name) => delete process.env[name]));
  afterAll(() => savedEnv.forEach(([name, value]) => value !== undefined && (process.env[name] = value)));

  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('gives spans real ids and a well-formed traceparent without an exporter', () => {
    tracing = startTracing({ serviceName: 'acd' });
    trace.getTracer('spec').startActiveSpan('reserve agent', (span) => {
      const traceparent = currentTraceparent();
      expect(traceparent).toMatch(TRACEPARENT);
      expect(traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      expect(traceIdOf(traceparent)).toBe(span.spanContext().traceId);
      span.end();
    });
  });

  it('records nothing without an exporter, yet continues the trace it is in and keeps the sampled flag', () => {
    tracing = startTracing({ serviceName: 'acd' });
    const stored = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    trace.getTracer('spec').startActiveSpan('relay', {}, contextOfTraceparent(stored), (span) => {
      expect(span.isRecording()).toBe(false);
      expect(traceIdOf(currentTraceparent())).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(span.spanContext().spanId).not.toBe('b7ad6b7169203331');
      const child = trace.getTracer('spec').startSpan('publish');
      expect(child.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(trace.getTracer('spec').startSpan('new trace', { root: true }).spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
      span.end();
    });
    const unsampled = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    trace.getTracer('spec').startActiveSpan('not sampled upstream', {}, contextOfTraceparent(unsampled), (span) => {
      expect(currentTraceparent()).toMatch(/-00$/);
      span.end();
    });
  });

  it('is harmless when called twice', () => {
    tracing = startTracing({ serviceName: 'acd' });
    expect(startTracing({ serviceName: 'ivr' })).toBe(tracing);
    trace.getTracer('spec').startActiveSpan('offer contact', (span) => {
      expect(currentTraceparent()).toMatch(TRACEPARENT);
      span.end();
    });
  });

  it('registers the W3C trace-context and baggage propagators globally', () => {
    tracing = startTracing({ serviceName: 'ivr' });
    trace.getTracer('spec').startActiveSpan('play menu', (span) => {
      const carrier: Record<string, string> = {};
      const withBaggage = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'acme' } }));
      propagation.inject(withBaggage, carrier);
      expect(carrier.traceparent).toBe(currentTraceparent());
      expect(carrier.baggage).toBe('tenant=acme');

      const extracted = propagation.extract(context.active(), { traceparent: carrier.traceparent });
      expect(trace.getSpanContext(extracted)?.traceId).toBe(span.spanContext().traceId);
      span.end();
    });
  });

  it('keeps the active span across awaits', async () => {
    tracing = startTracing({ serviceName: 'acd' });
    await trace.getTracer('spec').startActiveSpan('enqueue', async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      expect(traceIdOf(currentTraceparent())).toBe(span.spanContext().traceId);
      span.end();
    });
  });

  it('has no traceparent outside a span', () => {
    tracing = startTracing({ serviceName: 'acd' });
    expect(currentTraceparent()).toBeUndefined();
  });

  it('hands every span, as it ends, to the span exporter the first call names', () => {
    const collector = new SpanCollector();
    tracing = startTracing({ serviceName: 'acd', spanExporter: collector });
    expect(startTracing({ serviceName: 'ivr', spanExporter: new SpanCollector() })).toBe(tracing);
    trace.getTracer('spec').startActiveSpan('enqueue contact', (parent) => {
      trace.getTracer('spec').startSpan('offer contact').end();
      parent.end();
    });
    const spans = collector.spans;
    expect(spans.map((span) => span.name)).toEqual(['offer contact', 'enqueue contact']);
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(spans[0]?.resource.attributes['service.name']).toBe('acd');
  });

  it('continues the trace of a stored traceparent', () => {
    const collector = new SpanCollector();
    tracing = startTracing({ serviceName: 'acd', spanExporter: collector });
    const stored = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    trace.getTracer('spec').startActiveSpan('timer pass', (unrelated) => {
      trace.getTracer('spec').startSpan('relay overflow', {}, contextOfTraceparent(stored)).end();
      unrelated.end();
    });
    const relayed = collector.spans.find((span) => span.name === 'relay overflow');
    expect(relayed?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(relayed?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('lets a test wait for the spans it expects, and keeps them after tracing shuts down', async () => {
    const collector = new SpanCollector();
    tracing = startTracing({ serviceName: 'acd', spanExporter: collector });
    const ended = collector.until((spans) => spans.find((span) => span.name === 'bridge legs'), 5_000);
    setImmediate(() => trace.getTracer('spec').startSpan('bridge legs').end());
    expect((await ended)?.name).toBe('bridge legs');
    expect(await collector.until((spans) => spans.find((span) => span.name === 'never'), 10)).toBeUndefined();
    await tracing.shutdown();
    tracing = undefined;
    expect(collector.spans.map((span) => span.name)).toEqual(['bridge legs']);
  });

  it('can start again after a shutdown', async () => {
    const first = startTracing({ serviceName: 'acd' });
    await first.shutdown();
    tracing = startTracing({ serviceName: 'acd' });
    expect(tracing).not.toBe(first);
    trace.getTracer('spec').startActiveSpan('wrap up', (span) => {
      expect(currentTraceparent()).toMatch(TRACEPARENT);
      span.end();
    });
  });

  // The exporter loads `http` with a dynamic import(), which Jest's module sandbox
  // refuses; so this runs the way a service does, in a Node process of its own.
  describe('with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
    let collector: Server;
    let received: Promise<{ request: IncomingMessage; body: string }>;

    beforeEach(async () => {
      received = new Promise((resolve) => {
        collector = createServer((request, response) => {
          const chunks: Buffer[] = [];
          request.on('data', (chunk: Buffer) => chunks.push(chunk));
          request.on('end', () => {
            response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
            resolve({ request, body: Buffer.concat(chunks).toString('utf8') });
          });
        });
      });
      await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    });

    afterEach(async () => {
      await new Promise((resolve) => collector.close(resolve));
    });

    it('exports spans over OTLP/HTTP with the service resource', async () => {
      const script = `
        const { trace } = require('@opentelemetry/api');
        const { startTracing } = require('./src/start-tracing');
        const tracing = startTracing({ serviceName: 'media-gateway', serviceVersion: '1.2.3', site: 'bj' });
        trace.getTracer('spec').startSpan('answer call').end();
        tracing.shutdown().catch((error) => { console.error(error); process.exit(1); });
      `;
      const child = spawn(process.execPath, ['--import', 'tsx', '--eval', script], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const [exitCode] = (await once(child, 'exit')) as [number | null];
      expect(exitCode).toBe(0);

      const { request, body } = await received;
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/v1/traces');
      const resourceSpans = (JSON.parse(body) as ExportedTraces).resourceSpans[0];
      const attributes = Object.fromEntries(
        (resourceSpans?.resource.attributes ?? []).map((attribute) => [attribute.key, attribute.value.stringValue]),
      );
      expect(attributes).toMatchObject({ 'service.name': 'media-gateway', 'service.version': '1.2.3', 'lianluo.site': 'bj' });
      expect(resourceSpans?.scopeSpans[0]?.spans.map((span) => span.name)).toEqual(['answer call']);
    }, 15_000);
  });
});

interface ExportedTraces {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { name: string }[] }[];
  }[];
}

describe('contextOfTraceparent', () => {
  it('is undefined for a missing or malformed traceparent, so the active context applies', () => {
    expect(contextOfTraceparent(undefined)).toBeUndefined();
    expect(contextOfTraceparent('')).toBeUndefined();
    expect(contextOfTraceparent('00-xyz-b7ad6b7169203331-01')).toBeUndefined();
  });
});

describe('traceIdOf', () => {
  it('returns the trace id of a valid traceparent', () => {
    expect(traceIdOf('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('returns undefined for a missing or malformed traceparent', () => {
    expect(traceIdOf(undefined)).toBeUndefined();
    expect(traceIdOf('')).toBeUndefined();
    expect(traceIdOf('00-xyz-b7ad6b7169203331-01')).toBeUndefined();
    expect(traceIdOf('00-00000000000000000000000000000000-b7ad6b7169203331-01')).toBeUndefined();
  });
});
