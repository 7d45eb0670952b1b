// @ts-check

/**
 * Actual costs per app and month, as imported from cost exports (FinOps FOCUS CSV files). A
 * file (`source`) owns its rows: importing it again replaces them. The amount is an exact
 * decimal (numeric 20,6): sums of money must not drift like doubles do, and PostgreSQL can
 * still add them up in reports (SQLite stores it with numeric affinity, exact to 6 decimals
 * for amounts below a billion).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('app_costs', table => {
    table.string('entity_ref', 255).notNullable();
    table.specificType('month', 'char(7)').notNullable();
    table.decimal('amount', 20, 6).notNullable();
    table.string('currency', 3).notNullable();
    table.string('source', 255).notNullable();
    table.timestamp('imported_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'month', 'source'], {
      indexName: 'app_costs_unique_idx',
    });
    table.index(['source'], 'app_costs_source_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('app_costs');
};
