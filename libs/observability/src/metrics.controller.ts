import { Controller, Get, Header } from '@nestjs/common';
import { OperationsRoute } from './operations-route';
import { Registry } from 'prom-client';

@OperationsRoute()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
