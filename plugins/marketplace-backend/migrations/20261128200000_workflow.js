// @ts-check

/**
 * The promotion workflow: the effective tier per app, promotion requests with their stages,
 * sign-offs, exceptions, and the hash-chained audit log with its head.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gate_runs', table => {
    table.string('sbom_sha256', 64).nullable();
  });
  await knex.schema.alterTable('apps', table => {
    table.string('effective_tier', 32).notNullable().defaultTo('discover');
    table.timestamp('tier_changed_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('promotions', table => {
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('from_tier', 32).notNullable();
    table.string('target_tier', 32).notNullable();
    // open | rejected (returned to the submitter) | withdrawn | approved
    table.string('status', 16).notNullable();
    table.integer('revision').notNullable();
    table.string('submitter', 255).notNullable();
    table.text('comment').nullable();
    // JSON array of the stage ids of the current revision, fixed when it opened
    table.text('stages').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.index(['entity_ref'], 'promotions_entity_idx');
    table.index(['status'], 'promotions_status_idx');
    // at most one request per app is open or returned; the app lock enforces it first
    table.unique(['entity_ref'], {
      indexName: 'promotions_one_active_uniq',
      predicate: knex.whereRaw("status in ('open', 'rejected')"),
    });
  });

  await knex.schema.createTable('signoffs', table => {
    table.increments('id').primary();
    table
      .string('promotion_id', 36)
      .notNullable()
      .references('id')
      .inTable('promotions');
    table.integer('revision').notNullable();
    table.string('stage', 64).notNullable();
    table.string('decision', 16).notNullable();
    table.text('comment').notNullable();
    table.string('reviewer', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    // one decision per stage and revision: a second one is a conflict
    table.unique(['promotion_id', 'revision', 'stage'], {
      indexName: 'signoffs_stage_uniq',
    });
  });

  await knex.schema.createTable('exceptions', table => {
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('gate_id', 255).notNullable();
    table.string('finding_id', 512).notNullable();
    table.text('reason').notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('granted_by', 255).notNullable();
    table.timestamp('granted_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('revoked_by', 255).nullable();
    // set once the lapse job has recorded the expiry
    table.timestamp('lapsed_at', { useTz: true }).nullable();
    // set once the owners were told the expiry is near
    table.timestamp('warned_at', { useTz: true }).nullable();
    table.index(['entity_ref'], 'exceptions_entity_idx');
    table.index(['expires_at'], 'exceptions_expiry_idx');
  });

  // Times and data are stored as the exact strings that were hashed.
  await knex.schema.createTable('audit_log', table => {
    table.integer('seq').primary();
    table.string('at', 32).notNullable();
    table.string('actor', 255).notNullable();
    table.string('action', 64).notNullable();
    table.string('entity_ref', 255).nullable();
    table.text('data').notNullable();
    table.string('prev_hash', 64).notNullable();
    table.string('hash', 64).notNullable();
    table.index(['entity_ref', 'seq'], 'audit_log_entity_idx');
  });
  // One row: the last entry. Appends lock it, so the chain has no forks.
  await knex.schema.createTable('audit_head', table => {
    table.integer('id').primary();
    table.integer('seq').notNullable();
    table.string('hash', 64).notNullable();
  });
  await knex('audit_head').insert({ id: 1, seq: 0, hash: '0'.repeat(64) });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('audit_head');
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('exceptions');
  await knex.schema.dropTable('signoffs');
  await knex.schema.dropTable('promotions');
  await knex.schema.alterTable('apps', table => {
    table.dropColumn('tier_changed_at');
    table.dropColumn('effective_tier');
  });
  // In place, not knex's dropColumn: on SQLite that copies the table, drops the original and
  // renames the copy, and dropping `gate_runs` fails the foreign key check (on in Backstage's
  // SQLite) as soon as an app's `latest_run_id` points at a run. SQLite (3.35 and later) and
  // PostgreSQL both drop an unindexed column in place.
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['gate_runs', 'sbom_sha256']);
};
