import { type Clock } from '@lianluo/call-client';

/** Where a waiting contact stands, as the acd reports it. */
export interface QueueStanding {
  readonly state: 'waiting' | 'offered' | 'assigned' | 'done';
  readonly position: number;
  readonly expectedWaitMs: number | undefined;
}

/** What can happen to a waiting caller between two announcements. */
export type WaitEvent = { readonly kind: 'key'; readonly key: string } | { readonly kind: 'bridged' } | { readonly kind: 'overflowed' };

/** What the in-queue experience needs of the call and the acd. */
export interface QueueWaitPort {
  musicOnHold(on: boolean): Promise<void>;
  /**
   * Plays over the wait; a key cuts it short (and is reported by nextEvent). The bridge to
   * an agent or an overflow stops it at once and is answered; undefined when it played out.
   */
  announce(media: readonly string[]): Promise<Extract<WaitEvent, { kind: 'bridged' | 'overflowed' }> | undefined>;
  /** The next key, bridge or overflow, or undefined when `timeoutMs` passes first. CallerLeft when the caller hangs up. */
  nextEvent(timeoutMs: number): Promise<WaitEvent | undefined>;
  standing(): Promise<QueueStanding>;
  /** The caller chose voicemail or a callback: false when the contact has already reached an agent. */
  leaveForVoicemail(): Promise<boolean>;
  leaveForCallback(): Promise<boolean>;
}

export interface QueueWaitRule {
  readonly announceEveryMs: number;
  readonly offerEveryMs: number | undefined;
  readonly voicemailKey: string | undefined;
  readonly callbackKey: string | undefined;
}

export interface WaitPrompts {
  readonly position: readonly string[];
  readonly positionAfter: readonly string[];
  readonly wait: readonly string[];
  readonly waitAfter: readonly string[];
  readonly voicemailOffer: readonly string[];
  readonly callbackOffer: readonly string[];
}

/** How the wait ended: an agent took the call, acd sent it on, or the caller chose. */
export type WaitOutcome = 'connected' | 'overflowed' | 'left_queue' | 'voicemail' | 'callback';

/**
 * A caller waiting in a queue (IVR-3): music on hold, position and expected wait announced
 * every `announceEveryMs`, voicemail and callback offered every `offerEveryMs`, and the
 * caller's key honoured at any time without losing their place until they leave.
 */
export class QueueWait {
  constructor(
    private readonly port: QueueWaitPort,
    private readonly rule: QueueWaitRule,
    private readonly prompts: WaitPrompts,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<WaitOutcome> {
    await this.port.musicOnHold(true);
    const start = this.clock.now();
    let nextAnnouncement = start + this.rule.announceEveryMs;
    let nextOffer = this.offers() && this.rule.offerEveryMs ? start + this.rule.offerEveryMs : Infinity;
    for (;;) {
      const event = await this.port.nextEvent(Math.max(0, Math.min(nextAnnouncement, nextOffer) - this.clock.now()));
      if (event?.kind === 'key') {
        const choice = await this.choose(event.key);
        if (choice) return choice;
        continue;
      }
      if (event) return this.leave(event);
      const standing = await this.port.standing();
      if (standing.state === 'assigned' || standing.state === 'done') return 'left_queue';
      const now = this.clock.now();
      const media: string[] = [];
      if (now >= nextAnnouncement) {
        // While an agent's phone rings the caller is about to be connected: no announcement.
        if (standing.state === 'waiting') media.push(...this.announcement(standing));
        nextAnnouncement = now + this.rule.announceEveryMs;
      }
      if (now >= nextOffer) {
        if (standing.state === 'waiting') media.push(...this.offer());
        nextOffer = now + (this.rule.offerEveryMs as number);
      }
      if (media.length > 0) {
        await this.port.musicOnHold(false);
        const interruption = await this.port.announce(media);
        if (interruption) return this.leave(interruption, false);
        await this.port.musicOnHold(true);
      }
    }
  }

  /** An agent took the call, or acd sent it on (voicemail plays next: the music stops first). */
  private async leave(event: Extract<WaitEvent, { kind: 'bridged' | 'overflowed' }>, musicOn = true): Promise<WaitOutcome> {
    if (event.kind === 'bridged') return 'connected';
    if (musicOn) await this.port.musicOnHold(false);
    return 'overflowed';
  }

  private offers(): boolean {
    return this.rule.voicemailKey !== undefined || this.rule.callbackKey !== undefined;
  }

  private async choose(key: string): Promise<WaitOutcome | undefined> {
    if (key === this.rule.voicemailKey && (await this.port.leaveForVoicemail())) {
      await this.port.musicOnHold(false);
      return 'voicemail';
    }
    if (key === this.rule.callbackKey && (await this.port.leaveForCallback())) {
      await this.port.musicOnHold(false);
      return 'callback';
    }
    return undefined;
  }

  private announcement(standing: QueueStanding): string[] {
    const media = [...this.prompts.position, `number:${standing.position}`, ...this.prompts.positionAfter];
    if (standing.expectedWaitMs !== undefined) {
      media.push(...this.prompts.wait, `number:${Math.max(1, Math.ceil(standing.expectedWaitMs / 60_000))}`, ...this.prompts.waitAfter);
    }
    return media;
  }

  private offer(): string[] {
    const media: string[] = [];
    if (this.rule.voicemailKey !== undefined) media.push(...this.prompts.voicemailOffer, `digits:${this.rule.voicemailKey}`);
    if (this.rule.callbackKey !== undefined) media.push(...this.prompts.callbackOffer, `digits:${this.rule.callbackKey}`);
    return media;
  }
}
