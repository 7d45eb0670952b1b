import { useState } from 'react';
import {
  Content,
  EmptyState,
  Link,
  PageWithHeader,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import Tab from '@material-ui/core/Tab';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import {
  getTier,
  PromotionRequest,
  PromotionStage,
} from '@microapps/plugin-marketplace-common';
import useAsync from 'react-use/esm/useAsync';
import { marketplaceApiRef } from '../../api';
import { governancePath } from '../entityPaths';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The review SLA when `marketplace.reviews.dueAfterHours` does not set it. */
export const DEFAULT_DUE_AFTER_HOURS = 72;

/** "3 days", "5 hours", "less than an hour". */
export function duration(ms: number): string {
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  const hours = Math.floor(ms / HOUR_MS);
  if (hours === 0) return 'less than an hour';
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** "3 days", "5 hours": how long a request has waited. */
export function waitingFor(since: string, now = Date.now()): string {
  return duration(Math.max(0, now - new Date(since).getTime()));
}

/** When a request is due: its last change plus the review SLA. */
export function dueAt(request: PromotionRequest, dueAfterHours: number): Date {
  return new Date(
    new Date(request.updatedAt).getTime() + dueAfterHours * HOUR_MS,
  );
}

type Row = {
  request: PromotionRequest;
  title: string;
  stages: PromotionStage[];
  due: Date;
  overdue: boolean;
};

/** Overdue requests first, then the rest by due time: the longest waiting first. */
function byUrgency(a: Row, b: Row): number {
  return (
    Number(b.overdue) - Number(a.overdue) || a.due.getTime() - b.due.getTime()
  );
}

/** Human stages that wait for a decision; for `mine`, only those the user may sign. */
function waitingStages(p: PromotionRequest, mine: boolean): PromotionStage[] {
  return p.stages.filter(
    s =>
      s.kind === 'human' &&
      s.state === 'pending' &&
      (!mine || s.mayReview !== false),
  );
}

/** The apps' titles by entity ref, in one catalog call; refs without one are left out. */
async function titlesOf(
  catalogApi: CatalogApi,
  refs: string[],
): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  if (!refs.length) return titles;
  try {
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
    });
    // in the order of the refs, undefined where the catalog has none
    items.forEach((entity, i) => {
      if (entity?.metadata.title) titles.set(refs[i], entity.metadata.title);
    });
  } catch {
    // the queue still works with the refs
  }
  return titles;
}

/** Requests waiting for the signed-in user's stages (or all pending ones), overdue first. */
export function ReviewQueuePage() {
  const api = useApi(marketplaceApiRef);
  const config = useApi(configApiRef);
  const catalogApi = useApi(catalogApiRef);
  const dueAfterHours =
    config.getOptionalNumber('marketplace.reviews.dueAfterHours') ??
    DEFAULT_DUE_AFTER_HOURS;
  const [mine, setMine] = useState(true);
  const { value, loading, error } = useAsync(async () => {
    const { items } = await api.listPromotions({
      status: 'open',
      mine: mine || undefined,
    });
    const titles = await titlesOf(catalogApi, [
      ...new Set(items.map(p => p.entityRef)),
    ]);
    return { items, titles };
  }, [api, catalogApi, mine]);

  const now = Date.now();
  const rows: Row[] = (value?.items ?? [])
    .map(request => {
      const due = dueAt(request, dueAfterHours);
      return {
        request,
        title: value?.titles.get(request.entityRef) ?? request.entityRef,
        stages: waitingStages(request, mine),
        due,
        overdue: due.getTime() < now,
      };
    })
    .sort(byUrgency);

  return (
    <PageWithHeader title="Review queue" themeId="tool">
      <Content>
        <Tabs
          value={mine ? 0 : 1}
          onChange={(_, index) => setMine(index === 0)}
          aria-label="Which requests"
        >
          <Tab label="Assigned to me" />
          <Tab label="All pending" />
        </Tabs>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {!loading && !error && rows.length === 0 && (
          <EmptyState
            missing="info"
            title={mine ? 'Nothing waiting for you' : 'No open requests'}
          />
        )}
        {!loading && !error && rows.length > 0 && (
          <Table size="small" aria-label="Promotion requests">
            <caption>
              Open promotion requests: overdue ones first, then the longest
              waiting; a request is due {dueAfterHours} hours after its last
              change
            </caption>
            <TableHead>
              <TableRow>
                <TableCell>App</TableCell>
                <TableCell>Requested tier</TableCell>
                <TableCell>{mine ? 'Your stages' : 'Waiting stages'}</TableCell>
                <TableCell>Gates</TableCell>
                <TableCell>Requester</TableCell>
                <TableCell>Waiting since</TableCell>
                <TableCell>Due</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(({ request: p, title, stages, due, overdue }) => (
                <TableRow key={p.id}>
                  <TableCell>
                    <Link to={governancePath(p.entityRef)}>{title}</Link>
                  </TableCell>
                  <TableCell>{getTier(p.targetTier).title}</TableCell>
                  <TableCell>
                    {stages.map(s => s.id).join(', ') || '—'}
                  </TableCell>
                  <TableCell>
                    {p.stages.find(s => s.kind === 'automated')?.state ?? '—'}
                  </TableCell>
                  <TableCell>{p.submitter}</TableCell>
                  <TableCell>{waitingFor(p.updatedAt, now)}</TableCell>
                  <TableCell>
                    <time
                      dateTime={due.toISOString()}
                      title={due.toLocaleString()}
                    >
                      {overdue ? (
                        <Typography
                          component="span"
                          variant="inherit"
                          color="error"
                        >
                          <strong>
                            Overdue by {duration(now - due.getTime())}
                          </strong>
                        </Typography>
                      ) : (
                        `in ${duration(due.getTime() - now)}`
                      )}
                    </time>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Content>
    </PageWithHeader>
  );
}
