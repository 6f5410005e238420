import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceIdentityGuard } from './service-identity.guard';
import { ServiceTokenVerifier, type ServiceTokenVerifierOptions } from './service-token-verifier';

export type ServiceAuthModuleOptions = ServiceTokenVerifierOptions;

/**
 * Gives a service what `@UseGuards(ServiceIdentityGuard)` needs: the verifier of api's
 * tokens for `audience` (the service's name) against `publicKeys`. Global, so the guard
 * works on the controllers of every module of the service.
 */
@Module({})
export class ServiceAuthModule {
  static forRoot(options: ServiceAuthModuleOptions): DynamicModule {
    return {
      module: ServiceAuthModule,
      global: true,
      providers: [{ provide: ServiceTokenVerifier, useValue: new ServiceTokenVerifier(options) }, ServiceIdentityGuard],
      exports: [ServiceTokenVerifier, ServiceIdentityGuard],
    };
  }
}
