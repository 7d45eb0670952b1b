import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  AppState,
  promotionRequestPermission,
} from '@microapps/plugin-marketplace-common';
import type { ExpiryCandidate } from '../../database/MarketplaceStore';
import { userOf } from '../actorOf';
import { AppRef, appEntityRef, governanceLink } from '../AppDirectory';
import type { MarketplaceService } from '../MarketplaceService';
import { nowOf, type WorkflowDeps } from '../workflow/WorkflowDeps';
import { DAY_MS, isExpired, renewalOf, renewalWindowDays } from './expiryRules';

const ACTOR = 'plugin:marketplace';
/** Candidates handled per page of a run. */
const EXPIRY_PAGE = 1000;

const day = (iso: string) => iso.slice(0, 10);

/**
 * The lifecycle of Discover apps: warns their owners before the expiry, records the expiry
 * once it passes (audit, notice, catalog label) and renews apps on their owners' request.
 */
export class ExpiryService {
  constructor(
    private readonly options: Omit<WorkflowDeps, 'membership'> & {
      apps: Pick<MarketplaceService, 'getApp'>;
      logger: LoggerService;
    },
  ) {}

  /**
   * One run of the scheduled job, a page of candidates at a time (warnings first, then
   * expiries), until every due app is handled. Safe to repeat.
   */
  async runOnce(): Promise<{ warned: number; expired: number }> {
    const { store, config } = this.options;
    const now = nowOf(this.options);
    const horizon = renewalWindowDays(config.discoverWarnDaysBefore);
    let warned = 0;
    let expired = 0;
    let after: { expiresAt: string; entityRef: string } | undefined;
    for (;;) {
      const candidates = await store.listExpiryCandidates({
        now,
        warnUntil: new Date(now.getTime() + horizon * DAY_MS),
        limit: EXPIRY_PAGE,
        after,
      });
      for (const candidate of candidates) {
        if (await this.attempt(candidate, () => this.warn(candidate, now))) {
          warned++;
        }
      }
      for (const candidate of candidates) {
        if (await this.attempt(candidate, () => this.expire(candidate, now))) {
          expired++;
        }
      }
      if (candidates.length < EXPIRY_PAGE) break;
      const last = candidates[candidates.length - 1].app;
      after = { expiresAt: last.expiresAt!, entityRef: last.entityRef };
    }
    return { warned, expired };
  }

  /** Renews a Discover app for another period; its owners may. */
  async renew(
    ref: AppRef,
    credentials: BackstageCredentials,
  ): Promise<AppState> {
    const { directory, guard, changes, config, apps } = this.options;
    const user = userOf(credentials);
    await directory.getVisibleApp(ref, credentials);
    const entityRef = appEntityRef(ref);
    await guard.requireFor(promotionRequestPermission, entityRef, credentials);
    await changes.run(entityRef, async tx => {
      const now = nowOf(this.options);
      const renewal = renewalOf(tx.app, now, {
        expiresAfterDays: config.discoverExpiresAfterDays,
        windowDays: renewalWindowDays(config.discoverWarnDaysBefore),
      });
      if (!renewal.allowed) {
        throw new ConflictError(
          `'${entityRef}' cannot be renewed: ${renewal.reason}`,
        );
      }
      const expiresAt = new Date(
        now.getTime() + config.discoverExpiresAfterDays * DAY_MS,
      ).toISOString();
      await tx.renew({
        expiresAt,
        renewedAt: now.toISOString(),
        renewedBy: user,
      });
      const entry = await tx.appendAudit({
        actor: user,
        action: 'app.renewed',
        entityRef,
        data: {
          expiresAt,
          previousExpiresAt: tx.app.expiresAt ?? null,
          wasExpired: isExpired(tx.app, now),
        },
      });
      return {
        result: undefined,
        audit: [entry],
        notices: [
          {
            to: [entityRef],
            exclude: [user],
            title: 'Discover app renewed',
            description: `${entityRef} was renewed by ${user}; it now expires on ${day(
              expiresAt,
            )}.`,
            link: governanceLink(entityRef),
          },
        ],
        refresh: [entityRef],
      };
    });
    return apps.getApp(ref, credentials);
  }

