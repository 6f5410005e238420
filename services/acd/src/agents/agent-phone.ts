import { z } from 'zod';

/** Where the media gateway dials an agent: an extension at the agent's site, or a PSTN number (AG-3). */
export const agentPhoneSchema = z.union(
  [
    z.object({ extension: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a PJSIP endpoint name') }).strict(),
    z.object({ pstnNumber: z.string().regex(/^\+?[0-9]{3,20}$/, 'must be 3 to 20 digits, optionally after +') }).strict(),
  ],
  { error: 'must be { extension } or { pstnNumber }' },
);

export type AgentPhone = z.output<typeof agentPhoneSchema>;

/** How Redis keeps a phone (`endpoint` of the agent hash): `extension:2001` or `pstn:+8610123456`. */
export function encodeAgentPhone(phone: AgentPhone | undefined): string {
  if (phone === undefined) return '';
  return 'extension' in phone ? `extension:${phone.extension}` : `pstn:${phone.pstnNumber}`;
}

export function decodeAgentPhone(endpoint: string): AgentPhone | undefined {
  if (endpoint.startsWith('extension:')) return { extension: endpoint.slice('extension:'.length) };
  if (endpoint.startsWith('pstn:')) return { pstnNumber: endpoint.slice('pstn:'.length) };
  return undefined;
}
