import { randomUUID } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import type {
  AuditEntry,
  GateException,
  GateRun,
} from '@microapps/plugin-marketplace-common';
import { GENESIS_HASH, hashAuditEntry, sha256Hex } from '../audit/auditHash';
import { verifyStoredChain } from '../audit/AuditService';
import { createTestStore, gateRun } from '../__testUtils__/testStore';
import type { PromotionRecord } from './MarketplaceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Mixed case on purpose: refs are stored and compared in lower case. */
const APP = 'MicroApp:default/Expense-Helper';
const APP_LC = 'microapp:default/expense-helper';
const OTHER = 'microapp:default/other-app';

const promotion = (
  overrides: Partial<PromotionRecord> = {},
): PromotionRecord => ({
  id: randomUUID(),
  entityRef: APP,
  fromTier: 'discover',
  targetTier: 'vetted',
  status: 'open',
  revision: 1,
  submitter: 'user:default/sam',
  stageIds: ['automated', 'security', 'compliance', 'cost'],
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  ...overrides,
});

const exception = (overrides: Partial<GateException> = {}): GateException => ({
  id: randomUUID(),
  entityRef: APP,
  gateId: 'vulnerabilities',
  findingId: 'GHSA-1:npm/lodash',
  reason: 'no fix available yet',
  expiresAt: '2030-01-01T00:00:00.000Z',
  grantedBy: 'user:default/security-lead',
  grantedAt: '2026-11-28T10:00:00.000Z',
  status: 'active',
  ...overrides,
});

const run = (overrides: Partial<GateRun> = {}): GateRun =>
  gateRun({ entityRef: APP, tier: 'vetted', ...overrides });

