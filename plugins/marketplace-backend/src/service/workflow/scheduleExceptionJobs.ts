import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type RootConfigService,
} from '@backstage/backend-plugin-api';
import type { ExceptionService } from './ExceptionService';

/**
 * Schedules the exception job: record lapsed exceptions (audit, notify, relabel) and warn
 * owners of exceptions that lapse soon. The scheduler runs it once per cluster.
 */
export async function scheduleExceptionJobs(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  exceptions: ExceptionService;
}) {
  const { scheduler, config, logger, exceptions } = options;
  const key = 'marketplace.exceptions.schedule';
  const schedule = config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : {
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 30 },
      };
  await scheduler.scheduleTask({
    id: 'marketplace-exception-lapse',
    ...schedule,
    fn: async () => {
      const lapsed = await exceptions.recordLapses();
      const warned = await exceptions.warnExpiring();
      if (lapsed || warned) {
        logger.info(
          `Exceptions: ${lapsed} lapsed, ${warned} owners warned of a near expiry`,
        );
      }
    },
  });
}
