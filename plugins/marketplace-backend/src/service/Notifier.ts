import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';

/** One notification: to entity refs (groups, users, or an app, meaning its owners). */
export interface Notice {
  to: string[];
  /** Users not to tell even when they are among `to`, e.g. the submitter of a request. */
  exclude?: string[];
  title: string;
  description: string;
  link: string;
  severity?: NotificationSeverity;
}

/**
 * Sends notices through Backstage's notification service. A notice that cannot be sent is
 * logged, never fails the change it reports: the change is already committed and audited.
 */
export class Notifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  async send(notices: Notice[]): Promise<void> {
    for (const notice of notices) {
      if (!notice.to.length) continue;
      try {
        await this.options.notifications.send({
          recipients: {
            type: 'entity',
            entityRef: notice.to,
            ...(notice.exclude?.length && { excludeEntityRef: notice.exclude }),
          },
          payload: {
            title: notice.title,
            description: notice.description,
            link: notice.link,
            severity: notice.severity ?? 'normal',
            topic: 'marketplace',
          },
        });
      } catch (error) {
        this.options.logger.warn(`Could not send '${notice.title}': ${error}`, {
          recipients: notice.to.join(','),
        });
      }
    }
  }
}