  /** The warning due now: the nearest one whose day has come, unless it was sent. */
  private dueWarning(
    candidate: ExpiryCandidate,
    now: Date,
  ): number | undefined {
    const { expiresAt } = candidate.app;
    if (!expiresAt) return undefined;
    const left = new Date(expiresAt).getTime() - now.getTime();
    if (left <= 0) return undefined;
    // a job that was down sends only the nearest missed warning, not every older one
    const due = this.options.config.discoverWarnDaysBefore.filter(
      d => d * DAY_MS >= left,
    );
    if (!due.length) return undefined;
    const nearest = Math.min(...due);
    return candidate.warnedDays.includes(nearest) ? undefined : nearest;
  }

  private async warn(candidate: ExpiryCandidate, now: Date): Promise<boolean> {
    const daysBefore = this.dueWarning(candidate, now);
    if (daysBefore === undefined) return false;
    const { entityRef } = candidate.app;
    return this.options.changes.run(entityRef, async tx => {
      const { expiresAt } = tx.app;
      // decided on a list read before the lock: check the app did not change since
      if (
        !expiresAt ||
        expiresAt !== candidate.app.expiresAt ||
        tx.app.effectiveTier !== 'discover' ||
        isExpired(tx.app, now)
      ) {
        return { result: false, audit: [] };
      }
      const sentAt = now.toISOString();
      if (!(await tx.recordExpiryWarning({ expiresAt, daysBefore, sentAt }))) {
        return { result: false, audit: [] };
      }
      const entry = await tx.appendAudit({
        actor: ACTOR,
        action: 'app.expiry-warned',
        entityRef,
        data: { expiresAt, daysBefore },
      });
      return {
        result: true,
        audit: [entry],
        notices: [
          {
            to: [entityRef],
            title: `Discover app expires in ${daysBefore} day${
              daysBefore === 1 ? '' : 's'
            }`,
            description: `${entityRef} expires on ${day(
              expiresAt,
            )} and is then hidden from the marketplace. Renew it, or request a promotion, to keep it listed.`,
            link: governanceLink(entityRef),
            severity: daysBefore <= 1 ? 'high' : 'normal',
          },
        ],
      };
    });
  }

  private async expire(
    candidate: ExpiryCandidate,
    now: Date,
  ): Promise<boolean> {
    if (!isExpired(candidate.app, now)) return false;
    const { entityRef } = candidate.app;
    return this.options.changes.run(entityRef, async tx => {
      // a renewal or promotion may have come first
      if (!isExpired(tx.app, now) || tx.app.expiredAt) {
        return { result: false, audit: [] };
      }
      await tx.markExpired(now.toISOString());
      const entry = await tx.appendAudit({
        actor: ACTOR,
        action: 'app.expired',
        entityRef,
        data: { expiresAt: tx.app.expiresAt ?? null },
      });
      return {
        result: true,
        audit: [entry],
        notices: [
          {
            to: [entityRef],
            title: 'Discover app expired',
            description: `${entityRef} expired on ${day(
              tx.app.expiresAt!,
            )} and is hidden from the marketplace. Its owners may renew it.`,
            link: governanceLink(entityRef),
            severity: 'high',
          },
        ],
        refresh: [entityRef],
      };
    });
  }

  /** One app's failure is logged and never stops the run for the others. */
  private async attempt(
    candidate: ExpiryCandidate,
    fn: () => Promise<boolean>,
  ): Promise<boolean> {
    try {
      return await fn();
    } catch (error) {
      this.options.logger.error(
        `Discover expiry of '${candidate.app.entityRef}' failed: ${error}`,
        { entityRef: candidate.app.entityRef },
      );
      return false;
    }
  }
}
