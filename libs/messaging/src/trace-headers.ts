import { type Context, context, propagation } from '@opentelemetry/api';
import { type MsgHdrs, headers as natsHeaders } from 'nats';

const setter = {
  set(carrier: MsgHdrs, key: string, value: string) {
    carrier.set(key, value);
  },
};

const getter = {
  get(carrier: MsgHdrs | undefined, key: string) {
    return carrier?.get(key) || undefined;
  },
  keys(carrier: MsgHdrs | undefined) {
    return carrier ? carrier.keys() : [];
  },
};

/** New NATS headers carrying the W3C trace context (`traceparent`, `tracestate`) of `ctx`. */
export function headersWithTrace(ctx: Context = context.active()): MsgHdrs {
  const h = natsHeaders();
  propagation.inject(ctx, h, setter);
  return h;
}

/** The trace context a message arrived with, on top of the active one. */
export function traceContextOf(h: MsgHdrs | undefined): Context {
  return propagation.extract(context.active(), h, getter);
}
