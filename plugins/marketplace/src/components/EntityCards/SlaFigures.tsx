import {
  StatusAborted,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AppSlaFigures } from '@microapps/plugin-marketplace-common';
import {
  formatDateTime,
  formatMinutes,
  formatMonth,
  formatPercent,
} from '../format';
import {
  breachesText,
  responseTargetMinutes,
  SLA_STATE_WORDS,
} from '../operationsText';

/** The SLA state as an icon and a word, never colour alone. */
export function SlaStateLabel(props: { state: AppSlaFigures['state'] }) {
  const word = SLA_STATE_WORDS[props.state] ?? SLA_STATE_WORDS['no-data'];
  if (props.state === 'met') return <StatusOK>{word}</StatusOK>;
  if (props.state === 'breached') return <StatusError>{word}</StatusError>;
  return <StatusAborted>{word}</StatusAborted>;
}

const notMeasured = 'not measured';

/**
 * The month's operational figures: uptime, error rate, incidents, MTTA, MTTR, breaches of
 * the response target and when metrics were last reported. Empty states for a backend that
 * computes none and for a month without metrics (with where to report them).
 */
export function SlaFigures(props: {
  figures?: AppSlaFigures;
  /** `spec.support.slaTier`, for the target when the figures carry none. */
  slaTier?: string;
  /** `namespace/name` of the app, for the hint on where to report metrics. */
  appPath: string;
}) {
  const { figures, appPath } = props;
  if (!figures) {
    return (
      <Typography variant="body2">
        No operational figures: this marketplace backend reports none.
      </Typography>
    );
  }
  const month = formatMonth(figures.month);
  const target = responseTargetMinutes(
    figures.slaTier ?? props.slaTier,
    figures.responseTargetMinutes,
  );
  if (figures.state === 'no-data') {
    return (
      <>
        <Typography variant="body2">
          <strong>No metrics reported</strong> for {month}.
          {figures.lastReportedAt &&
            ` Last reported ${formatDateTime(figures.lastReportedAt)}.`}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Report availability samples and incidents to{' '}
          <code>POST /api/marketplace/apps/{appPath}/metrics</code>.
        </Typography>
      </>
    );
  }
  const minutes = (value?: number, none = notMeasured) =>
    value === undefined ? none : formatMinutes(value);
  return (
    <>
      <Typography variant="body2" component="div">
        SLA in {month}: <SlaStateLabel state={figures.state} />
      </Typography>
      <dl>
        <dt>Uptime</dt>
        <dd>
          {figures.uptimePercent === undefined
            ? notMeasured
            : formatPercent(figures.uptimePercent, { digits: 3 })}
        </dd>
        <dt>Error rate</dt>
        <dd>
          {figures.errorRatePercent === undefined
            ? notMeasured
            : formatPercent(figures.errorRatePercent, { digits: 3 })}
        </dd>
        <dt>Incidents</dt>
        <dd>{figures.incidents}</dd>
        <dt>Mean time to acknowledge (MTTA)</dt>
        <dd>{minutes(figures.mttaMinutes, 'no acknowledged incident')}</dd>
        <dt>Mean time to resolve (MTTR)</dt>
        <dd>{minutes(figures.mttrMinutes, 'no resolved incident')}</dd>
        <dt>Breaches</dt>
        <dd>{breachesText(figures.breaches.length, target)}</dd>
        <dt>Last reported</dt>
        <dd>
          {figures.lastReportedAt
            ? formatDateTime(figures.lastReportedAt)
            : 'never'}
        </dd>
      </dl>
    </>
  );
}
