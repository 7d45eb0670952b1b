// @ts-check

/**
 * Registration of an app with the marketplace (the scaffolder registers what it created):
 * when and by whom, and when a Discover app expires unless renewed. Nullable: apps first
 * seen through a gate run are not registered until someone registers them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('apps', table => {
    table.timestamp('registered_at', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.string('registered_by', 255).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('apps', table => {
    table.dropColumn('registered_by');
    table.dropColumn('expires_at');
    table.dropColumn('registered_at');
  });
};
