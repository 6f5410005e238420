export { SERVICE_TOKEN, type ServiceTokenClaims } from './service-token';
export { generateServiceKeys, publicJwkOf, type PrivateServiceJwk, type PublicServiceJwk, type ServiceJwks, type ServiceKeys } from './service-keys';
export { ServiceTokenSigner, type ServiceTokenSignerOptions } from './service-token-signer';
export { ServiceTokenVerifier, type ServiceTokenVerifierOptions } from './service-token-verifier';
export { ServiceTokenRejected, type ServiceTokenRejection } from './service-token-rejected';
export { ServiceIdentityGuard, bearerTokenOf } from './service-identity.guard';
export { ServiceAuthModule, type ServiceAuthModuleOptions } from './service-auth.module';
export { serviceAuthConfig, serviceTokenSignerConfig, type ServiceAuthConfig, type ServiceTokenSignerConfig } from './service-auth-config';
