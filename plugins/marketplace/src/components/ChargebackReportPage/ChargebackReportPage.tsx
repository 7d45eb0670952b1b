import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Content,
  EmptyState,
  PageWithHeader,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import type { ChargebackReport } from '@microapps/plugin-marketplace-common';
import useAsync from 'react-use/esm/useAsync';
import { marketplaceApiRef } from '../../api';
import { formatMonth } from '../format';
import { ChargebackChart } from './ChargebackChart';
import {
  ChargebackFilters,
  hasNoCosts,
  previousMonth,
  viewOf,
} from './chargebackRows';
import { AppTable, CostCenterTable, OwnerTable } from './ChargebackTables';
import styles from './ChargebackReportPage.module.css';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const FILTERS = ['costCenter', 'tier', 'owner'] as const;

function isForbidden(error: Error): boolean {
  return (error as { statusCode?: number }).statusCode === 403;
}

/** A native select: one option per value, "All" first. */
function FilterSelect(props: {
  id: string;
  label: string;
  value?: string;
  options: Array<[value: string, title: string]>;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      id={props.id}
      className={styles.filter}
      select
      label={props.label}
      value={props.value ?? ''}
      onChange={e => props.onChange(e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
    >
      <option value="">All</option>
      {props.options.map(([value, title]) => (
        <option key={value} value={value}>
          {title}
        </option>
      ))}
    </TextField>
  );
}

/** Saves the month's CSV as the backend wrote it. */
function DownloadCsvButton(props: { month: string; disabled?: boolean }) {
  const api = useApi(marketplaceApiRef);
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const download = async () => {
    setState('busy');
    try {
      const blob = await api.getChargebackCsv(props.month);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `chargeback-${props.month}.csv`;
      link.click();
      URL.revokeObjectURL(url);
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return (
    <div className={styles.download}>
      <Button
        variant="outlined"
        color="primary"
        disabled={props.disabled || state === 'busy'}
        onClick={download}
      >
        Download CSV
      </Button>
      {state === 'failed' && (
        <Typography role="alert" color="error" variant="body2">
          The CSV could not be downloaded; try again.
        </Typography>
      )}
    </div>
  );
}

/** The options of the filters, from the whole report. */
function filterOptions(report?: ChargebackReport) {
  const unique = (values: string[]) => [...new Set(values)].sort();
  const titles = new Map(report?.byCostCenter.map(r => [r.key, r.title]));
  const apps = report?.apps ?? [];
  return {
    costCenter: unique(apps.map(a => a.costCenter)).map(
      c =>
        [c, titles.get(c) ? `${titles.get(c)} (${c})` : c] as [string, string],
    ),
    tier: unique(apps.map(a => a.tier)).map(
      t =>
        [t, t.charAt(0).toLocaleUpperCase('en-US') + t.slice(1)] as [
          string,
          string,
        ],
    ),
    owner: unique(apps.map(a => a.owner)).map(o => [o, o] as [string, string]),
  };
}

/**
 * The monthly chargeback report: forecast against actual per cost centre (as a chart and a
 * table), per owner and per app, biggest overspend first; filters and the month live in the
 * URL. Without a month in the URL it shows the previous month, or the newest month with costs
 * when the previous one has none.
 */
export function ChargebackReportPage() {
  const api = useApi(marketplaceApiRef);
  const [params, setParams] = useSearchParams();
  const chosen = params.get('month') ?? '';
  const month = MONTH.test(chosen) ? chosen : previousMonth();
  const filters: ChargebackFilters = Object.fromEntries(
    FILTERS.flatMap(f => (params.get(f) ? [[f, params.get(f)!]] : [])),
  );
  const setParam = (key: string, value: string, replace = false) =>
    setParams(
      current => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace },
    );

  const {
    value: report,
    loading,
    error,
  } = useAsync(() => api.getChargebackReport(month), [api, month]);
  // the default month has no costs: show the newest month that has some instead
  const redirect =
    !chosen && report?.month === month && report.latestMonth !== undefined;
  useEffect(() => {
    if (redirect && report?.latestMonth) {
      setParam('month', report.latestMonth, true);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [redirect, report?.latestMonth]);

  const view = useMemo(
    () => (report ? viewOf(report, filters) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [report, filters.costCenter, filters.tier, filters.owner],
  );
  const options = useMemo(() => filterOptions(report), [report]);
  const period = formatMonth(month);
  const forbidden = error && isForbidden(error);
  const empty = report && !redirect && hasNoCosts(report);

  let body: JSX.Element;
  if (loading || redirect) {
    body = <Progress />;
  } else if (forbidden) {
    body = (
      <EmptyState
        missing="info"
        title="You need the report permission"
        description="The chargeback report is for marketplace admins and budget reviewers (permission marketplace.report.read). Ask an admin if you need it."
      />
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!report || !view) {
    body = <Progress />;
  } else if (empty) {
    body = (
      <EmptyState
        missing="data"
        title={`No costs imported for ${month}`}
        description={`Nothing was charged to any app or cost centre in ${period}, or the costs of ${period} have not been imported yet.`}
        action={
          report.latestMonth ? (
            <Button
              variant="contained"
              color="primary"
              onClick={() => setParam('month', report.latestMonth!)}
            >
              Show {formatMonth(report.latestMonth)}
            </Button>
          ) : undefined
        }
      />
    );
  } else {
    const { currency } = report;
    const scope = view.filtered
      ? ' Filtered: the sums of the listed apps’ rounded figures.'
      : '';
    const titles = new Map(report.byCostCenter.map(r => [r.key, r.title]));
    body = (
      <>
        <section
          className={styles.section}
          aria-labelledby="chargeback-centres"
        >
          <Typography variant="h5" component="h2" id="chargeback-centres">
            Cost centres
          </Typography>
          <ChargebackChart
            rows={view.byCostCenter}
            currency={currency}
            period={period}
          />
          <CostCenterTable
            view={view}
            currency={currency}
            caption={`Forecast and actual per cost centre, ${period}, in ${currency}, biggest overspend first; the figures of the chart. Actual includes the unallocated costs charged to the centre but to no app.${scope}`}
          />
        </section>
        <section className={styles.section} aria-labelledby="chargeback-owners">
          <Typography variant="h5" component="h2" id="chargeback-owners">
            Owners
          </Typography>
          <OwnerTable
            view={view}
            currency={currency}
            caption={`Forecast and actual per owner, ${period}, in ${currency}, biggest overspend first; the costs of their apps.${scope}`}
          />
        </section>
        <section className={styles.section} aria-labelledby="chargeback-apps">
          <Typography variant="h5" component="h2" id="chargeback-apps">
            Apps
          </Typography>
          <AppTable
            apps={view.apps}
            titles={titles}
            currency={currency}
            caption={`Forecast and actual per app, ${period}, in ${currency}, biggest overspend first; each app links to its Governance tab.`}
          />
        </section>
      </>
    );
  }

  return (
    <PageWithHeader
      title="Chargeback"
      subtitle="Forecast against actual cost per cost centre, owner and app"
      themeId="tool"
    >
      <Content>
        {/* on paper, the fields' grey labels keep a 4.5:1 contrast (not on the page's grey) */}
        <Paper
          role="search"
          aria-label="Filter the report"
          className={styles.filters}
        >
          <TextField
            id="chargeback-month"
            className={styles.filter}
            label="Month"
            type="month"
            value={month}
            onChange={e => {
              if (MONTH.test(e.target.value)) setParam('month', e.target.value);
            }}
            InputLabelProps={{ shrink: true }}
            variant="outlined"
            size="small"
          />
          <FilterSelect
            id="chargeback-cost-center"
            label="Cost centre"
            value={filters.costCenter}
            options={options.costCenter}
            onChange={v => setParam('costCenter', v)}
          />
          <FilterSelect
            id="chargeback-tier"
            label="Tier"
            value={filters.tier}
            options={options.tier}
            onChange={v => setParam('tier', v)}
          />
          <FilterSelect
            id="chargeback-owner"
            label="Owner"
            value={filters.owner}
            options={options.owner}
            onChange={v => setParam('owner', v)}
          />
          <DownloadCsvButton month={month} disabled={!!error || !report} />
        </Paper>
        <div role="status" aria-live="polite">
          {view && !empty && !loading && !error && (
            <Typography variant="body2">
              {view.apps.length} app{view.apps.length === 1 ? '' : 's'} in{' '}
              {view.byCostCenter.length} cost centre
              {view.byCostCenter.length === 1 ? '' : 's'}, {period}
            </Typography>
          )}
        </div>
        {body}
      </Content>
    </PageWithHeader>
  );
}
