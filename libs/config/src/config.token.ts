/** Injection token of the validated configuration provided by `ConfigModule.forRoot`. */
export const CONFIG = Symbol('lianluo:config');
