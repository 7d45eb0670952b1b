import { useId } from 'react';
import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type { ChargebackRow } from '@microapps/plugin-marketplace-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMoney } from '../format';
import styles from './ChargebackReportPage.module.css';

const HEIGHT = 320;
const PER_CENTER = 150;

/** A hatch of lines in `colour`, over the page's background. */
function Hatch(props: { id: string; colour: string; background: string }) {
  return (
    <pattern
      id={props.id}
      patternUnits="userSpaceOnUse"
      width={6}
      height={6}
      patternTransform="rotate(45)"
    >
      <rect width={6} height={6} fill={props.background} />
      <line x1={0} y1={0} x2={0} y2={6} stroke={props.colour} strokeWidth={3} />
    </pattern>
  );
}

/**
 * Forecast against actual per cost centre as bars, biggest overspend first. Forecast bars are
 * hatched and outlined, actual bars solid in the primary colour, so the two differ by more
 * than colour; every bar carries its amount. The table below repeats the figures.
 */
export function ChargebackChart(props: {
  rows: ChargebackRow[];
  currency: string;
  /** e.g. "November 2026". */
  period: string;
}) {
  const { rows, currency, period } = props;
  const theme = useTheme();
  const hatchId = `forecast-hatch-${useId().replace(/:/g, '')}`;
  const ink = theme.palette.text.primary;
  const paper = theme.palette.background.paper;
  const solid = theme.palette.primary.main;
  const data = rows.map(r => ({
    key: r.key,
    forecast: r.forecast,
    actual: r.actual,
  }));
  const money = (value: unknown) => formatMoney(Number(value), currency);
  const description = `Bar chart of forecast (hatched) and actual (solid) cost per cost centre, ${period}, in ${currency}; the table below lists the same figures.`;

  return (
    <figure
      className={styles.chart}
      aria-label="Forecast and actual per cost centre"
    >
      <ul className={styles.legend} aria-hidden="true">
        <li>
          <svg width={16} height={16}>
            <defs>
              <Hatch id={`${hatchId}-key`} colour={ink} background={paper} />
            </defs>
            <rect
              x={1}
              y={1}
              width={14}
              height={14}
              fill={`url(#${hatchId}-key)`}
              stroke={ink}
            />
          </svg>
          <Typography variant="body2" component="span">
            Forecast (hatched)
          </Typography>
        </li>
        <li>
          <svg width={16} height={16}>
            <rect x={1} y={1} width={14} height={14} fill={solid} />
          </svg>
          <Typography variant="body2" component="span">
            Actual (solid)
          </Typography>
        </li>
      </ul>
      <div role="img" aria-label={description} data-testid="chargeback-chart">
        <BarChart
          width={Math.max(480, data.length * PER_CENTER)}
          height={HEIGHT}
          data={data}
          margin={{ top: 24, right: 16, bottom: 8, left: 16 }}
          barGap={4}
        >
          <defs>
            <Hatch id={hatchId} colour={ink} background={paper} />
          </defs>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="key" tick={{ fill: ink }} interval={0} />
          <YAxis tick={{ fill: ink }} tickFormatter={money} width={80} />
          <Bar
            dataKey="forecast"
            name="Forecast"
            fill={`url(#${hatchId})`}
            stroke={ink}
            strokeWidth={1.5}
            isAnimationActive={false}
          >
            <LabelList
              dataKey="forecast"
              position="top"
              formatter={money}
              fill={ink}
              fontSize={11}
            />
          </Bar>
          <Bar
            dataKey="actual"
            name="Actual"
            fill={solid}
            isAnimationActive={false}
          >
            <LabelList
              dataKey="actual"
              position="top"
              formatter={money}
              fill={ink}
              fontSize={11}
            />
          </Bar>
        </BarChart>
      </div>
    </figure>
  );
}
