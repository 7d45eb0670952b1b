import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  AppOperations,
  AppState,
} from '@microapps/plugin-marketplace-common';
import { formatDate, formatMoney, formatMonth, formatPercent } from '../format';
import {
  actualOfLimit,
  alertsText,
  limitWord,
  varianceText,
} from '../operationsText';
import { CostBar } from './CostBar';

/**
 * The month's actual cost against its limit (the approved budget, else the forecast) with a
 * bar, the variance in money and percent, the alerts fired and the approved budget. Without
 * figures (a backend that computes none) the declared forecast alone.
 */
export function CostFigures(props: {
  declared: AppState['cost'];
  figures?: AppOperations['cost'];
  /** Adds the table of the last months' actuals (the Governance tab). */
  showHistory?: boolean;
}) {
  const { declared, figures, showHistory } = props;
  const { currency } = declared;
  const money = (amount: number) => formatMoney(amount, currency);

  if (!figures) {
    return (
      <>
        <Typography variant="h5">
          {money(declared.monthlyForecast)} <small>forecast per month</small>
        </Typography>
        <Typography variant="body2">
          Cost centre {declared.center}. No actual cost reported yet.
        </Typography>
      </>
    );
  }

  const word = limitWord(figures);
  const month = formatMonth(figures.month);
  const ofLimit = actualOfLimit(figures, currency);
  const { budget } = figures;
  return (
    <>
      {ofLimit && figures.actual !== undefined ? (
        <>
          <Typography variant="h5" component="p">
            {`${ofLimit} ${word}`}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            {month}
          </Typography>
          <CostBar
            actual={figures.actual}
            limit={figures.limit}
            over={figures.state === 'over'}
            label={`Cost of ${month}: ${ofLimit} ${word}${
              figures.limit > 0
                ? ` (${formatPercent((figures.actual / figures.limit) * 100, {
                    digits: 0,
                  })})`
                : ''
            }`}
          />
          <Typography
            variant="body2"
            // the words say over or within; the theme's red fails 4.5:1 on the page's grey
            color="textPrimary"
          >
            <strong>{varianceText(figures, currency)}</strong>
          </Typography>
          <Typography variant="body2">{alertsText(figures)}</Typography>
        </>
      ) : (
        <>
          <Typography variant="h5" component="p">
            {money(figures.limit)} <small>{word} per month</small>
          </Typography>
          <Typography variant="body2">
            <strong>No costs imported for {month}.</strong> The actual cost
            shows once a cost source reports the app.
          </Typography>
        </>
      )}
      <Typography variant="body2">
        {budget
          ? `Approved budget ${money(budget.amount)} per month, by ${
              budget.approvedBy
            } on ${formatDate(budget.approvedAt)}`
          : 'No approved budget: compared with the forecast'}
        {budget && ` (forecast ${money(declared.monthlyForecast)})`}
      </Typography>
      <Typography variant="body2">Cost centre {declared.center}</Typography>
      {showHistory && <CostHistory figures={figures} currency={currency} />}
    </>
  );
}

/** The actuals of the last months, newest first, as a table with a caption. */
function CostHistory(props: {
  figures: AppOperations['cost'];
  currency: string;
}) {
  const history = props.figures.history ?? [];
  if (!history.length) {
    return (
      <Typography variant="body2">No cost history imported yet.</Typography>
    );
  }
  return (
    <Table size="small" aria-label="Cost history">
      <caption>
        Actual cost of the last {history.length} month
        {history.length === 1 ? '' : 's'} with data, newest first
      </caption>
      <TableHead>
        <TableRow>
          <TableCell component="th" scope="col">
            Month
          </TableCell>
          <TableCell component="th" scope="col" align="right">
            Actual cost
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {history.map(row => (
          <TableRow key={row.month}>
            <TableCell component="th" scope="row">
              {formatMonth(row.month)}
            </TableCell>
            <TableCell align="right">
              {formatMoney(row.actual, props.currency)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
