import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import { DatabaseMarketplaceStore } from '../database/DatabaseMarketplaceStore';
import { canonicalJson, GENESIS_HASH, hashAuditEntry } from './auditHash';
import { verifyStoredChain } from './AuditService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const APPS = [
  'microapp:default/expense-helper',
  'microapp:default/travel-desk',
  'microapp:default/room-finder',
];

describe.each(databases.eachSupportedId())(
  'verifyStoredChain on %s',
  databaseId => {
    /** A fresh database with a chain of `count` entries, appended through the store. */
    async function createChain(count = 10) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      for (let i = 1; i <= count; i++) {
        if (i % 4 === 0) {
          // some entries come from gate runs
          await store.recordGateRun(
            {
              entityRef: APPS[i % APPS.length],
              evaluatedAt: '2026-11-28T10:00:00.000Z',
              tier: 'vetted',
              status: 'pass',
              inputHash: String(i).padStart(64, '0'),
              results: [],
            },
            'plugin:catalog',
          );
        } else {
          await store.inAppTransaction(APPS[i % APPS.length], tx =>
            tx.appendAudit({
              actor: `user:default/user-${i}`,
              action: 'promotion.updated',
              entityRef: i % 5 === 0 ? null : APPS[i % APPS.length],
              data: { i, nested: { list: [i, 'x'], flag: i % 2 === 0 } },
            }),
          );
        }
      }
      const entries = await store.listAudit({ limit: 1000 });
      expect(entries.map(e => e.seq)).toEqual(
        Array.from({ length: count }, (_, i) => i + 1),
      );
      return { knex, store, entries };
    }

    it('accepts a chain that grows while it is being verified', async () => {
      const { store } = await createChain(10);
      const appends = Array.from({ length: 10 }, (_, i) =>
        store.inAppTransaction(APPS[i % APPS.length], tx =>
          tx.appendAudit({
            actor: 'user:default/late',
            action: 'promotion.updated',
            entityRef: APPS[i % APPS.length],
            data: { i },
          }),
        ),
      );
      const verdict = await verifyStoredChain(store, 1);
      await Promise.all(appends);
      expect(verdict.ok).toBe(true);
      expect(verdict.checked).toBe(verdict.head.seq);
      expect(await verifyStoredChain(store)).toMatchObject({
        ok: true,
        checked: 20,
      });
    });

    it('accepts an empty log', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      await expect(verifyStoredChain(store)).resolves.toEqual({
        ok: true,
        checked: 0,
        head: { seq: 0, hash: GENESIS_HASH },
      });
    });

    it('accepts an intact chain, in one batch or in several', async () => {
      const { store, entries } = await createChain();
      const head = { seq: 10, hash: entries[9].hash };
      for (const batchSize of [5000, 3, 1, 10, 9]) {
        await expect(verifyStoredChain(store, batchSize)).resolves.toEqual({
          ok: true,
          checked: 10,
          head,
        });
      }
    });

    it('names an entry whose data was changed', async () => {
      const { knex, store, entries } = await createChain();
      await knex('audit_log')
        .where({ seq: 4 })
        .update({
          data: canonicalJson({ ...entries[3].data, tampered: true }),
        });
      for (const batchSize of [5000, 3]) {
        const verdict = await verifyStoredChain(store, batchSize);
        expect(verdict).toMatchObject({
          ok: false,
          checked: 4,
          firstBrokenSeq: 4,
          head: { seq: 10, hash: entries[9].hash },
        });
        expect(verdict.problem).toMatch(/^entry 4\b/);
        expect(verdict.problem).toMatch(/hash does not match its content/);
      }
    });

    it('notices a changed value nested in the data', async () => {
      const { knex, store } = await createChain();
      // same keys, one value changed: the canonical form differs
      const row = await knex('audit_log').where({ seq: 2 }).first();
      const data = JSON.parse(row.data);
      data.nested.flag = !data.nested.flag;
      await knex('audit_log')
        .where({ seq: 2 })
        .update({ data: JSON.stringify(data) });
      await expect(verifyStoredChain(store, 3)).resolves.toMatchObject({
        ok: false,
        firstBrokenSeq: 2,
      });
    });

    it('tolerates stored data whose keys are in another order', async () => {
      const { knex, store, entries } = await createChain();
      // the hash covers the canonical form, not the stored bytes
      const reversed = Object.fromEntries(
        Object.entries(entries[2].data).reverse(),
      );
      await knex('audit_log')
        .where({ seq: 3 })
        .update({ data: JSON.stringify(reversed, null, 2) });
      await expect(verifyStoredChain(store, 3)).resolves.toMatchObject({
        ok: true,
        checked: 10,
      });
    });

    it('names the next entry when an entry was rewritten with a consistent hash', async () => {
      const { knex, store, entries } = await createChain();
      const { hash: _, ...content } = entries[6];
      const forged = { ...content, actor: 'user:default/mallory' };
      await knex('audit_log')
        .where({ seq: 7 })
        .update({ actor: forged.actor, hash: hashAuditEntry(forged) });
      // the forged entry is consistent in itself
      const stored = (await store.listAudit({ afterSeq: 6, limit: 1 }))[0];
      expect(stored.actor).toBe('user:default/mallory');
      expect(hashAuditEntry(stored)).toBe(stored.hash);

      // batch size 7: entries 7 and 8 are in different batches
      for (const batchSize of [5000, 3, 7]) {
        const verdict = await verifyStoredChain(store, batchSize);
        expect(verdict).toMatchObject({
          ok: false,
          checked: 8,
          firstBrokenSeq: 8,
        });
        expect(verdict.problem).toMatch(/^entry 8: prevHash/);
        expect(verdict.problem).toMatch(/entry 7/);
      }
    });

    it('names the newest entry when it was rewritten and the head was not', async () => {
      const { knex, store, entries } = await createChain();
      const { hash: _, ...content } = entries[9];
      const forged = { ...content, action: 'nothing.happened' };
      await knex('audit_log')
        .where({ seq: 10 })
        .update({ action: forged.action, hash: hashAuditEntry(forged) });
      const verdict = await verifyStoredChain(store, 3);
      expect(verdict).toMatchObject({
        ok: false,
        checked: 10,
        firstBrokenSeq: 10,
      });
      expect(verdict.problem).toMatch(/entry 10/);
      expect(verdict.problem).toMatch(/head/);
    });

    it('notices that the newest entry was deleted', async () => {
      const { knex, store, entries } = await createChain();
      await knex('audit_log').where({ seq: 10 }).delete();
      for (const batchSize of [5000, 3]) {
        const verdict = await verifyStoredChain(store, batchSize);
        expect(verdict).toMatchObject({
          ok: false,
          checked: 9,
          firstBrokenSeq: 10,
          head: { seq: 10, hash: entries[9].hash },
        });
        expect(verdict.problem).toMatch(/head says 10/);
        expect(verdict.problem).toMatch(/ends at 9/);
      }
    });

    it('notices that the newest entries were deleted and the head rolled back by seq only', async () => {
      const { knex, store, entries } = await createChain();
      await knex('audit_log').where('seq', '>', 8).delete();
      await knex('audit_head').where({ id: 1 }).update({ seq: 8 });
      const verdict = await verifyStoredChain(store, 3);
      expect(verdict).toMatchObject({
        ok: false,
        checked: 8,
        firstBrokenSeq: 8,
        head: { seq: 8, hash: entries[9].hash },
      });
      expect(verdict.problem).toMatch(/head's hash/);
    });

    it('notices that the whole log was deleted', async () => {
      const { knex, store } = await createChain();
      await knex('audit_log').delete();
      await expect(verifyStoredChain(store)).resolves.toMatchObject({
        ok: false,
        checked: 0,
        firstBrokenSeq: 1,
      });
    });

    it('names the first remaining entry when the first one was deleted', async () => {
      const { knex, store } = await createChain();
      await knex('audit_log').where({ seq: 1 }).delete();
      for (const batchSize of [5000, 3]) {
        const verdict = await verifyStoredChain(store, batchSize);
        expect(verdict).toMatchObject({
          ok: false,
          checked: 1,
          firstBrokenSeq: 2,
        });
        expect(verdict.problem).toMatch(/^entry 2 is the first one/);
      }
    });

    it('names the entry after a gap in the middle', async () => {
      const { knex, store } = await createChain();
      await knex('audit_log').where({ seq: 5 }).delete();
      const verdict = await verifyStoredChain(store, 3);
      expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: 6 });
      expect(verdict.problem).toMatch(/^entry 6\b/);
    });

    it('names an entry moved to another place in the sequence', async () => {
      const { knex, store, entries } = await createChain();
      // renumber the last entry and the head so only the gap is left
      await knex('audit_log').where({ seq: 10 }).update({ seq: 11 });
      await knex('audit_head').where({ id: 1 }).update({ seq: 11 });
      const verdict = await verifyStoredChain(store);
      expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: 11 });
      expect(verdict.head).toEqual({ seq: 11, hash: entries[9].hash });
    });

    it('reports only the first break', async () => {
      const { knex, store } = await createChain();
      await knex('audit_log').where({ seq: 3 }).update({ actor: 'x' });
      await knex('audit_log').where({ seq: 6 }).update({ actor: 'y' });
      await knex('audit_log').where({ seq: 10 }).delete();
      const verdict = await verifyStoredChain(store, 2);
      expect(verdict).toMatchObject({
        ok: false,
        checked: 3,
        firstBrokenSeq: 3,
      });
      expect(verdict.problem).toMatch(/^entry 3\b/);
    });

    it('verifies a chain that continues after a verified prefix', async () => {
      const { store } = await createChain(4);
      await expect(verifyStoredChain(store, 3)).resolves.toMatchObject({
        ok: true,
        checked: 4,
      });
      const added: AuditEntry[] = [];
      for (let i = 0; i < 3; i++) {
        added.push(
          await store.inAppTransaction(APPS[0], tx =>
            tx.appendAudit({
              actor: 'user:default/sam',
              action: 'later',
              entityRef: APPS[0],
              data: { i },
            }),
          ),
        );
      }
      await expect(verifyStoredChain(store, 3)).resolves.toEqual({
        ok: true,
        checked: 7,
        head: { seq: 7, hash: added[2].hash },
      });
    });
  },
);
