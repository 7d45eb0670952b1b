import { InputError } from '@backstage/errors';
import type { Knex } from 'knex';
import { normalizeRef } from '../database/rows';
import type { IncidentTimes, SampleTotals } from './computeSla';
import { checkOrder, MetricsBatch } from './validateMetrics';

/** Rows per statement: below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

const uniqueRefs = (refs: string[]) => [...new Set(refs.map(normalizeRef))];

/** SQLite answers times as epoch milliseconds, PostgreSQL as Dates. */
const toDate = (value: unknown): Date | undefined =>
  value === null || value === undefined
    ? undefined
    : new Date(value as string | number | Date);

type IncidentRow = {
  entity_ref: string;
  incident_id: string;
  opened_at: unknown;
  acknowledged_at: unknown;
  resolved_at: unknown;
};

/**
 * Availability samples and incidents per app and source (tables `app_metric_samples`,
 * `app_incidents`, `app_metrics_pulls`, created by the marketplace migrations that
 * `DatabaseMarketplaceStore.create` runs).
 */
export class DatabaseMetricsStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores a checked batch of one app from one source, in one transaction: samples are
   * upserted by time, incidents by id. A field an incident leaves out keeps its stored value
   * (an acknowledgement may come in a later post). When the merged incident would be
   * acknowledged or resolved before it opened, nothing of the batch is stored (InputError).
   */
  async store(
    entityRef: string,
    source: string,
    batch: MetricsBatch,
    now: Date,
  ): Promise<{ samples: number; incidents: number }> {
    const ref = normalizeRef(entityRef);
    return this.db.transaction(async tx => {
      for (const part of chunks(batch.samples)) {
        await tx('app_metric_samples')
          .insert(
            part.map(s => ({
              entity_ref: ref,
              source,
              at: s.at,
              up: s.up,
              requests: s.requests ?? null,
              errors: s.errors ?? null,
              reported_at: now,
            })),
          )
          .onConflict(['entity_ref', 'source', 'at'])
          .merge(['up', 'requests', 'errors', 'reported_at']);
      }
      // the stored row is referred to by the table name in an upsert, on both databases
      const keep = (column: string) =>
        tx.raw(`coalesce(excluded.??, app_incidents.??)`, [column, column]);
      for (const part of chunks(batch.incidents)) {
        await tx('app_incidents')
          .insert(
            part.map(i => ({
              entity_ref: ref,
              source,
              incident_id: i.id,
              title: i.title ?? null,
              opened_at: i.openedAt,
              acknowledged_at: i.acknowledgedAt ?? null,
              resolved_at: i.resolvedAt ?? null,
              reported_at: now,
            })),
          )
          .onConflict(['entity_ref', 'source', 'incident_id'])
          .merge({
            title: keep('title'),
            opened_at: tx.raw('excluded.opened_at'),
            acknowledged_at: keep('acknowledged_at'),
            resolved_at: keep('resolved_at'),
            reported_at: tx.raw('excluded.reported_at'),
          });
        // checked after the merge, inside the transaction: a new openedAt may come after an
        // acknowledgement stored before
        const byId = new Map(part.map(i => [i.id, i]));
        const merged: IncidentRow[] = await tx('app_incidents')
          .where({ entity_ref: ref, source })
          .whereIn('incident_id', [...byId.keys()])
          .select(
            'entity_ref',
            'incident_id',
            'opened_at',
            'acknowledged_at',
            'resolved_at',
          );
        for (const row of merged) {
          const sent = byId.get(row.incident_id)!;
          try {
            checkOrder(
              {
                openedAt: toDate(row.opened_at)!,
                acknowledgedAt: toDate(row.acknowledged_at),
                resolvedAt: toDate(row.resolved_at),
              },
              `incidents[${sent.index}]`,
            );
          } catch (error) {
            throw new InputError(
              `${
                (error as Error).message
              } (with what was stored before for incident '${
                row.incident_id
              }')`,
            );
          }
        }
      }
      return {
        samples: batch.samples.length,
        incidents: batch.incidents.length,
      };
    });
  }

  /** The samples of these apps in [start, end), summed per app; apps without any left out. */
  async sampleTotals(
    entityRefs: string[],
    start: Date,
    end: Date,
  ): Promise<Map<string, SampleTotals>> {
    const result = new Map<string, SampleTotals>();
    for (const part of chunks(uniqueRefs(entityRefs))) {
      const rows = await this.db('app_metric_samples')
        .whereIn('entity_ref', part)
        .where('at', '>=', start)
        .where('at', '<', end)
        .groupBy('entity_ref')
        .select('entity_ref')
        .count({ samples: '*' })
        .select(
          this.db.raw('sum(case when up then 1 else 0 end) as up_samples'),
          this.db.raw('sum(coalesce(requests, 0)) as requests'),
          this.db.raw('sum(coalesce(errors, 0)) as errors'),
        );
      for (const row of rows as any[]) {
        result.set(row.entity_ref, {
          samples: Number(row.samples),
          up: Number(row.up_samples),
          requests: Number(row.requests),
          errors: Number(row.errors),
        });
      }
    }
    return result;
  }

  /** The incidents of these apps opened in [start, end), from every source, per app. */
  async incidentsOpened(
    entityRefs: string[],
    start: Date,
    end: Date,
  ): Promise<Map<string, IncidentTimes[]>> {
    const result = new Map<string, IncidentTimes[]>();
    for (const part of chunks(uniqueRefs(entityRefs))) {
      const rows: Array<IncidentRow & { source: string }> = await this.db(
        'app_incidents',
      )
        .whereIn('entity_ref', part)
        .where('opened_at', '>=', start)
        .where('opened_at', '<', end)
        .select(
          'entity_ref',
          'source',
          'incident_id',
          'opened_at',
          'acknowledged_at',
          'resolved_at',
        );
      for (const row of rows) {
        const list = result.get(row.entity_ref) ?? [];
        list.push({
          // ids are unique per source; two sources may use the same id
          id: row.incident_id,
          openedAt: toDate(row.opened_at)!,
          acknowledgedAt: toDate(row.acknowledged_at),
          resolvedAt: toDate(row.resolved_at),
        });
        result.set(row.entity_ref, list);
      }
    }
    return result;
  }

  /** The newest sample or incident time (opened, acknowledged, resolved) per app, any month. */
  async lastReported(entityRefs: string[]): Promise<Map<string, Date>> {
    const result = new Map<string, Date>();
    const offer = (ref: string, value: unknown) => {
      const at = toDate(value);
      const known = result.get(ref);
      if (at && (!known || at > known)) result.set(ref, at);
    };
    for (const part of chunks(uniqueRefs(entityRefs))) {
      const samples = await this.db('app_metric_samples')
        .whereIn('entity_ref', part)
        .groupBy('entity_ref')
        .select('entity_ref')
        .max({ last: 'at' });
      for (const row of samples as any[]) offer(row.entity_ref, row.last);
      const incidents = await this.db('app_incidents')
        .whereIn('entity_ref', part)
        .groupBy('entity_ref')
        .select('entity_ref')
        .max({ opened: 'opened_at' })
        .max({ acknowledged: 'acknowledged_at' })
        .max({ resolved: 'resolved_at' });
      for (const row of incidents as any[]) {
        offer(row.entity_ref, row.opened);
        offer(row.entity_ref, row.acknowledged);
        offer(row.entity_ref, row.resolved);
      }
    }
    return result;
  }

  /** When the provider's last pull succeeded. */
  async lastPull(providerId: string): Promise<Date | undefined> {
    const row = await this.db('app_metrics_pulls')
      .where({ provider_id: providerId })
      .first('last_success_at');
    return toDate(row?.last_success_at);
  }

  async recordPull(providerId: string, at: Date): Promise<void> {
    await this.db('app_metrics_pulls')
      .insert({ provider_id: providerId, last_success_at: at })
      .onConflict('provider_id')
      .merge(['last_success_at']);
  }
}
