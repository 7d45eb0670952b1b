import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type {
  AuditEntry,
  GateResult,
} from '@microapps/plugin-marketplace-common';
import type { Knex } from 'knex';
import { sha256Hex } from '../audit/auditHash';
import { verifyStoredChain } from '../audit/AuditService';
import { gateRun } from '../__testUtils__/testStore';
import { appendAudit } from './appendAudit';
import { DatabaseCostStore } from './DatabaseCostStore';
import { DatabaseMarketplaceStore } from './DatabaseMarketplaceStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** The folder `DatabaseMarketplaceStore.create` migrates from, resolved the same way. */
const directory = resolvePackagePath(
  '@microapps/plugin-marketplace-backend',
  'migrations',
);
const MIGRATIONS = fs
  .readdirSync(directory)
  .filter(file => file.endsWith('.js'))
  .sort();
const FIRST = '20261128120000_gate_runs.js';
const WORKFLOW = '20261128200000_workflow.js';
const APP_COSTS = '20261210090000_app_costs.js';
// the stages of the seeded Enterprise request, as the workflow schema stored them
const ENTERPRISE_STAGES = [
  'automated',
  'security',
  'compliance',
  'cost',
  'operations',
  'budget',
];

type Row = Record<string, any>;

// ---------------------------------------------------------------------------------------------
// Migrations

const nameOf = (m: string | { name?: string; file?: string }) =>
  typeof m === 'string' ? m : m.name ?? m.file ?? '';

async function completedMigrations(knex: Knex): Promise<string[]> {
  const [completed] = await knex.migrate.list({ directory });
  return completed.map(nameOf);
}

/** Runs the migrations one at a time until `name` has run. */
async function migrateUpTo(knex: Knex, name: string) {
  while (!(await completedMigrations(knex)).includes(name)) {
    const [, log] = await knex.migrate.up({ directory });
    if (!log.length) throw new Error(`No migration ${name}`);
  }
}

/** Undoes the migrations one at a time until `name` is the last one that ran. */
async function migrateDownTo(knex: Knex, name: string) {
  for (;;) {
    const completed = await completedMigrations(knex);
    if (!completed.includes(name)) throw new Error(`${name} has not run`);
    if (completed[completed.length - 1] === name) return;
    await knex.migrate.down({ directory });
  }
}

// ---------------------------------------------------------------------------------------------
// The schema as the database reports it: per table its columns (type, null, default, primary
// key), indexes (columns, unique, partial predicate) and constraints or foreign keys; on
// PostgreSQL also the sequences. Knex's bookkeeping (`knex_migrations*`) is left out.

type Schema = { tables: Record<string, string[]>; sequences: string[] };

const isBookkeeping = (name: string) => /^(knex_migrations|sqlite_)/.test(name);

const isPostgres = (knex: Knex) => knex.client.config.client === 'pg';

async function query(knex: Knex, sql: string, bindings: any[] = []) {
  const result = await knex.raw(sql, bindings);
  return (Array.isArray(result) ? result : result.rows) as Row[];
}

