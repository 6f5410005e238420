import { MessagingConnection } from '@lianluo/messaging';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type LiveSession } from './live-session';
import { LiveMetrics } from './live.metrics';
import { TenantFeed } from './tenant-feed';

/**
 * This replica's tenant feeds: one per tenant and domain while a client of that tenant is
 * connected, however many there are; stopped when the last one leaves.
 */
@Injectable()
export class TenantFeeds implements OnModuleDestroy {
  private readonly feeds = new Map<string, TenantFeed>();

  constructor(
    private readonly connection: MessagingConnection,
    private readonly metrics: LiveMetrics,
  ) {}

  /** Adds the session to its tenant's feed of `domain`, once that feed receives every new event. */
  async join(session: LiveSession, domain: string): Promise<void> {
    const key = `${session.tenant}.${domain}`;
    let feed = this.feeds.get(key);
    if (!feed) {
      feed = new TenantFeed(this.connection, session.tenant, domain, this.metrics);
      this.feeds.set(key, feed);
      const starting = feed;
      feed.started.catch(() => {
        if (this.feeds.get(key) === starting) this.feeds.delete(key);
      });
    }
    feed.add(session);
    try {
      await feed.started;
    } catch (error) {
      this.leave(session, domain);
      throw error;
    }
  }

  leave(session: LiveSession, domain: string): void {
    const key = `${session.tenant}.${domain}`;
    const feed = this.feeds.get(key);
    if (!feed) return;
    feed.remove(session);
    if (feed.isEmpty) {
      this.feeds.delete(key);
      void feed.stop();
    }
  }

  async onModuleDestroy(): Promise<void> {
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(feeds.map((feed) => feed.stop()));
  }
}
