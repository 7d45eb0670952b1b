import type { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { getTier, TierId } from '@microapps/plugin-marketplace-common';
import { entityPath, governancePath } from '../entityPaths';
import { formatMoney, formatPercent } from '../format';
import type { ChargebackApp, ChargebackView } from './chargebackRows';
import styles from './ChargebackReportPage.module.css';

type Figures = {
  forecast: number;
  actual: number;
  variance: number;
  variancePercent?: number;
};

/** "€2.50 over", "€12.50 under", "on forecast": the direction in words, not colour. */
export function varianceWords(variance: number, currency: string): string {
  if (variance === 0) return 'on forecast';
  return `${formatMoney(Math.abs(variance), currency)} ${
    variance > 0 ? 'over' : 'under'
  }`;
}

/** "+25 %", "-12.5 %"; "no forecast" when there is none to compare with. */
export function percentWords(variancePercent?: number): string {
  return variancePercent === undefined
    ? 'no forecast'
    : formatPercent(variancePercent, { signed: true });
}

function Money(props: { amount: number; currency: string }) {
  return (
    <TableCell align="right" className={styles.number}>
      {formatMoney(props.amount, props.currency)}
    </TableCell>
  );
}

function FigureCells(props: { figures: Figures; currency: string }) {
  const { figures, currency } = props;
  return (
    <>
      <Money amount={figures.forecast} currency={currency} />
      <Money amount={figures.actual} currency={currency} />
      <TableCell align="right" className={styles.number}>
        {varianceWords(figures.variance, currency)}
      </TableCell>
      <TableCell align="right" className={styles.number}>
        {percentWords(figures.variancePercent)}
      </TableCell>
    </>
  );
}

const FIGURE_HEADERS = ['Forecast', 'Actual', 'Variance', 'Variance %'];

function Headers(props: { first: string[] }) {
  return (
    <TableHead>
      <TableRow>
        {props.first.map(h => (
          <TableCell key={h}>{h}</TableCell>
        ))}
        {FIGURE_HEADERS.map(h => (
          <TableCell key={h} align="right">
            {h}
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}

function TotalRow(props: {
  view: ChargebackView;
  currency: string;
  span: number;
  extra?: ReactNode;
}) {
  const { view, currency } = props;
  return (
    <TableRow>
      <TableCell
        component="th"
        scope="row"
        role="rowheader"
        colSpan={props.span}
      >
        <strong>Total</strong>
      </TableCell>
      <TableCell>{view.totals.apps}</TableCell>
      {props.extra}
      <FigureCells figures={view.totals} currency={currency} />
    </TableRow>
  );
}

/** The owner's name, linked to its catalog page. */
function Owner(props: { entityRef: string }) {
  let name = props.entityRef;
  try {
    name = parseEntityRef(props.entityRef).name;
  } catch {
    return <>{props.entityRef}</>;
  }
  return <Link to={entityPath(props.entityRef)}>{name}</Link>;
}

function tierTitle(tier: string): string {
  try {
    return getTier(tier as TierId).title;
  } catch {
    return tier.charAt(0).toLocaleUpperCase('en-US') + tier.slice(1);
  }
}

/** Cost centres: the figures of the chart, with the unallocated costs. */
export function CostCenterTable(props: {
  view: ChargebackView;
  currency: string;
  caption: string;
}) {
  const { view, currency } = props;
  return (
    <Table size="small" aria-label="Cost centres">
      <caption className={styles.caption}>{props.caption}</caption>
      <TableHead>
        <TableRow>
          <TableCell>Cost centre</TableCell>
          <TableCell>Apps</TableCell>
          <TableCell align="right">Unallocated</TableCell>
          {FIGURE_HEADERS.map(h => (
            <TableCell key={h} align="right">
              {h}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {view.byCostCenter.map(row => (
          <TableRow key={row.key}>
            <TableCell component="th" scope="row" role="rowheader">
              {row.title ? `${row.title} (${row.key})` : row.key || '—'}
            </TableCell>
            <TableCell>{row.apps}</TableCell>
            <TableCell align="right" className={styles.number}>
              {row.unallocated ? formatMoney(row.unallocated, currency) : '—'}
            </TableCell>
            <FigureCells figures={row} currency={currency} />
          </TableRow>
        ))}
        <TotalRow
          view={view}
          currency={currency}
          span={1}
          extra={<TableCell />}
        />
      </TableBody>
    </Table>
  );
}

/** Owners of the apps: app costs only, so without unallocated costs. */
export function OwnerTable(props: {
  view: ChargebackView;
  currency: string;
  caption: string;
}) {
  const { view, currency } = props;
  return (
    <Table size="small" aria-label="Owners">
      <caption className={styles.caption}>{props.caption}</caption>
      <Headers first={['Owner', 'Apps']} />
      <TableBody>
        {view.byOwner.map(row => (
          <TableRow key={row.key}>
            <TableCell component="th" scope="row" role="rowheader">
              <Owner entityRef={row.key} />
            </TableCell>
            <TableCell>{row.apps}</TableCell>
            <FigureCells figures={row} currency={currency} />
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Every app, linked to its Governance tab. */
export function AppTable(props: {
  apps: ChargebackApp[];
  titles: Map<string, string | undefined>;
  currency: string;
  caption: string;
}) {
  const { apps, currency, titles } = props;
  return (
    <Table size="small" aria-label="Apps">
      <caption className={styles.caption}>{props.caption}</caption>
      <Headers first={['App', 'Owner', 'Cost centre', 'Tier']} />
      <TableBody>
        {apps.map(app => (
          <TableRow key={app.entityRef}>
            <TableCell component="th" scope="row" role="rowheader">
              <Link to={governancePath(app.entityRef)}>{app.title}</Link>
            </TableCell>
            <TableCell>
              <Owner entityRef={app.owner} />
            </TableCell>
            <TableCell>
              {titles.get(app.costCenter) ?? app.costCenter}
            </TableCell>
            <TableCell>{tierTitle(app.tier)}</TableCell>
            <FigureCells figures={app} currency={currency} />
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
