import { Inject } from '@nestjs/common';
import { CONFIG } from './config.token';

/**
 * Injects the validated configuration. Type the parameter with the schema's output,
 * imported with `import type` so no runtime reference is emitted:
 * `constructor(@InjectConfig() private readonly config: AcdConfig) {}`.
 */
export function InjectConfig(): ParameterDecorator & PropertyDecorator {
  return Inject(CONFIG);
}
