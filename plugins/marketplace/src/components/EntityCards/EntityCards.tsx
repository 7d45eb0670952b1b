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
import { responseTargetMinutes, slaTargetText } from '../operationsText';
import { CostFigures } from './CostFigures';
import { LastActivity, OperationsFlags } from './OperationsFlags';
import { SlaFigures } from './SlaFigures';
import { useAppState } from './useAppState';
import { WebLink } from '../WebLink';

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
 * Tier, when a Discover app expires, gates passed out of all, the top blocker with a link to
 * the Governance tab, why the listing needs attention, and its last activity.
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
                  {/* the label is a block of its own: the count goes on the next line */}
                  <GateStatusLabel status={app.gates.status} />
                  {counts.pass ?? 0} of {total} gates passed
                </>
              )}
            </Typography>
            {blocker && (
              <Typography variant="body2">
                Blocked by {blocker.gateId}
              </Typography>
            )}
            <OperationsFlags operations={app.operations} variant="lines" />
            <LastActivity operations={app.operations} />
            <Link to={governancePath(app.entityRef)}>Governance</Link>
          </>
        );
      }}
    </AppCard>
  );
}

/**
 * Support tier with its response target, contact, roster and runbook, and the month's
 * operational figures (uptime, error rate, incidents, MTTA, MTTR, breaches).
 */
export function EntitySupportCard() {
  return (
    <AppCard title="Support">
      {app => {
        const { slaTier, contact, roster, runbook } = app.support;
        const sla = app.operations?.sla;
        const tier = slaTier ?? sla?.slaTier;
        const declared = slaTier || contact || roster || runbook;
        return (
          <>
            {declared ? (
              <dl>
                <dt>SLA tier</dt>
                <dd>
                  {tier
                    ? slaTargetText(
                        tier,
                        responseTargetMinutes(tier, sla?.responseTargetMinutes),
                      )
                    : 'not set'}
                </dd>
                <dt>Contact</dt>
                <dd>{contact ?? 'not set'}</dd>
                <dt>On-call roster</dt>
                <dd>{roster ?? 'not set'}</dd>
                <dt>Runbook</dt>
                <dd>{runbook ? <WebLink url={runbook} /> : 'not set'}</dd>
              </dl>
            ) : (
              <Typography variant="body2" paragraph>
                No support is declared: set <code>spec.support</code> (required
                from Vetted on).
              </Typography>
            )}
            <SlaFigures
              figures={sla}
              slaTier={slaTier}
              appPath={`${app.namespace}/${app.name}`}
            />
          </>
        );
      }}
    </AppCard>
  );
}

/**
 * The month's actual cost against the forecast or the approved budget, as a number and a bar,
 * with the variance, the alerts fired and the approved budget.
 */
export function EntityCostCard() {
  return (
    <AppCard title="Cost">
      {app => (
        <CostFigures declared={app.cost} figures={app.operations?.cost} />
      )}
    </AppCard>
  );
}
