import { TENANT_ID } from '@lianluo/contracts';
import { z } from 'zod';

export const tenantId = z.string().regex(TENANT_ID, { error: 'must be a tenant: 1-64 letters, digits, _ or -' });
const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, { error: 'must be 1-128 letters, digits, _ . @ or -' });

export const tenantAddress = z.object({ tenant: tenantId });
export const contactAddress = z.object({ tenant: tenantId, contactId: identifier });
