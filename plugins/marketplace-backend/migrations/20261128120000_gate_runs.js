// @ts-check

/**
 * Gate runs (history of every evaluation whose inputs or results changed) and one row per
 * app with its latest summary, so that lists never scan the history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gate_runs', table => {
    table.increments('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('tier', 32).notNullable();
    table.string('status', 16).notNullable();
    table.string('input_hash', 64).notNullable();
    table.text('results').notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'id'], 'gate_runs_entity_idx');
  });
  await knex.schema.createTable('apps', table => {
    table.string('entity_ref', 255).primary();
    table.string('requested_tier', 32).notNullable();
    table.string('gate_status', 16).notNullable();
    table
      .integer('latest_run_id')
      .unsigned()
      .references('id')
      .inTable('gate_runs');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('apps');
  await knex.schema.dropTable('gate_runs');
};
