import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import type {
  AppTransaction,
  MarketplaceStore,
} from '../../database/MarketplaceStore';
import type { AppDirectory } from '../AppDirectory';
import type { Notice, Notifier } from '../Notifier';

/** What a change decided inside its transaction, to be done once it committed. */
export interface ChangeOutcome<T> {
  result: T;
  /** The audit entries it wrote (normally one). */
  audit: AuditEntry[];
  notices?: Notice[];
  /** Apps whose catalog labels follow from the change. */
  refresh?: string[];
}

const SEVERITY: Record<string, 'low' | 'medium' | 'high'> = {
  'gates.evaluated': 'low',
  'app.registered': 'low',
  'app.expiry-warned': 'low',
  'app.expired': 'medium',
  'app.renewed': 'medium',
  'app.idle-flagged': 'low',
  'app.idle-cleared': 'low',
  'promotion.created': 'medium',
  'promotion.resubmitted': 'medium',
  'promotion.withdrawn': 'medium',
  'signoff.recorded': 'high',
  'exception.granted': 'high',
  'exception.lapsed': 'medium',
  'exception.expiry-warned': 'low',
  'tier.demoted': 'high',
  'cost.alert': 'medium',
};

/**
 * Runs one state change of one app: in a transaction under the app's lock, then (only once
 * committed) reports its audit entries to Backstage's auditor, sends its notices and asks the
 * catalog to re-process the apps it affects.
 */
export class ChangeRunner {
  constructor(
    private readonly options: {
      store: MarketplaceStore;
      directory: AppDirectory;
      notifier: Notifier;
      auditor: AuditorService;
      logger: LoggerService;
    },
  ) {}

  async run<T>(
    entityRef: string,
    change: (tx: AppTransaction) => Promise<ChangeOutcome<T>>,
  ): Promise<T> {
    const outcome = await this.options.store.inAppTransaction(
      entityRef,
      change,
    );
    await this.afterCommit(outcome);
    return outcome.result;
  }

  async afterCommit(outcome: Omit<ChangeOutcome<unknown>, 'result'>) {
    const { auditor, directory, notifier, logger } = this.options;
    for (const entry of outcome.audit) {
      try {
        const event = await auditor.createEvent({
          eventId: `marketplace-${entry.action.replace(/\./g, '-')}`,
          severityLevel: SEVERITY[entry.action] ?? 'medium',
          meta: {
            seq: entry.seq,
            hash: entry.hash,
            actor: entry.actor,
            entityRef: entry.entityRef,
            data: entry.data as never,
          },
        });
        await event.success();
      } catch (error) {
        logger.warn(`Could not report audit entry ${entry.seq}: ${error}`);
      }
    }
    await notifier.send(outcome.notices ?? []);
    for (const ref of outcome.refresh ?? []) {
      await directory
        .refresh(ref)
        .catch(error =>
          logger.warn(`Could not refresh '${ref}' in the catalog: ${error}`),
        );
    }
  }
}
