import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Content,
  ContentHeader,
  EmptyState,
  LinkButton,
  PageWithHeader,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import type { ListAppsQuery } from '@microapps/plugin-marketplace-common';
import useDebounce from 'react-use/esm/useDebounce';
import { AppFilters, AppFilterValues } from './AppFilters';
import { AppTable } from './AppTable';
import { useAppList } from './useAppList';

const PAGE_SIZE = 25;
const KEYS = [
  'q',
  'tier',
  'gateStatus',
  'owner',
  'classification',
  'costCenter',
] as const;

/** The marketplace: every MicroApp the user may see, filtered on the server, page by page. */
export function MarketplacePage() {
  const [params, setParams] = useSearchParams();
  const filters: AppFilterValues = Object.fromEntries(
    KEYS.flatMap(k => (params.get(k) ? [[k, params.get(k)!]] : [])),
  );
  // typing should not ask the server on every key
  const [typed, setTyped] = useState(filters);
  useDebounce(() => setParams(toParams(typed), { replace: true }), 300, [
    typed,
  ]);
  const [cursors, setCursors] = useState<string[]>([]);
  const query: ListAppsQuery = {
    ...(filters as ListAppsQuery),
    limit: PAGE_SIZE,
    ...(cursors.length && { cursor: cursors[cursors.length - 1] }),
  };
  const { value, loading, error, retry } = useAppList(query);

  const change = (next: AppFilterValues) => {
    setTyped(next);
    setCursors([]);
  };
  const clear = () => change({});
  const filtered = KEYS.some(k => filters[k]);

  return (
    <PageWithHeader
      title="Micro App Marketplace"
      subtitle="Governed micro apps: their tier, gates, owner and cost"
      themeId="tool"
    >
      <Content>
        <ContentHeader title="Apps">
          <LinkButton to="/create" variant="contained" color="primary">
            Create a micro app
          </LinkButton>
        </ContentHeader>
        <Grid container spacing={3}>
          <Grid item xs={12} md={2}>
            <AppFilters values={typed} onChange={change} />
          </Grid>
          <Grid item xs={12} md={10}>
            <div role="status" aria-live="polite">
              {value &&
                !loading &&
                `${value.items.length} ${
                  value.items.length === 1 ? 'app' : 'apps'
                } on this page`}
            </div>
            {loading && <Progress />}
            {error && !loading && (
              <>
                <ResponseErrorPanel error={error} />
                <Button variant="outlined" onClick={retry}>
                  Retry
                </Button>
              </>
            )}
            {value && !loading && !error && value.items.length === 0 && (
              <EmptyState
                missing="data"
                title={filtered ? 'No apps match these filters' : 'No apps yet'}
                description={
                  filtered
                    ? 'Change or clear the filters to see more apps.'
                    : 'Create the first micro app from a secure template.'
                }
                action={
                  filtered ? (
                    <Button variant="outlined" onClick={clear}>
                      Clear filters
                    </Button>
                  ) : (
                    <LinkButton to="/create" variant="outlined">
                      Create a micro app
                    </LinkButton>
                  )
                }
              />
            )}
            {value && !loading && !error && value.items.length > 0 && (
              <>
                <AppTable apps={value.items} />
                <div>
                  <Button
                    disabled={!cursors.length}
                    onClick={() => setCursors(c => c.slice(0, -1))}
                  >
                    Previous page
                  </Button>
                  <Button
                    disabled={!value.nextCursor}
                    onClick={() => setCursors(c => [...c, value.nextCursor!])}
                  >
                    Next page
                  </Button>
                </div>
              </>
            )}
          </Grid>
        </Grid>
      </Content>
    </PageWithHeader>
  );
}

function toParams(values: AppFilterValues): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => !!v) as [string, string][],
  );
}
