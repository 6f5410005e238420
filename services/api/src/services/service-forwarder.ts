import { ServiceTokenSigner } from '@lianluo/service-auth';
import { BadGatewayException, HttpException, Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { API_CONFIG, type ApiConfig } from '../api.config';

/** The services whose own HTTP routes api serves people through. */
export type BackingService = 'acd' | 'ivr' | 'voicemail' | 'reporting';

/** Answer headers a forwarded answer keeps: what the body is, its range, the next page. */
const KEPT_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'content-disposition', 'x-next-page', 'etag', 'last-modified'];

export interface ForwardedRequest {
  readonly method?: 'GET' | 'PUT' | 'DELETE' | 'POST';
  readonly query?: Record<string, string | string[] | undefined>;
  readonly body?: unknown;
  /** A range of the audio, passed on as it came. */
  readonly range?: string;
}

/**
 * Calls a service's own HTTP routes as api (a service token for that service), after the
 * route's own policy check. A refusal of the request (4xx) is passed on as the service worded
 * it — services name fields and never internals; anything else is a plain 502/503 here, logged.
 */
@Injectable()
export class ServiceForwarder {
  private readonly logger = new Logger(ServiceForwarder.name);
  private readonly signer: ServiceTokenSigner;
  private readonly urls: Readonly<Record<BackingService, string | undefined>>;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.signer = new ServiceTokenSigner({ privateKey: config.SERVICE_AUTH_PRIVATE_KEY });
    this.urls = { acd: config.ACD_URL, ivr: config.IVR_URL, voicemail: config.VOICEMAIL_URL, reporting: config.REPORTING_URL };
  }

  /** The service's JSON answer, or the HTTP error its refusal means. */
  async json<T>(service: BackingService, path: string, request: ForwardedRequest = {}): Promise<T> {
    const response = await this.call(service, path, request);
    return (await response.json()) as T;
  }

  /** A request whose answer carries nothing the caller needs (a 204); throws its refusal. */
  async send(service: BackingService, path: string, request: ForwardedRequest): Promise<void> {
    const response = await this.call(service, path, request);
    await response.body?.cancel();
  }

  /** Streams the service's answer (status, kept headers, body) to `res`, e.g. audio or CSV. */
  async pipe(service: BackingService, path: string, request: ForwardedRequest, res: ServerResponse): Promise<void> {
    const response = await this.call(service, path, request);
    res.statusCode = response.status;
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    if (!response.body) {
      res.end();
      return;
    }
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
  }

  private async call(service: BackingService, path: string, request: ForwardedRequest): Promise<Response> {
    const base = this.urls[service];
    if (!base) throw new ServiceUnavailableException({ error: 'unavailable', message: `this installation has no ${service} connected to its api` });
    const url = new URL(path, base);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) url.searchParams.append(name, item);
    }
    const headers: Record<string, string> = { authorization: await this.signer.authorizationFor(service) };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.range) headers.range = request.range;
    let response: Response;
    try {
      response = await fetch(url, { method: request.method ?? 'GET', headers, ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }), signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      this.logger.warn({ err: error, service, path }, 'service unreachable');
      throw new ServiceUnavailableException({ error: 'unavailable', message: `${service} did not answer; try again` });
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => undefined)) as { error?: string; message?: string } | undefined;
    // The service refused api itself: a key mismatch of the installation, not the caller's fault.
    if (response.status === 401 || response.status === 403 || response.status >= 500 || !body?.error) {
      this.logger.error({ service, path, status: response.status, answer: body }, 'service refused or failed a forwarded request');
      throw new BadGatewayException({ error: 'bad_gateway', message: `${service} could not answer this request` });
    }
    throw new HttpException(body, response.status);
  }
}
