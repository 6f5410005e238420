import { MessagingConnection } from '@lianluo/messaging';
import { ForbiddenException, HttpException, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, UnauthorizedException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type IncomingMessage, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { API_CONFIG, type ApiConfig } from '../api.config';
import { AccessTokenVerifier, TokenRefused, type VerifiedToken } from '../auth/access-token.verifier';
import { abilityOf } from '../policy/ability';
import { replayEvents } from './event-replay';
import { LiveCloseCode } from './live-close-code';
import { formatLiveCursor } from './live-cursor';
import { liveEventOf } from './live-event';
import { LIVE_DOMAINS, mayOpenFeed } from './live-feed';
import { LIVE_PROTOCOL, type LiveRequest, liveRequestOf, liveTenantOf, liveTokenOf } from './live-request';
import { LiveSession } from './live-session';
import { LiveMetrics } from './live.metrics';
import { refuseUpgrade } from './refuse-upgrade';
import { TenantFeeds } from './tenant-feeds';

/** setTimeout's longest delay (24.8 days): a token living longer closes then, and its client reconnects with it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Live events over WebSocket at `/v1/tenants/{tenant}/live?feed=me|board[&cursor=…]`. The
 * upgrade passes the same checks as a route: a valid access token (401), a valid request (400),
 * the policy's leave to open the feed in that tenant (403); then the client gets `live.ready`
 * with its cursor, the events after its cursor from the streams, then every new event the
 * policy lets it see, until its token expires (4401) or the replica goes away (1001).
 */
@Injectable()
export class LiveEventsGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiveEventsGateway.name);
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4096, handleProtocols: (offered) => (offered.has(LIVE_PROTOCOL) ? LIVE_PROTOCOL : false) });
  private readonly sessions = new Set<LiveSession>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: AccessTokenVerifier,
    private readonly feeds: TenantFeeds,
    private readonly connection: MessagingConnection,
    private readonly metrics: LiveMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter.getHttpServer() as Server;
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(request, socket, head));
  }

  onModuleDestroy(): void {
    for (const session of this.sessions) session.close(LiveCloseCode.GOING_AWAY, 'the server is going away: reconnect with your cursor');
    this.server.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    let verified: VerifiedToken;
    let live: LiveRequest;
    try {
      const tenant = liveTenantOf(request);
      const token = liveTokenOf(request);
      if (!token) throw new UnauthorizedException({ error: 'unauthorized', message: `sign in: offer the access token as subprotocol bearer.<token> beside ${LIVE_PROTOCOL}` });
      verified = await this.verify(token);
      live = liveRequestOf(request, tenant);
      if (!mayOpenFeed(abilityOf(verified.principal), verified.principal, live.feed, live.tenant)) {
        throw new ForbiddenException({ error: 'forbidden', message: 'your roles in this tenant do not allow this' });
      }
    } catch (error) {
      const refusal = error instanceof HttpException ? error : new HttpException({ error: 'unavailable', message: 'try again' }, 503);
      if (!(error instanceof HttpException)) this.logger.error({ err: error }, 'live upgrade failed');
      this.metrics.refused.inc({ status: refusal.getStatus() });
      refuseUpgrade(socket, refusal.getStatus(), refusal.getResponse());
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => void this.open(ws, verified, live));
  }

  private async verify(token: string): Promise<VerifiedToken> {
    try {
      return await this.verifier.verifyToken(token);
    } catch (error) {
      if (error instanceof TokenRefused) throw new UnauthorizedException({ error: 'unauthorized', message: error.message });
      throw error;
    }
  }

  private async open(ws: WebSocket, { principal, expiresAtMs }: VerifiedToken, live: LiveRequest): Promise<void> {
    const limits = { maxBufferedBytes: this.config.LIVE_MAX_BUFFERED_BYTES, maxHeldEvents: this.config.LIVE_MAX_HELD_EVENTS };
    const session = new LiveSession(ws, principal, live.tenant, live.feed, abilityOf(principal), limits, this.metrics);
    this.sessions.add(session);
    this.metrics.clients.inc({ feed: live.feed });
    const expiry = expiresAtMs === undefined ? undefined : setTimeout(() => session.close(LiveCloseCode.TOKEN_EXPIRED, 'the access token expired: reconnect with a fresh one and your cursor'), Math.min(MAX_TIMER_MS, expiresAtMs - Date.now()));
    ws.on('error', (error) => this.logger.debug({ err: error }, 'live socket error'));
    ws.on('close', () => {
      session.markClosed();
      clearTimeout(expiry);
      for (const domain of LIVE_DOMAINS) this.feeds.leave(session, domain);
      this.sessions.delete(session);
      this.metrics.clients.dec({ feed: live.feed });
    });
    try {
      await this.attach(session, live);
    } catch (error) {
      this.logger.error({ err: error, tenant: live.tenant }, 'live connection could not follow the streams');
      session.close(LiveCloseCode.INTERNAL, 'the events could not be read: reconnect with your cursor');
    }
  }

  /**
   * Joins the tenant's feeds (live events held from then on), settles where the client starts in
   * each domain, says so, replays what it missed, then lets the held events through. Nothing is
   * lost between the replay and the feed: the feed was running before the replay began.
   */
  private async attach(session: LiveSession, live: LiveRequest): Promise<void> {
    const replayAfter = new Map<string, number>();
    for (const domain of LIVE_DOMAINS) {
      if (session.isClosed) return;
      session.holdLive(domain);
      await this.feeds.join(session, domain);
      const { state } = await this.connection.jsm.streams.info(await this.connection.ensureStream(domain));
      // A cursor beyond the stream's end (the stream was recreated since) starts at its end rather than skip what comes.
      const start = Math.min(live.cursor?.get(domain) ?? state.last_seq, state.last_seq);
      session.startAt(domain, start);
      if (start < state.last_seq) replayAfter.set(domain, start);
    }
    session.sendControl({ type: 'live.ready', feed: live.feed, cursor: formatLiveCursor(session.cursor()) });
    for (const domain of LIVE_DOMAINS) {
      const after = replayAfter.get(domain);
      if (after !== undefined) {
        await replayEvents(this.connection, live.tenant, domain, after, async (message) => {
          const event = liveEventOf(domain, message);
          if (typeof event === 'string') this.metrics.dropped.inc({ domain, reason: event });
          else await session.replay(event);
          return !session.isClosed;
        });
      }
      session.endReplay(domain);
    }
  }
}
