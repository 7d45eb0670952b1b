// @ts-check

/**
 * Idle detection: usage reported per app and UTC day (`POST /apps/{namespace}/{name}/usage`),
 * the catalog fingerprint of each app with when it last changed, and the open idle flag of
 * each app (one per idle period; cleared when activity comes back).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('app_usage_days', table => {
    table.string('entity_ref', 255).notNullable();
    // YYYY-MM-DD, the UTC day of the usage
    table.specificType('day', 'char(10)').notNullable();
    // summed over every report of the day; a report may stand for up to a million uses
    table.bigInteger('count').notNullable();
    // the newest `at` reported for the day
    table.timestamp('last_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'day']);
  });
  // what the idle job last saw of the app in the catalog (manifest and SBOM digest), and when
  // that last changed
  await knex.schema.createTable('app_catalog_activity', table => {
    table.string('entity_ref', 255).primary();
    table.string('fingerprint', 64).notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
  });
  // at most one open flag per app; history is in the audit log
  await knex.schema.createTable('app_idle_flags', table => {
    table.string('entity_ref', 255).primary();
    table.timestamp('flagged_at', { useTz: true }).notNullable();
    table.timestamp('last_activity_at', { useTz: true }).notNullable();
    table.string('last_signal', 64).notNullable();
    table.integer('idle_after_days').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('app_idle_flags');
  await knex.schema.dropTable('app_catalog_activity');
  await knex.schema.dropTable('app_usage_days');
};
