/** Injection token of the embedded oidc-provider instance. */
export const OIDC_PROVIDER = Symbol('OidcProvider');