class Boom extends Error {}

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(databases.eachSupportedId())(
  'DatabaseMarketplaceStore workflow on %s',
  databaseId => {
    const createStore = () => createTestStore(databases, databaseId);

    describe('inAppTransaction', () => {
      it('creates the app in Discover when first seen, with its ref in lower case', async () => {
        const { store } = await createStore();
        expect((await store.getApps([APP])).size).toBe(0);
        const app = await store.inAppTransaction(APP, async tx => tx.app);
        expect(app).toMatchObject({
          entityRef: APP_LC,
          effectiveTier: 'discover',
          requestedTier: 'discover',
          gateStatus: 'pass',
        });
        expect(app.latestRunId).toBeUndefined();
        expect(app.tierChangedAt).toBeUndefined();
        expect(new Date(app.firstSeenAt).toISOString()).toBe(app.firstSeenAt);
        const apps = await store.getApps([APP_LC]);
        expect([...apps.keys()]).toEqual([APP_LC]);
        expect(apps.get(APP_LC)).toEqual(app);
      });

      it('keeps an existing app as it is, including its gate run', async () => {
        const { store } = await createStore();
        const { id } = await store.recordGateRun(run(), 'plugin:catalog');
        const seen = await store.inAppTransaction(APP_LC, async tx => ({
          app: tx.app,
          latest: await tx.getLatestGateRun(),
        }));
        expect(seen.app).toMatchObject({
          entityRef: APP_LC,
          effectiveTier: 'discover',
          requestedTier: 'vetted',
          gateStatus: 'warn',
          latestRunId: id,
        });
        expect(seen.latest).toEqual({ ...run(), id, entityRef: APP_LC });
        // an app without runs has no latest run
        expect(
          await store.inAppTransaction(OTHER, tx => tx.getLatestGateRun()),
        ).toBeUndefined();
      });

      it('persists the effective tier', async () => {
        const { store } = await createStore();
        await store.inAppTransaction(APP, tx =>
          tx.setEffectiveTier('vetted', '2026-11-29T08:30:00.000Z'),
        );
        const app = (await store.getApps([APP])).get(APP_LC);
        expect(app).toMatchObject({
          effectiveTier: 'vetted',
          tierChangedAt: '2026-11-29T08:30:00.000Z',
        });
        // the next transaction sees it
        expect(
          await store.inAppTransaction(APP, async tx => tx.app.effectiveTier),
        ).toBe('vetted');
        // and other apps are untouched
        await store.inAppTransaction(OTHER, async () => undefined);
        expect((await store.getApps([OTHER])).get(OTHER)?.effectiveTier).toBe(
          'discover',
        );
      });

      it('returns what the callback returns', async () => {
        const { store } = await createStore();
        await expect(
          store.inAppTransaction(APP, async () => ({ answer: 42 })),
        ).resolves.toEqual({ answer: 42 });
      });

      it('rolls back everything written in a failing callback, including the audit entry and the new app row', async () => {
        const { store } = await createStore();
        // some history to compare with
        await store.inAppTransaction(OTHER, tx =>
          tx.appendAudit({
            actor: 'user:default/sam',
            action: 'test.before',
            entityRef: OTHER,
            data: {},
          }),
        );
        const headBefore = await store.getAuditHead();
        const auditBefore = await store.listAudit({ limit: 100 });
        expect(headBefore.seq).toBe(1);

        const p = promotion();
        const e = exception();
        let appended: unknown;
        await expect(
          store.inAppTransaction(APP, async tx => {
            await tx.insertPromotion(p);
            await tx.setEffectiveTier('enterprise', '2026-11-29T00:00:00.000Z');
            await tx.insertException(e);
            appended = await tx.appendAudit({
              actor: 'user:default/sam',
              action: 'promotion.created',
              entityRef: APP,
              data: { promotionId: p.id },
            });
            // seen inside the transaction
            expect(await tx.getActivePromotion()).toMatchObject({ id: p.id });
            throw new Boom('callback failed');
          }),
        ).rejects.toBeInstanceOf(Boom);
        expect(appended).toMatchObject({ seq: 2 });

        expect(await store.getAuditHead()).toEqual(headBefore);
        expect(await store.listAudit({ limit: 100 })).toEqual(auditBefore);
        expect(await store.getPromotion(p.id)).toBeUndefined();
        expect((await store.getActivePromotions([APP])).size).toBe(0);
        expect(await store.listExceptions([APP])).toEqual([]);
        // the app row created by the failed transaction is gone too
        expect((await store.getApps([APP])).size).toBe(0);
        await expect(verifyStoredChain(store)).resolves.toMatchObject({
          ok: true,
          checked: 1,
        });

        // the next entry continues the chain where it stood
        const next = await store.inAppTransaction(APP, tx =>
          tx.appendAudit({
            actor: 'user:default/sam',
            action: 'test.after',
            entityRef: APP,
            data: {},
          }),
        );
        expect(next.seq).toBe(2);
        expect(next.prevHash).toBe(headBefore.hash);
      });

      it('rolls back a tier change of an existing app', async () => {
        const { store } = await createStore();
        await store.inAppTransaction(APP, tx =>
          tx.setEffectiveTier('vetted', '2026-11-29T00:00:00.000Z'),
        );
        await expect(
          store.inAppTransaction(APP, async tx => {
            await tx.setEffectiveTier('enterprise', '2026-11-30T00:00:00.000Z');
            throw new Boom();
          }),
        ).rejects.toBeInstanceOf(Boom);
        expect((await store.getApps([APP])).get(APP_LC)).toMatchObject({
          effectiveTier: 'vetted',
          tierChangedAt: '2026-11-29T00:00:00.000Z',
        });
      });
    });

    describe('promotions', () => {
      it('stores a promotion, finds it as active and updates it', async () => {
        const { store } = await createStore();
        const p = promotion({ comment: 'please' });
        await store.inAppTransaction(APP, tx => tx.insertPromotion(p));

        const stored = { ...p, entityRef: APP_LC };
        expect(await store.getPromotion(p.id)).toEqual(stored);
        expect(
          await store.inAppTransaction(APP, tx => tx.getActivePromotion()),
        ).toEqual(stored);
        expect(
          await store.inAppTransaction(APP, tx => tx.getPromotion(p.id)),
        ).toEqual(stored);
        // another app's transaction does not see it
        expect(
          await store.inAppTransaction(OTHER, tx => tx.getPromotion(p.id)),
        ).toBeUndefined();
        expect(
          await store.inAppTransaction(OTHER, tx => tx.getActivePromotion()),
        ).toBeUndefined();
        expect(await store.getPromotion('no-such-id')).toBeUndefined();

        await store.inAppTransaction(APP, tx =>
          tx.updatePromotion(p.id, {
            status: 'rejected',
            revision: 2,
            stageIds: ['automated', 'security'],
            updatedAt: '2026-11-29T10:00:00.000Z',
            decidedAt: '2026-11-29T10:00:00.000Z',
          }),
        );
        const updated = await store.getPromotion(p.id);
        expect(updated).toEqual({
          ...stored,
          status: 'rejected',
          revision: 2,
          stageIds: ['automated', 'security'],
          updatedAt: '2026-11-29T10:00:00.000Z',
          decidedAt: '2026-11-29T10:00:00.000Z',
        });
        // a rejected (returned) promotion is still the active one
        expect(
          await store.inAppTransaction(APP, tx => tx.getActivePromotion()),
        ).toEqual(updated);

        // the comment can be replaced and cleared
        await store.inAppTransaction(APP, tx =>
          tx.updatePromotion(p.id, { comment: 'second try' }),
        );
        expect((await store.getPromotion(p.id))?.comment).toBe('second try');
        await store.inAppTransaction(APP, tx =>
          tx.updatePromotion(p.id, { comment: undefined }),
        );
        const cleared = await store.getPromotion(p.id);
        expect(cleared).not.toHaveProperty('comment');
        expect(cleared?.revision).toBe(2);

        await store.inAppTransaction(APP, tx =>
          tx.updatePromotion(p.id, { status: 'withdrawn' }),
        );
        expect(
          await store.inAppTransaction(APP, tx => tx.getActivePromotion()),
        ).toBeUndefined();
      });

      it('lists promotions by status, entity ref (any case) and submitter, newest first', async () => {
        const { store } = await createStore();
        const a1 = promotion({
          status: 'approved',
          updatedAt: '2026-11-01T00:00:00.000Z',
          decidedAt: '2026-11-01T00:00:00.000Z',
        });
        const a2 = promotion({
          status: 'open',
          targetTier: 'enterprise',
          fromTier: 'vetted',
          submitter: 'user:default/alex',
          updatedAt: '2026-11-03T00:00:00.000Z',
        });
        const o1 = promotion({
          entityRef: OTHER,
          status: 'rejected',
          updatedAt: '2026-11-02T00:00:00.000Z',
        });
        const o2 = promotion({
          entityRef: OTHER,
          status: 'withdrawn',
          submitter: 'user:default/alex',
          updatedAt: '2026-10-01T00:00:00.000Z',
        });
        await store.inAppTransaction(APP, async tx => {
          await tx.insertPromotion(a1);
          await tx.insertPromotion(a2);
        });
        await store.inAppTransaction(OTHER, async tx => {
          await tx.insertPromotion(o1);
          await tx.insertPromotion(o2);
        });
        const ids = (list: PromotionRecord[]) => list.map(p => p.id);

        expect(ids(await store.listPromotions({}))).toEqual([
          a2.id,
          o1.id,
          a1.id,
          o2.id,
        ]);
        expect(
          ids(await store.listPromotions({ statuses: ['open', 'rejected'] })),
        ).toEqual([a2.id, o1.id]);
        expect(
          ids(await store.listPromotions({ statuses: ['withdrawn'] })),
        ).toEqual([o2.id]);
        expect(ids(await store.listPromotions({ statuses: [] }))).toEqual([]);
        expect(
          ids(
            await store.listPromotions({
              entityRef: 'MICROAPP:DEFAULT/EXPENSE-HELPER',
            }),
          ),
        ).toEqual([a2.id, a1.id]);
        expect(
          ids(await store.listPromotions({ submitter: 'user:default/alex' })),
        ).toEqual([a2.id, o2.id]);
        expect(
          ids(
            await store.listPromotions({
              submitter: 'user:default/alex',
              entityRef: OTHER,
              statuses: ['withdrawn', 'approved'],
            }),
          ),
        ).toEqual([o2.id]);
        expect(ids(await store.listPromotions({ limit: 2 }))).toEqual([
          a2.id,
          o1.id,
        ]);
        expect(
          await store.listPromotions({ entityRef: 'microapp:default/none' }),
        ).toEqual([]);
        expect((await store.listPromotions({ statuses: ['open'] }))[0]).toEqual(
          { ...a2, entityRef: APP_LC },
        );
      });

      it('returns the active promotion of each app, by lower-case ref', async () => {
        const { store } = await createStore();
        const a = promotion({ status: 'rejected', revision: 3 });
        const done = promotion({ status: 'approved' });
        const o = promotion({ entityRef: OTHER });
        const gone = promotion({
          entityRef: 'microapp:default/third',
          status: 'withdrawn',
        });
        await store.inAppTransaction(APP, async tx => {
          await tx.insertPromotion(done);
          await tx.insertPromotion(a);
        });
        await store.inAppTransaction(OTHER, tx => tx.insertPromotion(o));
        await store.inAppTransaction(gone.entityRef, tx =>
          tx.insertPromotion(gone),
        );

        const active = await store.getActivePromotions([
          APP,
          'MicroApp:default/Other-App',
          gone.entityRef,
          'microapp:default/none',
        ]);
        expect([...active.keys()].sort()).toEqual([APP_LC, OTHER]);
        expect(active.get(APP_LC)).toEqual({ ...a, entityRef: APP_LC });
        expect(active.get(OTHER)?.id).toBe(o.id);
        expect((await store.getActivePromotions([])).size).toBe(0);

        // more refs than fit in one query
        const many = Array.from(
          { length: 1200 },
          (_, i) => `microapp:default/filler-${i}`,
        );
        const all = await store.getActivePromotions([...many, OTHER, APP]);
        expect([...all.keys()].sort()).toEqual([APP_LC, OTHER]);
      });

      it('refuses a second active promotion of an app through the unique index, even in a fresh transaction', async () => {
        const { store } = await createStore();
        const first = promotion();
        await store.inAppTransaction(APP, tx => tx.insertPromotion(first));
        const headBefore = await store.getAuditHead();

        // no check in code: the index refuses it, and the whole transaction is undone
        await expect(
          store.inAppTransaction(APP, async tx => {
            await tx.appendAudit({
              actor: 'user:default/sam',
              action: 'promotion.created',
              entityRef: APP,
              data: {},
            });
            await tx.insertPromotion(
              promotion({ targetTier: 'enterprise', entityRef: APP_LC }),
            );
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getAuditHead()).toEqual(headBefore);
        expect(await store.listPromotions({ entityRef: APP })).toHaveLength(1);

        // a returned (rejected) promotion blocks as well
        await store.inAppTransaction(APP, tx =>
          tx.updatePromotion(first.id, { status: 'rejected' }),
        );
        await expect(
          store.inAppTransaction(APP, tx => tx.insertPromotion(promotion())),
        ).rejects.toBeInstanceOf(ConflictError);

        // other apps are not affected
        await store.inAppTransaction(OTHER, tx =>
          tx.insertPromotion(promotion({ entityRef: OTHER })),
        );

        // a withdrawn one no longer blocks
        await store.inAppTransaction(APP, tx =>
          tx.updatePromotion(first.id, { status: 'withdrawn' }),
        );
        const second = promotion({ revision: 1 });
        await store.inAppTransaction(APP, tx => tx.insertPromotion(second));
        // and neither does an approved one
        await store.inAppTransaction(APP, tx =>
          tx.updatePromotion(second.id, {
            status: 'approved',
            decidedAt: '2026-11-30T00:00:00.000Z',
          }),
        );
        const third = promotion({
          fromTier: 'vetted',
          targetTier: 'enterprise',
        });
        await store.inAppTransaction(APP, tx => tx.insertPromotion(third));

        expect(
          (await store.listPromotions({ entityRef: APP }))
            .map(p => `${p.id}:${p.status}`)
            .sort(),
        ).toEqual(
          [
            `${first.id}:withdrawn`,
            `${second.id}:approved`,
            `${third.id}:open`,
          ].sort(),
        );
        expect((await store.getActivePromotions([APP])).get(APP_LC)?.id).toBe(
          third.id,
        );
        // a promotion cannot be re-opened while another one is active
        await expect(
          store.inAppTransaction(APP, tx =>
            tx.updatePromotion(first.id, { status: 'open' }),
          ),
        ).rejects.toThrow();
      });

      it('refuses a promotion with the id of an existing one', async () => {
        const { store } = await createStore();
        const p = promotion({ status: 'approved' });
        await store.inAppTransaction(APP, tx => tx.insertPromotion(p));
        await expect(
          store.inAppTransaction(APP, tx =>
            tx.insertPromotion({ ...p, status: 'withdrawn' }),
          ),
        ).rejects.toBeInstanceOf(ConflictError);
      });
    });

    describe('sign-offs', () => {
      async function withPromotion() {
        const ctx = await createStore();
        const p = promotion();
        await ctx.store.inAppTransaction(APP, tx => tx.insertPromotion(p));
        return { ...ctx, p };
      }

      it('stores a sign-off and returns it as stored', async () => {
        const { store, p } = await withPromotion();
        const input = {
          promotionId: p.id,
          revision: 1,
          stage: 'security',
          decision: 'approve' as const,
          comment: 'looks fine',
          reviewer: 'user:default/security-lead',
          createdAt: '2026-11-28T11:00:00.000Z',
        };
        const { returned, listed } = await store.inAppTransaction(
          APP,
          async tx => {
            const signoff = await tx.insertSignoff(input);
            return { returned: signoff, listed: await tx.listSignoffs(p.id) };
          },
        );
        const { promotionId: _, ...expected } = input;
        expect(returned).toEqual({ ...expected, id: expect.any(String) });
        expect(returned.id).not.toBe('');
        expect(listed).toEqual([returned]);
        expect(await store.listSignoffs([p.id])).toEqual([
          { ...returned, promotionId: p.id },
        ]);
      });

      it('refuses a second decision on the same stage and revision, and accepts it in the next revision', async () => {
        const { store, p } = await withPromotion();
        const base = {
          promotionId: p.id,
          revision: 1,
          stage: 'security',
          comment: '',
          reviewer: 'user:default/security-lead',
          createdAt: '2026-11-28T11:00:00.000Z',
        };
        const first = await store.inAppTransaction(APP, tx =>
          tx.insertSignoff({ ...base, decision: 'reject' }),
        );
        const headBefore = await store.getAuditHead();

        const conflict = store.inAppTransaction(APP, async tx => {
          await tx.appendAudit({
            actor: base.reviewer,
            action: 'signoff.recorded',
            entityRef: APP,
            data: {},
          });
          return tx.insertSignoff({
            ...base,
            decision: 'approve',
            reviewer: 'user:default/someone-else',
            createdAt: '2026-11-28T12:00:00.000Z',
          });
        });
        await expect(conflict).rejects.toBeInstanceOf(ConflictError);
        await expect(conflict).rejects.toThrow(/security.*revision 1/);
        expect(await store.getAuditHead()).toEqual(headBefore);

        // another stage of the same revision is fine
        const compliance = await store.inAppTransaction(APP, tx =>
          tx.insertSignoff({
            ...base,
            stage: 'compliance',
            decision: 'approve',
          }),
        );
        // the same stage in the next revision is accepted
        const again = await store.inAppTransaction(APP, tx =>
          tx.insertSignoff({
            ...base,
            revision: 2,
            decision: 'approve',
            createdAt: '2026-11-29T11:00:00.000Z',
          }),
        );
        expect(again).toMatchObject({ revision: 2, decision: 'approve' });
        expect(new Set([first.id, compliance.id, again.id]).size).toBe(3);

        const listed = await store.listSignoffs([p.id]);
        expect(listed.map(s => [s.stage, s.revision, s.decision])).toEqual([
          ['security', 1, 'reject'],
          ['compliance', 1, 'approve'],
          ['security', 2, 'approve'],
        ]);
        expect(listed.every(s => s.promotionId === p.id)).toBe(true);
      });

      it('lists the sign-offs of several promotions with their promotion id', async () => {
        const { store, p } = await withPromotion();
        const q = promotion({ entityRef: OTHER });
        const r = promotion({ entityRef: 'microapp:default/third' });
        await store.inAppTransaction(OTHER, tx => tx.insertPromotion(q));
        await store.inAppTransaction(r.entityRef, tx => tx.insertPromotion(r));
        const sign = (promotionId: string, ref: string, stage: string) =>
          store.inAppTransaction(ref, tx =>
            tx.insertSignoff({
              promotionId,
              revision: 1,
              stage,
              decision: 'approve',
              comment: stage,
              reviewer: 'user:default/reviewer',
              createdAt: '2026-11-28T11:00:00.000Z',
            }),
          );
        await sign(p.id, APP, 'security');
        await sign(q.id, OTHER, 'security');
        await sign(p.id, APP, 'cost');
        await sign(r.id, r.entityRef, 'security');

        const listed = await store.listSignoffs([p.id, q.id]);
        expect(listed.map(s => [s.promotionId, s.stage])).toEqual([
          [p.id, 'security'],
          [q.id, 'security'],
          [p.id, 'cost'],
        ]);
        expect(await store.listSignoffs([])).toEqual([]);
        expect(await store.listSignoffs(['no-such-id'])).toEqual([]);
        expect(
          await store.inAppTransaction(OTHER, tx => tx.listSignoffs(q.id)),
        ).toHaveLength(1);
      });
    });

    describe('exceptions', () => {
      it('lists all exceptions or only the valid ones, with their status computed from the expiry', async () => {
        const { store } = await createStore();
        const now = Date.now();
        const expired = exception({
          expiresAt: iso(now - 60 * 60_000),
          grantedAt: iso(now - 10 * 86_400_000),
        });
        const valid = exception({
          findingId: 'GHSA-2:npm/minimist',
          expiresAt: iso(now + 30 * 86_400_000),
          grantedAt: iso(now - 5 * 86_400_000),
        });
        const otherApp = exception({
          entityRef: OTHER,
          expiresAt: iso(now + 86_400_000),
          grantedAt: iso(now - 86_400_000),
        });
        await store.inAppTransaction(APP, async tx => {
          await tx.insertException(valid);
          await tx.insertException(expired);
        });
        await store.inAppTransaction(OTHER, tx => tx.insertException(otherApp));

        const all = await store.listExceptions([APP]);
        expect(all).toEqual([
          { ...expired, entityRef: APP_LC, status: 'lapsed' },
          { ...valid, entityRef: APP_LC, status: 'active' },
        ]);
        expect(
          await store.inAppTransaction(APP, tx => tx.listExceptions()),
        ).toEqual(all);

        const validNow = await store.listExceptions(
          ['MICROAPP:default/expense-helper', OTHER],
          { validAt: new Date(now) },
        );
        expect(validNow.map(e => e.id).sort()).toEqual(
          [valid.id, otherApp.id].sort(),
        );
        expect(validNow.every(e => e.status === 'active')).toBe(true);

        // in the past, both were valid; after the long one, none is
        expect(
          await store.listExceptions([APP], {
            validAt: new Date(now - 2 * 60 * 60_000),
          }),
        ).toHaveLength(2);
        expect(
          await store.listExceptions([APP, OTHER], {
            validAt: new Date(now + 31 * 86_400_000),
          }),
        ).toEqual([]);
        expect(await store.listExceptions([])).toEqual([]);
      });

      it('treats an exception as expired at its expiry time', async () => {
        const { store } = await createStore();
        const at = new Date('2026-12-01T00:00:00.000Z');
        const e = exception({ expiresAt: at.toISOString() });
        await store.inAppTransaction(APP, tx => tx.insertException(e));

        expect(await store.listExceptions([APP], { validAt: at })).toEqual([]);
        expect(
          await store.listExceptions([APP], {
            validAt: new Date(at.getTime() - 1),
          }),
        ).toHaveLength(1);
        expect((await store.listUnrecordedLapses(at)).map(x => x.id)).toEqual([
          e.id,
        ]);
        expect(
          await store.listUnrecordedLapses(new Date(at.getTime() - 1)),
        ).toEqual([]);
        expect(
          await store.listUnwarnedExpiring(at, new Date(at.getTime() + 1000)),
        ).toEqual([]);
        expect(
          (
            await store.listUnwarnedExpiring(new Date(at.getTime() - 1), at)
          ).map(x => x.id),
        ).toEqual([e.id]);
      });

      it('leaves revoked exceptions out of the valid ones and the lapse and warning lists', async () => {
        const { store, knex } = await createStore();
        const now = new Date('2026-12-01T00:00:00.000Z');
        const soon = exception({ expiresAt: '2026-12-02T00:00:00.000Z' });
        const lapsed = exception({ expiresAt: '2026-11-30T00:00:00.000Z' });
        await store.inAppTransaction(APP, async tx => {
          await tx.insertException(soon);
          await tx.insertException(lapsed);
        });
        await knex('exceptions')
          .whereIn('id', [soon.id, lapsed.id])
          .update({
            revoked_at: new Date('2026-11-29T00:00:00.000Z'),
            revoked_by: 'user:default/security-lead',
          });
        expect(await store.listExceptions([APP], { validAt: now })).toEqual([]);
        expect(await store.listUnrecordedLapses(now)).toEqual([]);
        expect(
          await store.listUnwarnedExpiring(
            now,
            new Date('2026-12-10T00:00:00.000Z'),
          ),
        ).toEqual([]);
        const all = await store.listExceptions([APP]);
        expect(all).toHaveLength(2);
        for (const e of all) {
          expect(e).toMatchObject({
            status: 'revoked',
            revokedAt: '2026-11-29T00:00:00.000Z',
            revokedBy: 'user:default/security-lead',
          });
        }
      });

      it('lists unrecorded lapses until they are marked', async () => {
        const { store } = await createStore();
        const now = new Date('2026-12-01T00:00:00.000Z');
        const a = exception({ expiresAt: '2026-11-30T00:00:00.000Z' });
        const b = exception({
          findingId: 'f2',
          expiresAt: '2026-11-29T00:00:00.000Z',
        });
        const future = exception({
          findingId: 'f3',
          expiresAt: '2026-12-05T00:00:00.000Z',
        });
        const o = exception({
          entityRef: OTHER,
          expiresAt: '2026-11-28T12:00:00.000Z',
        });
        await store.inAppTransaction(APP, async tx => {
          await tx.insertException(a);
          await tx.insertException(b);
          await tx.insertException(future);
        });
        await store.inAppTransaction(OTHER, tx => tx.insertException(o));

        const lapses = await store.listUnrecordedLapses(now);
        // oldest expiry first, status computed at `now`
        expect(lapses.map(e => e.id)).toEqual([o.id, b.id, a.id]);
        expect(lapses.every(e => e.status === 'lapsed')).toBe(true);
        expect(lapses[0].entityRef).toBe(OTHER);

        // the transaction of one app only marks that app's exceptions
        await store.inAppTransaction(APP, tx =>
          tx.markExceptions([a.id, b.id, o.id], {
            lapsedAt: now.toISOString(),
          }),
        );
        expect((await store.listUnrecordedLapses(now)).map(e => e.id)).toEqual([
          o.id,
        ]);
        await store.inAppTransaction(OTHER, tx =>
          tx.markExceptions([o.id], { lapsedAt: now.toISOString() }),
        );
        expect(await store.listUnrecordedLapses(now)).toEqual([]);
        // the future one lapses later
        expect(
          (
            await store.listUnrecordedLapses(
              new Date('2026-12-06T00:00:00.000Z'),
            )
          ).map(e => e.id),
        ).toEqual([future.id]);
        // marking nothing is fine
        await store.inAppTransaction(APP, tx =>
          tx.markExceptions([], { lapsedAt: now.toISOString() }),
        );
      });

      it('lists valid exceptions expiring soon until their owners are warned', async () => {
        const { store } = await createStore();
        const now = new Date('2026-12-01T00:00:00.000Z');
        const before = new Date('2026-12-08T00:00:00.000Z');
        const lapsed = exception({ expiresAt: '2026-11-30T00:00:00.000Z' });
        const soon = exception({
          findingId: 'f2',
          expiresAt: '2026-12-03T00:00:00.000Z',
        });
        const sooner = exception({
          findingId: 'f3',
          expiresAt: '2026-12-02T00:00:00.000Z',
        });
        const later = exception({
          findingId: 'f4',
          expiresAt: '2026-12-20T00:00:00.000Z',
        });
        await store.inAppTransaction(APP, async tx => {
          for (const e of [lapsed, soon, sooner, later]) {
            await tx.insertException(e);
          }
        });

        const expiring = await store.listUnwarnedExpiring(now, before);
        expect(expiring.map(e => e.id)).toEqual([sooner.id, soon.id]);
        expect(expiring.every(e => e.status === 'active')).toBe(true);

        await store.inAppTransaction(APP, tx =>
          tx.markExceptions([sooner.id], { warnedAt: now.toISOString() }),
        );
        expect(
          (await store.listUnwarnedExpiring(now, before)).map(e => e.id),
        ).toEqual([soon.id]);
        // a warning does not record a lapse, and a lapse does not record a warning
        await store.inAppTransaction(APP, tx =>
          tx.markExceptions([lapsed.id], { lapsedAt: now.toISOString() }),
        );
        expect(
          (
            await store.listUnwarnedExpiring(
              new Date('2026-11-29T00:00:00.000Z'),
              before,
            )
          ).map(e => e.id),
        ).toEqual([lapsed.id, soon.id]);
        expect(
          (
            await store.listUnrecordedLapses(
              new Date('2026-12-04T00:00:00.000Z'),
            )
          ).map(e => e.id),
        ).toEqual([sooner.id, soon.id]);

        await store.inAppTransaction(APP, tx =>
          tx.markExceptions([soon.id, later.id], {
            warnedAt: now.toISOString(),
          }),
        );
        expect(
          await store.listUnwarnedExpiring(
            now,
            new Date('2027-01-01T00:00:00.000Z'),
          ),
        ).toEqual([]);
      });
    });

    describe('audit log', () => {
      it('chains entries appended in several transactions', async () => {
        const { store } = await createStore();
        expect(await store.getAuditHead()).toEqual({
          seq: 0,
          hash: GENESIS_HASH,
        });
        expect(await store.listAudit({ limit: 10 })).toEqual([]);

        const returned: AuditEntry[] = [];
        returned.push(
          await store.inAppTransaction(APP, tx =>
            tx.appendAudit({
              actor: 'user:default/sam',
              action: 'promotion.created',
              entityRef: APP,
              data: { z: 1, a: { y: [3, 1], b: 'x' } },
            }),
          ),
        );
        returned.push(
          ...(await store.inAppTransaction(OTHER, async tx => [
            await tx.appendAudit({
              actor: 'user:default/alex',
              action: 'promotion.created',
              entityRef: OTHER,
              data: {},
            }),
            await tx.appendAudit({
              actor: 'user:default/alex',
              action: 'signoff.recorded',
              entityRef: OTHER,
              data: { stage: 'security', note: null },
            }),
          ])),
        );
        returned.push(
          await store.inAppTransaction(APP, tx =>
            tx.appendAudit({
              actor: 'plugin:marketplace',
              action: 'report.generated',
              entityRef: null,
              data: { count: 2 },
            }),
          ),
        );
        returned.push(
          await store.inAppTransaction(APP_LC, tx =>
            tx.appendAudit({
              actor: 'user:default/lead',
              action: 'tier.changed',
              entityRef: APP,
              data: { from: 'discover', to: 'vetted' },
            }),
          ),
        );

        const log = await store.listAudit({ limit: 100 });
        expect(log).toEqual(returned);
        expect(log.map(e => e.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(log[0].prevHash).toBe(GENESIS_HASH);
        expect(log.slice(1).map(e => e.prevHash)).toEqual(
          log.slice(0, -1).map(e => e.hash),
        );
        log.forEach(entry => {
          expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
          const { hash, ...content } = entry;
          expect(hashAuditEntry(content)).toBe(hash);
          expect(new Date(entry.at).toISOString()).toBe(entry.at);
        });
        expect(log[0]).toMatchObject({
          entityRef: APP_LC,
          data: { z: 1, a: { y: [3, 1], b: 'x' } },
        });
        expect(log[2].data).toEqual({ stage: 'security', note: null });
        expect(log[3].entityRef).toBeNull();
        expect(new Set(log.map(e => e.hash)).size).toBe(5);

        expect(await store.getAuditHead()).toEqual({
          seq: 5,
          hash: log[4].hash,
        });

        const seqs = (entries: { seq: number }[]) => entries.map(e => e.seq);
        expect(
          seqs(
            await store.listAudit({
              entityRef: 'MICROAPP:DEFAULT/EXPENSE-HELPER',
              limit: 100,
            }),
          ),
        ).toEqual([1, 5]);
        expect(
          seqs(await store.listAudit({ entityRef: OTHER, limit: 100 })),
        ).toEqual([2, 3]);
        expect(
          seqs(await store.listAudit({ afterSeq: 2, limit: 100 })),
        ).toEqual([3, 4, 5]);
        expect(seqs(await store.listAudit({ afterSeq: 0, limit: 2 }))).toEqual([
          1, 2,
        ]);
        expect(seqs(await store.listAudit({ afterSeq: 2, limit: 2 }))).toEqual([
          3, 4,
        ]);
        expect(
          seqs(
            await store.listAudit({ entityRef: APP, afterSeq: 1, limit: 10 }),
          ),
        ).toEqual([5]);
        expect(
          seqs(
            await store.listAudit({ entityRef: OTHER, afterSeq: 1, limit: 1 }),
          ),
        ).toEqual([2]);
        expect(await store.listAudit({ afterSeq: 5, limit: 10 })).toEqual([]);

        const scanned: number[][] = [];
        await store.scanAudit(2, batch => scanned.push(seqs(batch)));
        expect(scanned).toEqual([[1, 2], [3, 4], [5]]);

        await expect(verifyStoredChain(store)).resolves.toEqual({
          ok: true,
          checked: 5,
          head: { seq: 5, hash: log[4].hash },
        });
      });

      it('audits a gate run when it is created, not when an identical run is repeated', async () => {
        const { store } = await createStore();
        const withSbom = run({ sbomSha256: 'c'.repeat(64) });
        const first = await store.recordGateRun(withSbom, 'plugin:catalog');
        expect(first.created).toBe(true);
        expect(first.audit).toEqual({
          seq: 1,
          at: expect.any(String),
          actor: 'plugin:catalog',
          action: 'gates.evaluated',
          entityRef: APP_LC,
          data: {
            runId: first.id,
            tier: 'vetted',
            status: 'warn',
            inputHash: 'a'.repeat(64),
            sbomSha256: 'c'.repeat(64),
            resultsSha256: sha256Hex(JSON.stringify(withSbom.results)),
          },
          prevHash: GENESIS_HASH,
          hash: expect.any(String),
        });
        const { hash, ...content } = first.audit!;
        expect(hashAuditEntry(content)).toBe(hash);
        expect(await store.listAudit({ limit: 10 })).toEqual([first.audit]);
        expect((await store.getLatestGateRun(APP))?.sbomSha256).toBe(
          'c'.repeat(64),
        );
        // the digest pins what is stored
        const stored = await store.getLatestGateRun(APP);
        expect(sha256Hex(JSON.stringify(stored!.results))).toBe(
          first.audit!.data.resultsSha256,
        );

        const head = await store.getAuditHead();
        const repeat = await store.recordGateRun(
          { ...withSbom, evaluatedAt: '2026-11-28T11:00:00.000Z' },
          'plugin:catalog',
        );
        expect(repeat).toEqual({ id: first.id, created: false });
        expect(repeat.audit).toBeUndefined();
        expect(await store.getAuditHead()).toEqual(head);
        expect(await store.listAudit({ limit: 10 })).toHaveLength(1);

        const changed = run({
          inputHash: 'b'.repeat(64),
          status: 'fail',
          results: [
            {
              gateId: 'license',
              status: 'fail',
              enforcement: 'block',
              findings: [],
              summary: 'GPL-3.0',
            },
          ],
        });
        const second = await store.recordGateRun(changed, 'plugin:scheduler');
        expect(second.created).toBe(true);
        expect(second.id).not.toBe(first.id);
        expect(second.audit).toMatchObject({
          seq: 2,
          prevHash: first.audit!.hash,
          actor: 'plugin:scheduler',
          data: {
            runId: second.id,
            status: 'fail',
            inputHash: 'b'.repeat(64),
            sbomSha256: null,
            resultsSha256: sha256Hex(JSON.stringify(changed.results)),
          },
        });
        expect(second.audit!.data.resultsSha256).not.toBe(
          first.audit!.data.resultsSha256,
        );
        expect(await store.getAuditHead()).toEqual({
          seq: 2,
          hash: second.audit!.hash,
        });
        await expect(verifyStoredChain(store)).resolves.toMatchObject({
          ok: true,
          checked: 2,
        });
      });
    });

    describe('concurrency', () => {
      const N = 20;

      it('lets exactly one of many parallel transactions open a promotion of an app', async () => {
        const { store } = await createStore();
        const outcomes = await Promise.allSettled(
          Array.from({ length: N }, (_, i) =>
            store.inAppTransaction(APP, async tx => {
              const active = await tx.getActivePromotion();
              if (active) {
                throw new ConflictError(`already open: ${active.id}`);
              }
              const p = promotion({ submitter: `user:default/u${i}` });
              await tx.insertPromotion(p);
              await tx.appendAudit({
                actor: p.submitter,
                action: 'promotion.created',
                entityRef: APP,
                data: { promotionId: p.id },
              });
              return p;
            }),
          ),
        );
        const won = outcomes.flatMap(o =>
          o.status === 'fulfilled' ? [o.value] : [],
        );
        const lost = outcomes.flatMap(o =>
          o.status === 'rejected' ? [o.reason] : [],
        );
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(N - 1);
        for (const reason of lost) expect(reason).toBeInstanceOf(ConflictError);

        const promotions = await store.listPromotions({ entityRef: APP });
        expect(promotions.map(p => p.id)).toEqual([won[0].id]);
        const audit = await store.listAudit({ limit: 100 });
        expect(audit).toHaveLength(won.length);
        expect(audit[0]).toMatchObject({
          seq: 1,
          actor: won[0].submitter,
          data: { promotionId: won[0].id },
        });
        await expect(verifyStoredChain(store)).resolves.toMatchObject({
          ok: true,
          checked: 1,
        });
      });

      it('lets the unique index stop parallel transactions that do not check first', async () => {
        const { store } = await createStore();
        // the app exists already, so only the row lock orders the transactions
        await store.inAppTransaction(APP, async () => undefined);
        const outcomes = await Promise.allSettled(
          Array.from({ length: N }, (_, i) =>
            store.inAppTransaction(APP, async tx => {
              const entry = await tx.appendAudit({
                actor: `user:default/u${i}`,
                action: 'promotion.created',
                entityRef: APP,
                data: { i },
              });
              await tx.insertPromotion(promotion());
              return entry;
            }),
          ),
        );
        const won = outcomes.filter(o => o.status === 'fulfilled');
        const lost = outcomes.flatMap(o =>
          o.status === 'rejected' ? [o.reason] : [],
        );
        expect(won).toHaveLength(1);
        for (const reason of lost) expect(reason).toBeInstanceOf(ConflictError);
        expect(await store.listPromotions({ entityRef: APP })).toHaveLength(1);
        expect(await store.listAudit({ limit: 100 })).toHaveLength(1);
        await expect(verifyStoredChain(store)).resolves.toMatchObject({
          ok: true,
          checked: 1,
        });
      });

      it('serializes read-modify-write transactions of one app without losing updates', async () => {
        const { store } = await createStore();
        const p = promotion();
        await store.inAppTransaction(APP, tx => tx.insertPromotion(p));
        await Promise.all(
          Array.from({ length: N }, (_, i) =>
            store.inAppTransaction(APP, async tx => {
              const current = (await tx.getActivePromotion())!;
              // give the other transactions a chance to interleave
              await new Promise(resolve => setTimeout(resolve, 2));
              await tx.updatePromotion(current.id, {
                revision: current.revision + 1,
              });
              await tx.appendAudit({
                actor: `user:default/u${i}`,
                action: 'promotion.resubmitted',
                entityRef: APP,
                data: { revision: current.revision + 1 },
              });
            }),
          ),
        );
        expect((await store.getPromotion(p.id))?.revision).toBe(N + 1);
        const audit = await store.listAudit({ limit: 100 });
        expect(audit.map(e => e.data.revision)).toEqual(
          Array.from({ length: N }, (_, i) => i + 2),
        );
        await expect(verifyStoredChain(store)).resolves.toMatchObject({
          ok: true,
          checked: N,
        });
      });

      it('keeps one linear chain when many apps append and gate runs are recorded in parallel', async () => {
        const { store } = await createStore();
        await Promise.all([
          ...Array.from({ length: N }, (_, i) =>
            store.inAppTransaction(`microapp:default/app-${i}`, tx =>
              tx.appendAudit({
                actor: 'user:default/sam',
                action: 'test.appended',
                entityRef: `microapp:default/app-${i}`,
                data: { i },
              }),
            ),
          ),
          ...Array.from({ length: 5 }, (_, i) =>
            store.recordGateRun(
              run({ entityRef: `microapp:default/app-${i}` }),
              'plugin:catalog',
            ),
          ),
        ]);
        const audit = await store.listAudit({ limit: 100 });
        expect(audit.map(e => e.seq)).toEqual(
          Array.from({ length: N + 5 }, (_, i) => i + 1),
        );
        expect(await verifyStoredChain(store)).toEqual({
          ok: true,
          checked: N + 5,
          head: { seq: N + 5, hash: audit[N + 4].hash },
        });
      });
    });
  },
);
