import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { type DialledNumber, DialledNumberSchema, NUMBER_PLAN_BUCKET, numberPlanKey } from '@lianluo/contracts';
import { MessagingConnection, RecordBucket } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';

/**
 * The platform's number plan (TEL-5): which tenant each dialled number belongs to. api is
 * its one writer; every media gateway follows the bucket and gives a call its number's tenant.
 */
@Injectable()
export class NumberPlanStore {
  private bucket: Promise<RecordBucket> | undefined;

  constructor(private readonly nats: MessagingConnection) {}

  async list(): Promise<DialledNumber[]> {
    const entries = await (await this.opened()).entries('n');
    return entries.map(({ record }) => fromBinary(DialledNumberSchema, record)).sort((a, b) => a.number.localeCompare(b.number));
  }

  async find(number: string): Promise<DialledNumber | undefined> {
    return (await this.list()).find((entry) => entry.number === number);
  }

  async put(number: string, tenant: string): Promise<DialledNumber> {
    const entry = create(DialledNumberSchema, { number, tenant });
    await (await this.opened()).put(numberPlanKey(number), toBinary(DialledNumberSchema, entry));
    return entry;
  }

  async delete(number: string): Promise<void> {
    await (await this.opened()).delete(numberPlanKey(number));
  }

  private opened(): Promise<RecordBucket> {
    this.bucket ??= RecordBucket.open(this.nats, NUMBER_PLAN_BUCKET);
    return this.bucket;
  }
}
