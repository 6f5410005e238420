import { Module } from '@nestjs/common';
import { BusinessMetrics } from './business-metrics';
import { ConsumerLagMetrics } from './consumer-lag.metrics';

/** Business gauges on /metrics, beside the technical ones every service has. */
@Module({
  providers: [BusinessMetrics, ConsumerLagMetrics],
})
export class MetricsModule {}
