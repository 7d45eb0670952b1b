import { useState } from 'react';
import {
  Content,
  EmptyState,
  Link,
  PageWithHeader,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Tab from '@material-ui/core/Tab';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tabs from '@material-ui/core/Tabs';
import {
  getTier,
  PromotionRequest,
} from '@microapps/plugin-marketplace-common';
import useAsync from 'react-use/esm/useAsync';
import { marketplaceApiRef } from '../../api';
import { governancePath } from '../entityPaths';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "3 days", "5 hours": how long a request has waited. */
export function waitingFor(since: string, now = Date.now()): string {
  const ms = Math.max(0, now - new Date(since).getTime());
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  const hours = Math.floor(ms / (60 * 60 * 1000));
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

const waiting = (p: PromotionRequest) =>
  p.stages.filter(s => s.kind === 'human' && s.state === 'pending');

/** Requests waiting for the signed-in user's stages (or all pending ones), oldest first. */
export function ReviewQueuePage() {
  const api = useApi(marketplaceApiRef);
  const [mine, setMine] = useState(true);
  const { value, loading, error } = useAsync(
    () => api.listPromotions({ status: 'open', mine: mine || undefined }),
    [api, mine],
  );
  const items = [...(value?.items ?? [])].sort((a, b) =>
    a.updatedAt.localeCompare(b.updatedAt),
  );

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
        {!loading && !error && items.length === 0 && (
          <EmptyState
            missing="info"
            title={mine ? 'Nothing waiting for you' : 'No open requests'}
          />
        )}
        {!loading && !error && items.length > 0 && (
          <Table size="small" aria-label="Promotion requests">
            <caption>
              Open promotion requests, the longest waiting first
            </caption>
            <TableHead>
              <TableRow>
                <TableCell>App</TableCell>
                <TableCell>Requested tier</TableCell>
                <TableCell>Waiting stages</TableCell>
                <TableCell>Gates</TableCell>
                <TableCell>Requester</TableCell>
                <TableCell>Waiting since</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(p => (
                <TableRow key={p.id}>
                  <TableCell>
                    <Link to={governancePath(p.entityRef)}>{p.entityRef}</Link>
                  </TableCell>
                  <TableCell>{getTier(p.targetTier).title}</TableCell>
                  <TableCell>
                    {waiting(p)
                      .map(s => s.id)
                      .join(', ') || '—'}
                  </TableCell>
                  <TableCell>
                    {p.stages.find(s => s.kind === 'automated')?.state ?? '—'}
                  </TableCell>
                  <TableCell>{p.submitter}</TableCell>
                  <TableCell>{waitingFor(p.updatedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Content>
    </PageWithHeader>
  );
}
