// @ts-check

/**
 * Cost providers, cost centers, overrun alerts and approved budgets.
 *
 * - `app_costs.source` is now `<provider id>:<name>`: the FOCUS files imported so far
 *   (stored under their plain file name) become `focus:<file>`, so the next import of a file
 *   replaces its rows instead of adding a second copy.
 * - `cost_center_costs`: totals that name no app but a cost center (e.g. untagged FOCUS rows
 *   with a cost center tag), per month and source, like `app_costs`.
 * - `cost_alerts`: one row per app, month and threshold that fired; the unique key makes a
 *   threshold fire once, however often the check runs.
 * - `app_budgets`: the monthly budgets approved by the `budget` stage; the newest is the one
 *   in force. `signoffs.budget` keeps the amount on the sign-off that approved it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex('app_costs')
    .whereNot('source', 'like', 'focus:%')
    .update({ source: knex.raw(`'focus:' || source`) });

  await knex.schema.createTable('cost_center_costs', table => {
    table.string('cost_center', 255).notNullable();
    table.specificType('month', 'char(7)').notNullable();
    table.decimal('amount', 20, 6).notNullable();
    table.string('currency', 3).notNullable();
    table.string('source', 255).notNullable();
    table.timestamp('imported_at', { useTz: true }).notNullable();
    table.unique(['cost_center', 'month', 'source'], {
      indexName: 'cost_center_costs_unique_idx',
    });
    table.index(['source'], 'cost_center_costs_source_idx');
    table.index(['month'], 'cost_center_costs_month_idx');
  });

  await knex.schema.createTable('cost_alerts', table => {
    table.increments('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.specificType('month', 'char(7)').notNullable();
    /** Percent over the limit, e.g. 25. */
    table.decimal('threshold', 12, 4).notNullable();
    table.decimal('actual', 20, 6).notNullable();
    table.decimal('limit_amount', 20, 6).notNullable();
    table.string('limit_kind', 16).notNullable();
    table.string('currency', 3).notNullable();
    table.timestamp('fired_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'month', 'threshold'], {
      indexName: 'cost_alerts_unique_idx',
    });
  });

  await knex.schema.createTable('app_budgets', table => {
    table.increments('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.decimal('amount', 20, 6).notNullable();
    table.string('currency', 3).notNullable();
    table.string('approved_by', 255).notNullable();
    table.timestamp('approved_at', { useTz: true }).notNullable();
    table.string('promotion_id', 36).notNullable();
    table.index(['entity_ref', 'approved_at'], 'app_budgets_ref_idx');
  });

  await knex.schema.alterTable('signoffs', table => {
    table.decimal('budget', 20, 6).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('signoffs', table => {
    table.dropColumn('budget');
  });
  await knex.schema.dropTable('app_budgets');
  await knex.schema.dropTable('cost_alerts');
  await knex.schema.dropTable('cost_center_costs');
  await knex('app_costs')
    .where('source', 'like', 'focus:%')
    .update({ source: knex.raw('substr(source, 7)') });
};
