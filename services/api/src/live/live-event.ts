import { type DescMessage, type MessageShape, fromBinary, toJsonString } from '@bufbuild/protobuf';
import { ALL_ACD_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { parseSubject } from '@lianluo/messaging';
import { type JsMsg } from 'nats';

/**
 * An event as live connections push it: decoded and encoded as JSON once, whatever the number
 * of clients, with what the policy needs to decide who may see it.
 */
export interface LiveEvent {
  readonly domain: string;
  /** Its JetStream stream sequence: the client's cursor in `domain` once it has it. */
  readonly seq: number;
  readonly tenant: string;
  /** The agent it is about (an offer's, a state's), if any. */
  readonly agentId: string | undefined;
  /** `{ cursor, type, data, time }` as JSON text, sent as it is to every client that may see it. */
  readonly frame: Buffer;
}

/** How to read the events of a domain: definitions by subject name, and the agent an event is about. */
interface LiveDomainReader {
  readonly byName: ReadonlyMap<string, EventDefinition>;
  readonly agentOf: (message: MessageShape<DescMessage>) => string | undefined;
}

const definitionsByName = (definitions: readonly EventDefinition[]) => new Map(definitions.map((definition) => [definition.name, definition]));

const READERS: Readonly<Record<string, LiveDomainReader>> = {
  acd: {
    byName: definitionsByName(ALL_ACD_EVENTS),
    // An event about an agent names it in `agent`; a transfer to one agent in `to_agent_id`.
    agentOf: (message) => {
      const { agent, toAgentId } = message as { agent?: { agentId?: string }; toAgentId?: string };
      return agent?.agentId || toAgentId || undefined;
    },
  },
};

/** Why an event of the stream is not pushed to anyone. */
export type UnpushableReason = 'unknown' | 'undecodable' | 'foreign_tenant';

/**
 * The live form of a stream message of `domain`, or why it cannot be pushed: a name this build
 * does not know, bytes that do not decode, or a tenant other than its subject's.
 */
export function liveEventOf(domain: string, message: JsMsg): LiveEvent | UnpushableReason {
  const parts = parseSubject(message.subject);
  const definition = parts && READERS[domain]?.byName.get(parts.name);
  if (!parts || !definition) return 'unknown';
  let decoded: MessageShape<DescMessage>;
  try {
    decoded = fromBinary(definition.schema, message.data);
  } catch {
    return 'undecodable';
  }
  if (definition.tenantOf(decoded) !== parts.tenant) return 'foreign_tenant';
  const seq = message.seq;
  const time = new Date(Math.floor(message.info.timestampNanos / 1e6)).toISOString();
  // The message's JSON is written once, straight into the frame: no object built to be stringified again.
  const frame = `{"cursor":"${domain}:${seq}","type":"${domain}.${definition.name}","data":${toJsonString(definition.schema, decoded)},"time":"${time}"}`;
  return { domain, seq, tenant: parts.tenant, agentId: READERS[domain]!.agentOf(decoded), frame: Buffer.from(frame) };
}