async function sqliteSchema(knex: Knex): Promise<Schema> {
  const tables: Schema['tables'] = {};
  const names = await query(
    knex,
    "select name from sqlite_master where type = 'table' order by name",
  );
  for (const { name } of names.filter(t => !isBookkeeping(t.name))) {
    const lines: string[] = [];
    for (const c of await query(knex, 'select * from pragma_table_info(?)', [
      name,
    ])) {
      lines.push(
        `column ${c.name} ${String(c.type).toLowerCase()} ${
          c.notnull ? 'not null' : 'null'
        } default ${c.dflt_value} pk ${c.pk}`,
      );
    }
    for (const i of await query(knex, 'select * from pragma_index_list(?)', [
      name,
    ])) {
      const columns = await query(
        knex,
        'select name from pragma_index_info(?) order by seqno',
        [i.name],
      );
      let predicate = '';
      if (i.partial) {
        const [{ sql }] = await query(
          knex,
          "select sql from sqlite_master where type = 'index' and name = ?",
          [i.name],
        );
        predicate = ` where ${String(sql)
          .replace(/^[\s\S]*?\swhere\s/i, '')
          .replace(/["`]/g, '')
          .replace(/\s+/g, ' ')
          .toLowerCase()}`;
      }
      // indexes SQLite makes for primary keys and unique columns are named after the table
      const indexName = String(i.name).startsWith('sqlite_autoindex_')
        ? '(auto)'
        : i.name;
      lines.push(
        `index ${indexName}${i.unique ? ' unique' : ''} (${columns
          .map(c => c.name)
          .join(', ')})${predicate} origin ${i.origin}`,
      );
    }
    for (const f of await query(
      knex,
      'select * from pragma_foreign_key_list(?)',
      [name],
    )) {
      lines.push(
        `foreign key (${f.from}) references ${f.table} (${f.to}) on update ${f.on_update} on delete ${f.on_delete}`,
      );
    }
    tables[name] = lines.sort();
  }
  return { tables, sequences: [] };
}

async function postgresSchema(knex: Knex): Promise<Schema> {
  const tables: Schema['tables'] = {};
  const names = await query(
    knex,
    `select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
      order by table_name`,
  );
  for (const { table_name: name } of names.filter(
    t => !isBookkeeping(t.table_name),
  )) {
    const lines: string[] = [];
    for (const c of await query(
      knex,
      `select column_name, udt_name, character_maximum_length, numeric_precision,
              numeric_scale, datetime_precision, is_nullable, column_default
         from information_schema.columns
        where table_schema = current_schema() and table_name = ?`,
      [name],
    )) {
      lines.push(
        `column ${c.column_name} ${c.udt_name}(${[
          c.character_maximum_length,
          c.numeric_precision,
          c.numeric_scale,
          c.datetime_precision,
        ].join(',')}) ${
          c.is_nullable === 'YES' ? 'null' : 'not null'
        } default ${c.column_default}`,
      );
    }
    for (const i of await query(
      knex,
      `select indexname, indexdef from pg_indexes
        where schemaname = current_schema() and tablename = ?`,
      [name],
    )) {
      lines.push(`index ${i.indexname}: ${i.indexdef}`);
    }
    for (const c of await query(
      knex,
      `select c.conname, pg_get_constraintdef(c.oid) as def
         from pg_constraint c
         join pg_class r on r.oid = c.conrelid
         join pg_namespace n on n.oid = r.relnamespace
        where n.nspname = current_schema() and r.relname = ?`,
      [name],
    )) {
      lines.push(`constraint ${c.conname}: ${c.def}`);
    }
    tables[name] = lines.sort();
  }
  const sequences = await query(
    knex,
    `select sequence_name from information_schema.sequences
      where sequence_schema = current_schema() order by sequence_name`,
  );
  return {
    tables,
    sequences: sequences
      .map(s => s.sequence_name as string)
      .filter(s => !isBookkeeping(s)),
  };
}

const schemaOf = (knex: Knex) =>
  isPostgres(knex) ? postgresSchema(knex) : sqliteSchema(knex);

/** Runs the assertions, putting `step` in front of the message of a failure. */
async function named(step: string, assertions: () => Promise<void>) {
  try {
    await assertions();
  } catch (error) {
    (error as Error).message = `${step}:\n\n${(error as Error).message}`;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Data

const ORDER: Record<string, string[]> = {
  gate_runs: ['id'],
  apps: ['entity_ref'],
  promotions: ['id'],
  signoffs: ['id'],
  exceptions: ['id'],
  audit_log: ['seq'],
  audit_head: ['id'],
  app_costs: ['entity_ref', 'month', 'source'],
};

/** Every row of these tables, as the driver returns them, in a stable order. */
async function rowsOf(knex: Knex, tables: string[]) {
  const out: Record<string, Row[]> = {};
  for (const table of tables)
    out[table] = await knex(table).orderBy(ORDER[table]);
  return out;
}

/** The rows with only the columns the seeded rows had. */
function sameColumns(
  rows: Record<string, Row[]>,
  like: Record<string, Row[]>,
): Record<string, Row[]> {
  return Object.fromEntries(
    Object.entries(rows).map(([table, list]) => {
      const columns = Object.keys(like[table][0]);
      return [
        table,
        list.map(row => Object.fromEntries(columns.map(c => [c, row[c]]))),
      ];
    }),
  );
}

const insertedId = (inserted: unknown) =>
  Number(
    typeof inserted === 'object' && inserted !== null
      ? (inserted as { id: number }).id
      : inserted,
  );

const EH = 'microapp:default/expense-helper';
const SP = 'microapp:default/status-page';

const RESULTS_FAIL: GateResult[] = [
  {
    gateId: 'vulnerabilities',
    status: 'fail',
    enforcement: 'warn',
    summary: '1 critical',
    findings: [
      {
        id: 'GHSA-29mw-wpgm-hmr9:npm/lodash',
        severity: 'critical',
        message: 'Prototype pollution in lodash',
        location: 'pkg:npm/lodash@4.17.15',
        url: 'https://github.com/advisories/GHSA-29mw-wpgm-hmr9',
        blocking: true,
      },
    ],
  },
  { gateId: 'manifest', status: 'pass', enforcement: 'block', findings: [] },
  {
    gateId: 'license',
    status: 'error',
    enforcement: 'warn',
    findings: [],
    error: 'SBOM nicht lesbar: „Zeile 3“ ✗',
  },
];
const RESULTS_WARN: GateResult[] = [
  {
    gateId: 'vulnerabilities',
    status: 'warn',
    enforcement: 'warn',
    summary: '2 medium',
    findings: [
      {
        id: 'CVE-2024-4068:npm/braces',
        severity: 'medium',
        message: 'Uncontrolled resource consumption',
        blocking: false,
      },
      {
        id: 'CVE-2024-4067:npm/micromatch',
        severity: 'medium',
        message: 'ReDoS in micromatch',
      },
    ],
  },
];
const RESULTS_PASS: GateResult[] = [
  {
    gateId: 'vulnerabilities',
    status: 'pass',
    enforcement: 'block',
    findings: [],
  },
  { gateId: 'manifest', status: 'pass', enforcement: 'block', findings: [] },
];

/** Gate runs of two apps as the first release stored them, with each app's summary. */
const SEEDED_RUNS = [
  {
    entityRef: EH,
    tier: 'discover',
    status: 'fail',
    inputHash: sha256Hex('expense-helper inputs 1'),
    results: RESULTS_FAIL,
    evaluatedAt: '2026-11-28T12:30:15.123Z',
    createdAt: '2026-11-28T12:30:15.456Z',
  },
  {
    entityRef: SP,
    tier: 'discover',
    status: 'warn',
    inputHash: sha256Hex('status-page inputs 1'),
    results: RESULTS_WARN,
    evaluatedAt: '2026-11-28T13:00:00.001Z',
    createdAt: '2026-11-28T13:00:00.002Z',
  },
  {
    entityRef: EH,
    tier: 'discover',
    status: 'warn',
    inputHash: sha256Hex('expense-helper inputs 2'),
    results: RESULTS_WARN,
    evaluatedAt: '2026-11-28T14:45:00.000Z',
    createdAt: '2026-11-28T14:45:00.999Z',
  },
  {
    entityRef: EH,
    tier: 'vetted',
    status: 'pass',
    inputHash: sha256Hex('expense-helper inputs 3'),
    results: RESULTS_PASS,
    // evaluated again since, with the same inputs: only the time was refreshed
    evaluatedAt: '2026-11-28T19:59:59.999Z',
    createdAt: '2026-11-28T16:20:00.500Z',
  },
] as const;

/** Fills the tables of the first migration, with plain knex, and returns the run ids. */
async function seedFirstSchema(knex: Knex) {
  const ids: number[] = [];
  for (const run of SEEDED_RUNS) {
    const [inserted] = await knex('gate_runs')
      .insert({
        entity_ref: run.entityRef,
        tier: run.tier,
        status: run.status,
        input_hash: run.inputHash,
        results: JSON.stringify(run.results),
        evaluated_at: new Date(run.evaluatedAt),
        created_at: new Date(run.createdAt),
      })
      .returning('id');
    ids.push(insertedId(inserted));
  }
  await knex('apps').insert([
    {
      entity_ref: EH,
      requested_tier: 'vetted',
      gate_status: 'pass',
      latest_run_id: ids[3],
      first_seen_at: new Date('2026-11-28T12:30:15.456Z'),
      updated_at: new Date('2026-11-28T19:59:59.999Z'),
    },
    {
      entity_ref: SP,
      requested_tier: 'discover',
      gate_status: 'warn',
      latest_run_id: ids[1],
      first_seen_at: new Date('2026-11-28T13:00:00.002Z'),
      updated_at: new Date('2026-11-28T13:00:00.002Z'),
    },
  ]);
  return ids;
}

/** The seeded runs as the store returns them. */
const storedRun = (index: number, ids: number[]) => {
  const { createdAt, ...run } = SEEDED_RUNS[index];
  return { ...run, id: String(ids[index]) };
};

const P1 = '4d6c2a0e-8f3b-4b7e-9d51-2f0a6c3e9b11';
const P2 = 'a81f7c55-0d2e-4c6a-b3f4-7e9d1c2b5a60';
const X1 = '0b9e4f7a-3c21-4d58-8e6f-5a1b2c3d4e5f';
const X2 = 'c7d8e9f0-1a2b-4c3d-9e8f-7a6b5c4d3e2f';

/** Promotions, sign-offs and exceptions as the workflow migration's schema stored them. */
async function seedWorkflowSchema(knex: Knex) {
  await knex('apps')
    .where({ entity_ref: EH })
    .update({
      effective_tier: 'vetted',
      tier_changed_at: new Date('2026-11-29T10:05:00.250Z'),
    });
  await knex('gate_runs')
    .where({ input_hash: SEEDED_RUNS[3].inputHash })
    .update({ sbom_sha256: sha256Hex('expense-helper sbom') });
  await knex('promotions').insert([
    {
      id: P1,
      entity_ref: EH,
      from_tier: 'discover',
      target_tier: 'vetted',
      status: 'approved',
      revision: 2,
      submitter: 'user:default/jane.doe',
      comment: 'Ready for the finance team; SBOM added',
      stages: JSON.stringify(['automated', 'security', 'compliance', 'cost']),
      created_at: new Date('2026-11-28T21:00:00.000Z'),
      updated_at: new Date('2026-11-29T10:05:00.250Z'),
      decided_at: new Date('2026-11-29T10:05:00.250Z'),
    },
    {
      id: P2,
      entity_ref: SP,
      from_tier: 'discover',
      target_tier: 'enterprise',
      status: 'open',
      revision: 1,
      submitter: 'user:default/sam.ops',
      comment: null,
      stages: JSON.stringify(ENTERPRISE_STAGES),
      created_at: new Date('2026-11-29T08:00:00.000Z'),
      updated_at: new Date('2026-11-29T08:00:00.000Z'),
      decided_at: null,
    },
  ]);
  const signoffs = [
    [1, 'automated', 'approve', 'All gates pass', 'plugin:marketplace'],
    [
      1,
      'security',
      'reject',
      'No SBOM: cannot check the licenses',
      'user:default/sec-lead',
    ],
    [2, 'automated', 'approve', 'All gates pass', 'plugin:marketplace'],
    [2, 'security', 'approve', 'SBOM fine', 'user:default/sec-lead'],
    [2, 'compliance', 'approve', 'DPIA not needed', 'user:default/dpo'],
    [2, 'cost', 'approve', '≈ 40 € a month', 'user:default/finops'],
  ] as const;
  const signoffIds: number[] = [];
  for (const [
    i,
    [revision, stage, decision, comment, reviewer],
  ] of signoffs.entries()) {
    const [inserted] = await knex('signoffs')
      .insert({
        promotion_id: P1,
        revision,
        stage,
        decision,
        comment,
        reviewer,
        created_at: new Date(
          Date.parse('2026-11-28T22:00:00.000Z') + i * 3_600_000,
        ),
      })
      .returning('id');
    signoffIds.push(insertedId(inserted));
  }
  await knex('exceptions').insert([
    {
      id: X1,
      entity_ref: EH,
      gate_id: 'vulnerabilities',
      finding_id: 'GHSA-29mw-wpgm-hmr9:npm/lodash',
      reason: 'Not reachable: only used by the build',
      expires_at: new Date('2027-02-28T00:00:00.000Z'),
      granted_by: 'user:default/sec-lead',
      granted_at: new Date('2026-11-28T20:30:00.000Z'),
      revoked_at: new Date('2026-11-29T09:00:00.000Z'),
      revoked_by: 'user:default/sec-lead',
      lapsed_at: null,
      warned_at: null,
    },
    {
      id: X2,
      entity_ref: SP,
      gate_id: 'vulnerabilities',
      finding_id: 'CVE-2024-4068:npm/braces',
      reason: 'Fixed upstream next week',
      expires_at: new Date('2026-11-29T00:00:00.000Z'),
      granted_by: 'user:default/sec-lead',
      granted_at: new Date('2026-11-28T20:45:00.000Z'),
      revoked_at: null,
      revoked_by: null,
      lapsed_at: new Date('2026-11-29T00:05:00.000Z'),
      warned_at: new Date('2026-11-28T21:00:00.000Z'),
    },
  ]);
  // the audit log as that release wrote it: hash-chained from the head row
  const audit: AuditEntry[] = [];
  await knex.transaction(async tx => {
    const options = { isPostgres: isPostgres(knex) };
    audit.push(
      await appendAudit(
        tx,
        {
          actor: 'user:default/jane.doe',
          action: 'promotion.submitted',
          entityRef: EH,
          data: { promotionId: P1, targetTier: 'vetted', revision: 1 },
        },
        options,
      ),
      await appendAudit(
        tx,
        {
          actor: 'user:default/sec-lead',
          action: 'exception.granted',
          entityRef: SP,
          data: {
            exceptionId: X2,
            until: '2026-11-29T00:00:00.000Z',
            note: 'ä ✓',
          },
        },
        options,
      ),
      await appendAudit(
        tx,
        {
          actor: 'user:default/finops',
          action: 'promotion.approved',
          entityRef: EH,
          data: { promotionId: P1, tier: 'vetted', nested: { a: [1, null] } },
        },
        options,
      ),
    );
  });
  return { signoffIds, audit };
}

const FILE = 'focus-2026-09-to-11.csv';
const SEEDED_COSTS = [
  { entity_ref: EH, month: '2026-09', amount: '12.5', source: FILE },
  { entity_ref: EH, month: '2026-10', amount: '0.000001', source: FILE },
  {
    entity_ref: SP,
    month: '2026-09',
    amount: '123456789.123456',
    source: FILE,
  },
  {
    entity_ref: SP,
    month: '2026-10',
    amount: '-3.25',
    source: 'manual-fix.csv',
  },
];
const IMPORTED_AT = '2026-12-11T06:00:00.123Z';

// ---------------------------------------------------------------------------------------------

const timings = new Map<string, Array<[string, number]>>();

afterAll(() => {
  if (!timings.size) return;
  const lines = [...timings].map(([db, tests]) => {
    const total = tests.reduce((sum, [, ms]) => sum + ms, 0);
    return `  ${db}: ${total} ms (${tests
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ')})`;
  });
  // eslint-disable-next-line no-console
  console.log(`${MIGRATIONS.length} migrations\n${lines.join('\n')}`);
});

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  let started = 0;
  beforeEach(() => {
    started = Date.now();
  });
  afterEach(() => {
    const name = expect.getState().currentTestName ?? '?';
    const list = timings.get(databaseId) ?? [];
    list.push([
      name.replace(/^migrations on \S+ /, '').slice(0, 40),
      Date.now() - started,
    ]);
    timings.set(databaseId, list);
  });

  const storeOn = (knex: Knex) =>
    DatabaseMarketplaceStore.create({
      database: mockServices.database({ knex }),
      skipMigrations: true,
    });

  it('runs every migration up and down one at a time, each down undoing its up', async () => {
    const knex = await databases.init(databaseId);
    expect(MIGRATIONS[0]).toBe(FIRST);
    const [, pending] = await knex.migrate.list({ directory });
    expect(pending.map(nameOf)).toEqual(MIGRATIONS);

    const before: Schema[] = [];
    for (const name of MIGRATIONS) {
      const schema = await schemaOf(knex);
      before.push(schema);
      const [, log] = await knex.migrate.up({ directory });
      expect(log).toEqual([name]);
      // every migration so far changes the schema: the snapshot sees what each one did
      await named(`after the up of ${name}`, async () =>
        expect(await schemaOf(knex)).not.toEqual(schema),
      );
    }
    const latest = await schemaOf(knex);
    expect(Object.keys(latest.tables).sort()).toEqual([
      'app_budgets',
      'app_catalog_activity',
      'app_costs',
      'app_idle_flags',
      'app_incidents',
      'app_metric_samples',
      'app_metrics_pulls',
      'app_usage_days',
      'apps',
      'audit_head',
      'audit_log',
      'cost_alerts',
      'cost_center_costs',
      'exceptions',
      'expiry_warnings',
      'gate_runs',
      'promotions',
      'signoffs',
    ]);

    for (let i = MIGRATIONS.length - 1; i >= 0; i--) {
      const [, log] = await knex.migrate.down({ directory });
      expect(log).toEqual([MIGRATIONS[i]]);
      await named(
        `the down of ${MIGRATIONS[i]} did not undo its up`,
        async () => expect(await schemaOf(knex)).toEqual(before[i]),
      );
    }
    expect(await completedMigrations(knex)).toEqual([]);
    expect(await schemaOf(knex)).toEqual({ tables: {}, sequences: [] });

    // and up again, in one go: the same schema, and a store that works on it
    const [, again] = await knex.migrate.latest({ directory });
    expect(again).toEqual(MIGRATIONS);
    expect(await schemaOf(knex)).toEqual(latest);
    expect((await knex.migrate.latest({ directory }))[1]).toEqual([]);
    const store = await storeOn(knex);
    const { id, created, audit } = await store.recordGateRun(
      gateRun(),
      'plugin:catalog',
    );
    expect(created).toBe(true);
    expect(audit?.seq).toBe(1);
    expect((await store.getLatestGateRun(EH))?.id).toBe(id);
  });

  it('upgrades the first released schema with gate runs in it, keeping them, and goes back', async () => {
    const knex = await databases.init(databaseId);
    const [, first] = await knex.migrate.up({ directory, name: FIRST });
    expect(first).toEqual([FIRST]);
    const ids = await seedFirstSchema(knex);
    const seeded = await rowsOf(knex, ['gate_runs', 'apps']);
    expect(seeded.gate_runs).toHaveLength(4);

    const [, upgraded] = await knex.migrate.latest({ directory });
    expect(upgraded).toEqual(MIGRATIONS.slice(1));

    const store = await storeOn(knex);
    expect(await store.listGateRuns(EH)).toEqual([
      storedRun(3, ids),
      storedRun(2, ids),
      storedRun(0, ids),
    ]);
    expect(await store.listGateRuns(SP)).toEqual([storedRun(1, ids)]);
    expect(await store.getLatestGateRun(EH)).toEqual(storedRun(3, ids));
    expect(await store.getLatestGateRuns([EH, SP])).toEqual(
      new Map([
        [EH, storedRun(3, ids)],
        [SP, storedRun(1, ids)],
      ]),
    );
    expect(await store.getApps([EH, SP])).toEqual(
      new Map([
        [
          EH,
          {
            entityRef: EH,
            requestedTier: 'vetted',
            effectiveTier: 'discover',
            gateStatus: 'pass',
            latestRunId: String(ids[3]),
            firstSeenAt: '2026-11-28T12:30:15.456Z',
            updatedAt: '2026-11-28T19:59:59.999Z',
          },
        ],
        [
          SP,
          {
            entityRef: SP,
            requestedTier: 'discover',
            effectiveTier: 'discover',
            gateStatus: 'warn',
            latestRunId: String(ids[1]),
            firstSeenAt: '2026-11-28T13:00:00.002Z',
            updatedAt: '2026-11-28T13:00:00.002Z',
          },
        ],
      ]),
    );
    // every column of the first schema, e.g. `created_at`, which the store does not read
    expect(
      sameColumns(await rowsOf(knex, ['gate_runs', 'apps']), seeded),
    ).toEqual(seeded);

    // all the way back down, with the data in place: the first schema's rows are untouched
    await migrateDownTo(knex, FIRST);
    expect(await rowsOf(knex, ['gate_runs', 'apps'])).toEqual(seeded);

    // up again, and the store records new runs after the old ones
    await knex.migrate.latest({ directory });
    const next = await store.recordGateRun(
      gateRun({
        entityRef: EH,
        tier: 'vetted',
        status: 'pass',
        inputHash: sha256Hex('expense-helper inputs 4'),
        sbomSha256: sha256Hex('sbom'),
        evaluatedAt: '2026-12-01T08:00:00.000Z',
      }),
      'plugin:catalog',
    );
    expect(next.created).toBe(true);
    expect(Number(next.id)).toBeGreaterThan(Math.max(...ids));
    expect((await store.listGateRuns(EH)).map(r => r.id)).toEqual([
      next.id,
      String(ids[3]),
      String(ids[2]),
      String(ids[0]),
    ]);
    expect((await store.getApps([EH])).get(EH)?.latestRunId).toBe(next.id);
  });

  it('upgrades the workflow schema with promotions, sign-offs, exceptions and audit entries in it, keeping them, and goes back', async () => {
    const knex = await databases.init(databaseId);
    await migrateUpTo(knex, FIRST);
    const ids = await seedFirstSchema(knex);
    await migrateUpTo(knex, WORKFLOW);
    expect(await completedMigrations(knex)).toEqual([FIRST, WORKFLOW]);
    const { signoffIds, audit } = await seedWorkflowSchema(knex);
    const tables = [
      'gate_runs',
      'apps',
      'promotions',
      'signoffs',
      'exceptions',
      'audit_log',
      'audit_head',
    ];
    const seeded = await rowsOf(knex, tables);
    expect(seeded.signoffs).toHaveLength(6);
    expect(seeded.audit_log).toHaveLength(3);

    const [, upgraded] = await knex.migrate.latest({ directory });
    expect(upgraded).toEqual(MIGRATIONS.slice(2));

    const store = await storeOn(knex);
    expect(await store.getLatestGateRun(EH)).toEqual({
      ...storedRun(3, ids),
      sbomSha256: sha256Hex('expense-helper sbom'),
    });
    const apps = await store.getApps([EH, SP]);
    expect(apps.get(EH)).toEqual({
      entityRef: EH,
      requestedTier: 'vetted',
      effectiveTier: 'vetted',
      gateStatus: 'pass',
      latestRunId: String(ids[3]),
      firstSeenAt: '2026-11-28T12:30:15.456Z',
      updatedAt: '2026-11-28T19:59:59.999Z',
      tierChangedAt: '2026-11-29T10:05:00.250Z',
    });
    expect(apps.get(SP)?.effectiveTier).toBe('discover');
    expect(await store.getPromotion(P1)).toEqual({
      id: P1,
      entityRef: EH,
      fromTier: 'discover',
      targetTier: 'vetted',
      status: 'approved',
      revision: 2,
      submitter: 'user:default/jane.doe',
      comment: 'Ready for the finance team; SBOM added',
      stageIds: ['automated', 'security', 'compliance', 'cost'],
      createdAt: '2026-11-28T21:00:00.000Z',
      updatedAt: '2026-11-29T10:05:00.250Z',
      decidedAt: '2026-11-29T10:05:00.250Z',
    });
    expect(await store.getActivePromotions([EH, SP])).toEqual(
      new Map([
        [
          SP,
          {
            id: P2,
            entityRef: SP,
            fromTier: 'discover',
            targetTier: 'enterprise',
            status: 'open',
            revision: 1,
            submitter: 'user:default/sam.ops',
            stageIds: ENTERPRISE_STAGES,
            createdAt: '2026-11-29T08:00:00.000Z',
            updatedAt: '2026-11-29T08:00:00.000Z',
          },
        ],
      ]),
    );
    const signoffs = await store.listSignoffs([P1]);
    expect(signoffs).toHaveLength(6);
    expect(signoffs[1]).toEqual({
      id: String(signoffIds[1]),
      promotionId: P1,
      revision: 1,
      stage: 'security',
      decision: 'reject',
      comment: 'No SBOM: cannot check the licenses',
      reviewer: 'user:default/sec-lead',
      createdAt: '2026-11-28T23:00:00.000Z',
    });
    expect(signoffs[5]).toEqual({
      id: String(signoffIds[5]),
      promotionId: P1,
      revision: 2,
      stage: 'cost',
      decision: 'approve',
      comment: '≈ 40 € a month',
      reviewer: 'user:default/finops',
      createdAt: '2026-11-29T03:00:00.000Z',
    });
    expect(signoffs.map(s => [s.id, s.revision, s.stage])).toEqual(
      seeded.signoffs.map(s => [String(s.id), s.revision, s.stage]),
    );
    expect(await store.listExceptions([EH, SP])).toEqual([
      {
        id: X1,
        entityRef: EH,
        gateId: 'vulnerabilities',
        findingId: 'GHSA-29mw-wpgm-hmr9:npm/lodash',
        reason: 'Not reachable: only used by the build',
        expiresAt: '2027-02-28T00:00:00.000Z',
        grantedBy: 'user:default/sec-lead',
        grantedAt: '2026-11-28T20:30:00.000Z',
        status: 'revoked',
        revokedAt: '2026-11-29T09:00:00.000Z',
        revokedBy: 'user:default/sec-lead',
      },
      {
        id: X2,
        entityRef: SP,
        gateId: 'vulnerabilities',
        findingId: 'CVE-2024-4068:npm/braces',
        reason: 'Fixed upstream next week',
        expiresAt: '2026-11-29T00:00:00.000Z',
        grantedBy: 'user:default/sec-lead',
        grantedAt: '2026-11-28T20:45:00.000Z',
        status: 'lapsed',
      },
    ]);
    // the lapse and the warning were recorded: the jobs do not pick the exception up again
    expect(await store.listUnrecordedLapses(new Date('2027-06-01'))).toEqual(
      [],
    );
    expect(await store.listAudit({ limit: 10 })).toEqual(audit);
    expect(await store.getAuditHead()).toEqual({ seq: 3, hash: audit[2].hash });
    expect(await verifyStoredChain(store)).toMatchObject({
      ok: true,
      checked: 3,
    });
    expect(sameColumns(await rowsOf(knex, tables), seeded)).toEqual(seeded);

    // back to the workflow schema, with the data in place: its rows are untouched
    await migrateDownTo(knex, WORKFLOW);
    expect(await rowsOf(knex, tables)).toEqual(seeded);
  });

  it('upgrades imported costs to provider sources, keeping the amounts, and goes back', async () => {
    const knex = await databases.init(databaseId);
    await migrateUpTo(knex, APP_COSTS);
    expect(await completedMigrations(knex)).toEqual(
      MIGRATIONS.slice(0, MIGRATIONS.indexOf(APP_COSTS) + 1),
    );
    await knex('app_costs').insert(
      SEEDED_COSTS.map(c => ({
        ...c,
        currency: 'EUR',
        imported_at: new Date(IMPORTED_AT),
      })),
    );
    const seeded = await rowsOf(knex, ['app_costs']);

    await knex.migrate.latest({ directory });
    const costs = new DatabaseCostStore(knex);
    expect(await costs.getCosts([EH, SP])).toEqual(
      SEEDED_COSTS.map(c => ({
        entityRef: c.entity_ref,
        month: c.month,
        amount: c.amount,
        currency: 'EUR',
        source: `focus:${c.source}`,
        importedAt: IMPORTED_AT,
      })),
    );
    // the next import of the file finds its rows instead of adding a second copy
    expect(
      await costs.replaceCosts(
        `focus:${FILE}`,
        SEEDED_COSTS.filter(c => c.source === FILE).map(c => ({
          entityRef: c.entity_ref,
          month: c.month,
          amount: c.amount,
          currency: 'EUR',
        })),
        new Date('2026-12-20T06:00:00.000Z'),
      ),
    ).toEqual({ inserted: 0, updated: 0, unchanged: 3, deleted: 0 });

    // going back names the sources by file again, as the older code expects
    await migrateDownTo(knex, APP_COSTS);
    expect(await rowsOf(knex, ['app_costs'])).toEqual(seeded);
  });
});
