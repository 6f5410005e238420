import { registeredMetric } from '@lianluo/observability';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
import { IVR_CONFIG, type IvrConfig } from '../ivr.config';
import { type Flow } from './flow.schema';
import { FlowLibrary } from './flow-library';

/**
 * The flows of FLOWS_DIR, loaded at start-up and reloaded when a file changes. A refused
 * file is logged with every problem (file:line:column path: reason) and counted; the flow
 * it would have replaced keeps serving calls.
 */
@Injectable()
export class FlowsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FlowsService.name);
  private readonly library: FlowLibrary;
  private readonly refused =
    registeredMetric('lianluo_ivr_flow_files_refused_total', () => new Counter({ name: 'lianluo_ivr_flow_files_refused_total', help: 'Flow files refused when loaded, by file.', labelNames: ['file'] }));

  constructor(@Inject(IVR_CONFIG) config: IvrConfig) {
    this.library = new FlowLibrary(config.FLOWS_DIR);
    this.library.on('loaded', (file, flow) => this.logger.log({ file, tenant: flow.tenant, numbers: flow.numbers }, 'flow loaded'));
    this.library.on('rejected', (file, problems) => {
      this.refused.inc({ file });
      this.logger.error(
        { file, problems: problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.path}: ${p.reason}`) },
        'flow file refused; the flow it would replace keeps serving calls',
      );
    });
  }

  async onModuleInit(): Promise<void> {
    await this.library.load();
    this.library.watch();
  }

  onModuleDestroy(): void {
    this.library.close();
  }

  find(dialled: string, tenant: string): { file: string; flow: Flow } | undefined {
    return this.library.find(dialled, tenant);
  }
}
