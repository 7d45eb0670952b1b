// @ts-check

/**
 * Discover expiry: when the job recorded an app's expiry, when and by whom it was last
 * renewed, and the warnings sent before an expiry. A warning is keyed by the expiry it was
 * for, so a renewal (a new expiry) starts a fresh set of warnings.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('apps', table => {
    table.timestamp('expired_at', { useTz: true }).nullable();
    table.timestamp('renewed_at', { useTz: true }).nullable();
    table.string('renewed_by', 255).nullable();
  });
  await knex.schema.createTable('expiry_warnings', table => {
    table.string('entity_ref', 255).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.integer('days_before').notNullable();
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'expires_at', 'days_before'], {
      indexName: 'expiry_warnings_unique_idx',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('expiry_warnings');
  await knex.schema.alterTable('apps', table => {
    table.dropColumn('renewed_by');
    table.dropColumn('renewed_at');
    table.dropColumn('expired_at');
  });
};
