// @ts-check

/**
 * Operational metrics per app: availability samples and incidents, each keyed by the source
 * that reported it (the calling service's subject, or a metrics provider's id), so two
 * sources never overwrite each other. A sample is unique per (app, source, at), an incident
 * per (app, source, id); posting it again updates it. `app_metrics_pulls` remembers, per
 * metrics provider, when its last pull succeeded: the next pull asks for what came since.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('app_metric_samples', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('source', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.boolean('up').notNullable();
    table.bigInteger('requests').nullable();
    table.bigInteger('errors').nullable();
    table.timestamp('reported_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'source', 'at'], {
      indexName: 'app_metric_samples_unique_idx',
    });
    // the figures of a month read every app's samples by time
    table.index(['entity_ref', 'at'], 'app_metric_samples_ref_at_idx');
  });
  await knex.schema.createTable('app_incidents', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('source', 255).notNullable();
    table.string('incident_id', 255).notNullable();
    table.string('title', 500).nullable();
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.timestamp('reported_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'source', 'incident_id'], {
      indexName: 'app_incidents_unique_idx',
    });
    table.index(['entity_ref', 'opened_at'], 'app_incidents_ref_opened_idx');
  });
  await knex.schema.createTable('app_metrics_pulls', table => {
    table.string('provider_id', 255).primary();
    table.timestamp('last_success_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('app_metrics_pulls');
  await knex.schema.dropTable('app_incidents');
  await knex.schema.dropTable('app_metric_samples');
};
