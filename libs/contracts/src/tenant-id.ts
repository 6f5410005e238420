/** A tenant id: the second token of every subject and the hash tag of its Redis keys. */
export const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
