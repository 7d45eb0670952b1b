import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  compareTiers,
  exceptionGrantPermission,
  GateException,
  getTier,
  TierId,
} from '@microapps/plugin-marketplace-common';
import { userOf } from '../actorOf';
import {
  AppRef,
  appEntityRef,
  governanceLink,
  ownersOf,
} from '../AppDirectory';
import type { PromotionService } from './PromotionService';
import { groupBy } from '../groupBy';
import { nowOf, type WorkflowDeps } from './WorkflowDeps';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Exceptions for one finding of one gate: granting them, and recording their lapse. */
export class ExceptionService {
  constructor(
    private readonly options: WorkflowDeps & { promotions: PromotionService },
  ) {}

  private now() {
    return nowOf(this.options);
  }

  async list(
    ref: AppRef,
    credentials: BackstageCredentials,
  ): Promise<{ items: GateException[] }> {
    await this.options.directory.getVisibleApp(ref, credentials);
    const entityRef = appEntityRef(ref);
    const items = await this.options.store.listExceptions([entityRef]);
    return { items };
  }

  async grant(
    ref: AppRef,
    body: {
      gateId: string;
      findingId: string;
      reason: string;
      expiresAt: string;
    },
    credentials: BackstageCredentials,
  ): Promise<GateException> {
    const { directory, guard, membership, changes, config, promotions } =
      this.options;
    const granter = userOf(credentials);
    const entity = await directory.getVisibleApp(ref, credentials);
    const entityRef = appEntityRef(ref);
    await guard.requireFor(exceptionGrantPermission, entityRef, credentials);
    const claims = await membership.getClaims(granter);
    const granters = config.reviewers[config.exceptionGranterStage] ?? [];
    if (!claims.some(c => granters.includes(c))) {
      throw new NotAllowedError(
        `Only ${config.exceptionGranterStage} reviewers may grant exceptions`,
      );
    }
    if (claims.some(c => ownersOf(entity).includes(c))) {
      throw new NotAllowedError(
        'An owner of the app may not grant it an exception',
      );
    }
    if (!body.reason.trim()) {
      throw new InputError('reason must not be empty');
    }
    const now = this.now();
    const expiresAt = new Date(body.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) {
      throw new InputError('expiresAt must be a date-time');
    }
    if (expiresAt.getTime() <= now.getTime()) {
      throw new InputError('expiresAt must be in the future');
    }

    const exception = await changes.run(entityRef, async tx => {
      const active = await tx.getActivePromotion();
      // an exception is needed for the tier it helps reach
      const tier: TierId =
        active && compareTiers(active.targetTier, tx.app.effectiveTier) > 0
          ? active.targetTier
          : tx.app.effectiveTier;
      const maxDays = config.exceptionMaxDays[tier];
      if (expiresAt.getTime() > now.getTime() + maxDays * DAY_MS) {
        throw new InputError(
          `expiresAt is more than ${maxDays} days ahead, the longest an exception may run at ${
            getTier(tier).title
          }`,
        );
      }
      const run = await tx.getLatestGateRun();
      const result = run?.results.find(r => r.gateId === body.gateId);
      if (!result) {
        throw new InputError(
          `gateId '${body.gateId}' has no result in the app's latest evaluation`,
        );
      }
      if (!result.findings.some(f => f.id === body.findingId)) {
        throw new InputError(
          `findingId '${body.findingId}' is not a finding of gate '${body.gateId}' in the latest evaluation`,
        );
      }
      const existing = (await tx.listExceptions()).find(
        e =>
          e.status === 'active' &&
          e.gateId === body.gateId &&
          e.findingId === body.findingId,
      );
      if (existing) {
        throw new ConflictError(
          `Exception '${existing.id}' already covers this finding until ${existing.expiresAt}`,
        );
      }
      const created: GateException = {
        id: randomUUID(),
        entityRef,
        gateId: body.gateId,
        findingId: body.findingId,
        reason: body.reason,
        expiresAt: expiresAt.toISOString(),
        grantedBy: granter,
        grantedAt: now.toISOString(),
        status: 'active',
      };
      await tx.insertException(created);
      const entry = await tx.appendAudit({
        actor: granter,
        action: 'exception.granted',
        entityRef,
        data: {
          exceptionId: created.id,
          gateId: created.gateId,
          findingId: created.findingId,
          reason: created.reason,
          expiresAt: created.expiresAt,
        },
      });
      return {
        result: created,
        audit: [entry],
        notices: [
          {
            to: [entityRef],
            title: `Exception granted for ${body.gateId}`,
            description: `${body.findingId} is excepted until ${created.expiresAt}: ${body.reason}`,
            link: governanceLink(entityRef),
          },
        ],
        refresh: [entityRef],
      };
    });
    await promotions.advanceApp(entityRef, granter);
    return exception;
  }

  /** Records every exception that expired since the last call; returns how many. */
  async recordLapses(): Promise<number> {
    const { store, changes } = this.options;
    const now = this.now();
    const lapsed = await store.listUnrecordedLapses(now);
    const byApp = groupBy(lapsed, e => e.entityRef);
    for (const [entityRef, exceptions] of byApp) {
      await changes.run(entityRef, async tx => {
        await tx.markExceptions(
          exceptions.map(e => e.id),
          { lapsedAt: now.toISOString() },
        );
        const audit = [];
        for (const e of exceptions) {
          audit.push(
            await tx.appendAudit({
              actor: 'plugin:marketplace',
              action: 'exception.lapsed',
              entityRef,
              data: {
                exceptionId: e.id,
                gateId: e.gateId,
                findingId: e.findingId,
                expiresAt: e.expiresAt,
              },
            }),
          );
        }
        return {
          result: undefined,
          audit,
          notices: [
            {
              to: [entityRef],
              title: `${exceptions.length} exception${
                exceptions.length === 1 ? '' : 's'
              } lapsed`,
              description: exceptions
                .map(e => `${e.gateId}: ${e.findingId}`)
                .join('; '),
              link: governanceLink(entityRef),
              severity: 'high',
            },
          ],
          // the findings block again: the catalog labels must say so
          refresh: [entityRef],
        };
      });
    }
    return lapsed.length;
  }

  /** Tells owners once about exceptions that lapse within the configured days. */
  async warnExpiring(): Promise<number> {
    const { store, changes, config } = this.options;
    const now = this.now();
    const expiring = await store.listUnwarnedExpiring(
      now,
      new Date(now.getTime() + config.exceptionWarnDays * DAY_MS),
    );
    for (const [entityRef, exceptions] of groupBy(expiring, e => e.entityRef)) {
      await changes.run(entityRef, async tx => {
        await tx.markExceptions(
          exceptions.map(e => e.id),
          { warnedAt: now.toISOString() },
        );
        const entry = await tx.appendAudit({
          actor: 'plugin:marketplace',
          action: 'exception.expiry-warned',
          entityRef,
          data: { exceptionIds: exceptions.map(e => e.id) },
        });
        return {
          result: undefined,
          audit: [entry],
          notices: [
            {
              to: [entityRef],
              title: 'Exceptions lapse soon',
              description: exceptions
                .map(e => `${e.gateId}: ${e.findingId} on ${e.expiresAt}`)
                .join('; '),
              link: governanceLink(entityRef),
            },
          ],
        };
      });
    }
    return expiring.length;
  }
}
