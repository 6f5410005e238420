import { fromBinary } from '@bufbuild/protobuf';
import { DialledNumberSchema, NUMBER_PLAN_BUCKET, NUMBER_PLAN_KEYS, numberOfPlanKey, validateDialledNumber } from '@lianluo/contracts';
import { MessagingConnection, RecordBucket } from '@lianluo/messaging';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

/**
 * The platform's number plan (TEL-5), as this gateway knows it: the dialled numbers of
 * every tenant, followed live from the namespace's `numbers` bucket (written through api).
 * A call to a number of the plan belongs to the number's tenant, whatever trunk it came on.
 */
@Injectable()
export class NumberPlan implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(NumberPlan.name);
  private readonly tenants = new Map<string, string>();
  private watch: { stop(): void } | undefined;

  constructor(private readonly nats: MessagingConnection) {}

  /** Ready once the plan there now is known: no call is taken for the wrong tenant at start-up. */
  async onModuleInit(): Promise<void> {
    const bucket = await RecordBucket.open(this.nats, NUMBER_PLAN_BUCKET);
    this.watch = await bucket.watch(NUMBER_PLAN_KEYS, (key, record) => this.apply(key, record));
  }

  onModuleDestroy(): void {
    this.watch?.stop();
  }

  /** The tenant whose number was dialled, or undefined for a number the plan does not have. */
  tenantOf(dialled: string): string | undefined {
    return this.tenants.get(dialled);
  }

  private apply(key: string, record: Uint8Array | undefined): void {
    const number = numberOfPlanKey(key);
    if (number === undefined) return;
    if (!record) {
      this.tenants.delete(number);
      return;
    }
    try {
      const entry = fromBinary(DialledNumberSchema, record);
      const problems = validateDialledNumber(entry);
      if (problems.length > 0 || entry.number !== number) throw new Error(problems.map((p) => `${p.field} ${p.reason}`).join('; ') || 'the key names another number');
      this.tenants.set(number, entry.tenant);
    } catch (error) {
      // A bad record changes nothing: the number keeps the tenant it had.
      this.logger.error({ key, err: (error as Error).message }, 'number plan record ignored');
    }
  }
}
