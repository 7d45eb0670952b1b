import { StatusError, StatusWarning } from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import type { AppSummary } from '@microapps/plugin-marketplace-common';
import { SlaStateLabel } from '../EntityCards/SlaFigures';
import { formatPercent } from '../format';
import { actualOfLimit, flagText, varianceWord } from '../operationsText';

/**
 * The month's cost against the limit, "€31.20 of €40.00" with "within forecast" or "over
 * forecast, +12 %" below; from the list's own figures, no request per row.
 */
export function CostCell(props: { app: AppSummary }) {
  const { app } = props;
  const cost = app.operations?.cost;
  if (!cost) return <>—</>;
  const ofLimit = actualOfLimit(cost, app.cost.currency);
  if (!ofLimit) return <small>No costs imported</small>;
  const word = varianceWord(cost)!;
  return (
    <>
      {ofLimit}
      <div>
        <small>
          {cost.state === 'over' ? (
            <StatusError>
              {word}
              {cost.variancePercent !== undefined &&
                `, ${formatPercent(cost.variancePercent, { signed: true })}`}
            </StatusError>
          ) : (
            word
          )}
        </small>
      </div>
    </>
  );
}

/** The SLA tier and this month's state (Met, Breached, No data) as an icon and a word. */
export function SlaCell(props: { app: AppSummary }) {
  const { app } = props;
  const state = app.operations?.slaState;
  return (
    <>
      {app.slaTier ?? '—'}
      {state && (
        <div>
          <small>
            <SlaStateLabel state={state} />
          </small>
        </div>
      )}
    </>
  );
}

/**
 * "Needs attention", with why in its accessible name and tooltip, when the app has flags;
 * the Governance tab lists them as warnings.
 */
export function FlagMarker(props: { app: AppSummary }) {
  const flags = props.app.operations?.flags ?? [];
  if (!flags.length) return null;
  const why = flags.map(flag => flagText(flag)).join('; ');
  return (
    <div>
      <Tooltip title={why}>
        <span role="img" aria-label={`Needs attention: ${why}`}>
          <StatusWarning>Needs attention</StatusWarning>
        </span>
      </Tooltip>
    </div>
  );
}
