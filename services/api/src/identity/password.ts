import { argon2id, hash, verify } from 'argon2';

/** OWASP's argon2id settings: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}

/**
 * A hash of a password nobody has, verified when the login is unknown, so an unknown login
 * takes as long as a wrong password and does not reveal which logins exist.
 */
export const NOBODYS_HASH = hashPassword('nobody has this password');
