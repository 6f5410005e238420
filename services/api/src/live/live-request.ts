import { parseRequest } from '@lianluo/config';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { type IncomingMessage } from 'node:http';
import { z } from 'zod';
import { bearerTokenOf } from '@lianluo/service-auth';
import { tenantAddress } from '../tenants/tenant-address';
import { type LiveCursor, parseLiveCursor } from './live-cursor';
import { LIVE_FEED_NAMES, type LiveFeedName } from './live-feed';

/** The subprotocol of the live connection, which the server selects. */
export const LIVE_PROTOCOL = 'lianluo.live.v1';
/** A browser cannot set headers on a WebSocket: it offers its access token as a second subprotocol, `bearer.<token>`. */
const BEARER_PROTOCOL = 'bearer.';
const LIVE_PATH = /^\/v1\/tenants\/([^/]+)\/live$/;

const liveQuery = z.object({
  feed: z.enum(LIVE_FEED_NAMES, { error: `must be one of ${LIVE_FEED_NAMES.join(', ')}` }),
  cursor: z
    .string()
    .transform((text, ctx) => parseLiveCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'must be <domain>:<sequence>[,<domain>:<sequence>…] as the events carry it' }), z.NEVER))
    .optional(),
});

/** What a WebSocket upgrade to `/v1/tenants/{tenant}/live?feed=…&cursor=…` asks for. */
export interface LiveRequest {
  readonly tenant: string;
  readonly feed: LiveFeedName;
  /** Where the client resumes; absent: from now on. */
  readonly cursor: LiveCursor | undefined;
}

/** The path's tenant, or 404 when the upgrade is for anything but the live endpoint. */
export function liveTenantOf(request: IncomingMessage): string {
  const match = LIVE_PATH.exec(new URL(request.url ?? '/', 'http://upgrade').pathname);
  if (!match) throw new NotFoundException({ error: 'not_found', message: 'no WebSocket endpoint here' });
  return decodeURIComponent(match[1]!);
}

/** The access token of an upgrade: offered as subprotocol `bearer.<token>`, or as `Authorization: Bearer <token>`. */
export function liveTokenOf(request: IncomingMessage): string | undefined {
  const offered = protocolsOf(request);
  const fromProtocol = offered.find((protocol) => protocol.startsWith(BEARER_PROTOCOL))?.slice(BEARER_PROTOCOL.length);
  return fromProtocol || bearerTokenOf(request.headers.authorization);
}

/** The tenant, feed and cursor of an upgrade, validated (400 naming each field otherwise). */
export function liveRequestOf(request: IncomingMessage, tenant: string): LiveRequest {
  const offered = protocolsOf(request);
  if (offered.length > 0 && !offered.includes(LIVE_PROTOCOL)) {
    throw new BadRequestException({ error: 'invalid_request', message: `header.sec-websocket-protocol must offer ${LIVE_PROTOCOL}` });
  }
  const query = new URL(request.url ?? '/', 'http://upgrade').searchParams;
  const path = parseRequest(tenantAddress, { tenant }, 'path');
  const { feed, cursor } = parseRequest(liveQuery, { feed: query.get('feed') ?? undefined, cursor: query.get('cursor') ?? undefined }, 'query');
  return { tenant: path.tenant, feed, cursor };
}

function protocolsOf(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  return (header ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== '');
}
