import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { AppState } from '@microapps/plugin-marketplace-common';
import { governancePath } from '../entityPaths';
import { expiryOf, expiryText } from '../expiry';
import { GateStatusLabel } from '../GateStatusLabel';
import { requestedAbove, TierChip } from '../TierChip';
import { useAppState } from './useAppState';

const SLA_RESPONSE: Record<string, string> = {
  S1: '1 hour',
  S2: '4 hours',
  S3: '24 hours',
};

const capitalize = (text: string) =>
  text.charAt(0).toUpperCase() + text.slice(1);

/** Loading and error states shared by the cards; the body once the state is there. */
function AppCard(props: {
  title: string;
  children: (app: AppState) => React.ReactNode;
}) {
  const { value, loading, error } = useAppState();
  return (
    <InfoCard title={props.title}>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && props.children(value)}
    </InfoCard>
  );
}

/**
 * Tier, when a Discover app expires, gates passed out of all, and the top blocker with a link
 * to the Governance tab.
 */
export function EntityTierCard() {
  return (
    <AppCard title="Tier and gates">
      {app => {
        const counts = app.gates.counts;
        const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
        const blocker = app.promotion?.stages.find(s => s.blockers?.length)
          ?.blockers?.[0];
        const expiry = expiryOf(app);
        return (
          <>
            <Typography variant="body1" component="div">
              <TierChip tier={app.tier} />{' '}
              {requestedAbove(app.tier, app.requestedTier) && (
                <>requests {app.requestedTier}</>
              )}
            </Typography>
            {expiry && (
              <Typography
                variant="body2"
                color={expiry.state === 'expired' ? 'error' : 'textPrimary'}
              >
                {capitalize(expiryText(expiry))}
              </Typography>
            )}
            <Typography variant="body2" component="div">
              {total === 0 ? (
                'The gates have not been evaluated yet.'
              ) : (
                <>
                  <GateStatusLabel status={app.gates.status} /> ·{' '}
                  {counts.pass ?? 0} of {total} gates passed
                </>
              )}
            </Typography>
            {blocker && (
              <Typography variant="body2">
                Blocked by {blocker.gateId}
              </Typography>
            )}
            <Link to={governancePath(app.entityRef)}>Governance</Link>
          </>
        );
      }}
    </AppCard>
  );
}

/** Support tier, its response time, contact, roster and runbook. */
export function EntitySupportCard() {
  return (
    <AppCard title="Support">
      {app => {
        const { slaTier, contact, roster, runbook } = app.support;
        if (!slaTier && !contact && !roster && !runbook) {
          return (
            <Typography variant="body2">
              No support is declared: set <code>spec.support</code> (required
              from Vetted on).
            </Typography>
          );
        }
        return (
          <dl>
            <dt>SLA tier</dt>
            <dd>
              {slaTier
                ? `${slaTier} (response within ${SLA_RESPONSE[slaTier] ?? '?'})`
                : 'not set'}
            </dd>
            <dt>Contact</dt>
            <dd>{contact ?? 'not set'}</dd>
            <dt>On-call roster</dt>
            <dd>{roster ?? 'not set'}</dd>
            <dt>Runbook</dt>
            <dd>{runbook ? <Link to={runbook}>{runbook}</Link> : 'not set'}</dd>
          </dl>
        );
      }}
    </AppCard>
  );
}

/** The cost centre and the monthly forecast; actual cost comes with cost data (issue 7). */
export function EntityCostCard() {
  return (
    <AppCard title="Cost">
      {app => (
        <>
          <Typography variant="h5">
            {new Intl.NumberFormat('en', {
              style: 'currency',
              currency: app.cost.currency,
            }).format(app.cost.monthlyForecast)}{' '}
            <small>forecast per month</small>
          </Typography>
          <Typography variant="body2">
            Cost centre {app.cost.center}. No actual cost reported yet.
          </Typography>
        </>
      )}
    </AppCard>
  );
}
