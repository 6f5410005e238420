import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ROLES } from '../auth/role';
import { tenantId } from '../tenants/tenant-address';

const seedUser = z
  .strictObject({
    login: z.string().trim().min(1).max(200),
    tenant: tenantId.optional(),
    displayName: z.string().max(200).optional(),
    roles: z.array(z.enum(ROLES)).min(1),
    agentId: z.string().min(1).max(128).optional(),
    password: z.string().min(8, { error: 'must be at least 8 characters' }),
  })
  .refine((user) => (user.tenant === undefined) === (user.roles.length === 1 && user.roles[0] === 'platform-operator'), {
    error: 'a platform operator has no tenant and no other role; every other user has a tenant',
  });

const seedClient = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{2,127}$/, { error: 'must be 3-128 letters, digits, _, . or -' }),
  clientSecret: z.string().min(32, { error: 'must be at least 32 characters' }),
  tenant: tenantId,
  roles: z.array(z.enum(ROLES.filter((role) => role !== 'platform-operator') as ['agent', 'supervisor', 'admin'])).min(1),
});

const seedDocument = z.strictObject({ users: z.array(seedUser).default([]), clients: z.array(seedClient).default([]) });

export type IdentitySeed = z.output<typeof seedDocument>;
export type SeedClient = z.output<typeof seedClient>;

/** A seed file that does not validate: each problem with its file:line. */
export class IdentitySeedError extends Error {}

/** Reads API_SEED_FILE: the users and tool clients to upsert at start-up. */
export async function readIdentitySeed(file: string): Promise<IdentitySeed> {
  const text = await readFile(file, 'utf8');
  const document = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : text.slice(0, offset).split('\n').length);
  if (document.errors.length > 0) throw new IdentitySeedError(document.errors.map((error) => `${file}:${lineOf(error.pos[0])}: ${error.message}`).join('\n'));
  const parsed = seedDocument.safeParse(document.toJS() ?? {});
  if (parsed.success) return parsed.data;
  throw new IdentitySeedError(
    parsed.error.issues
      .map((issue) => {
        const node = document.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
        return `${file}:${lineOf(node?.range?.[0])}: ${issue.path.join('.') || '(document)'} ${issue.message}`;
      })
      .join('\n'),
  );
}
