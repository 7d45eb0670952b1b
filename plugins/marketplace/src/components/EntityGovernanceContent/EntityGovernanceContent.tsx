import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { marketplaceApiRef } from '../../api';
import { OperationsFlags } from '../EntityCards/OperationsFlags';
import { AuditTrail } from './AuditTrail';
import { GateResults } from './GateResults';
import { GrantExceptionButton } from './GrantExceptionButton';
import {
  EvidenceDownloadButton,
  RequestPromotionButton,
  StageActions,
} from './GovernanceActions';
import { OperationsSection } from './OperationsSection';
import { PromotionStages } from './PromotionStages';
import { RenewControl } from './RenewControl';
import { TierLadder } from './TierLadder';

const POLL_PENDING_MS = 5_000;

/**
 * The Governance tab of a MicroApp: flags, tier ladder, open promotion, gate results, cost and
 * support figures, and the audit trail.
 */
export function EntityGovernanceContent() {
  const { entity } = useEntity();
  const api = useApi(marketplaceApiRef);
  const ref = {
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
  const { value, loading, error, retry } = useAsyncRetry(
    async () => Promise.all([api.getApp(ref), api.getGates(ref)]),
    [api, ref.namespace, ref.name],
  );

  const automated = value?.[0].promotion?.stages.find(
    s => s.kind === 'automated',
  );
  // the catalog evaluates the gates at the target tier shortly after a request: look again
  // until the automated stage has its verdict, so nobody has to reload the page
  useInterval(
    retry,
    automated?.state === 'pending' && !error ? POLL_PENDING_MS : null,
  );

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const [app, gates] = value!;
  const blockers =
    automated?.blockers?.length ??
    gates.results.filter(
      r =>
        r.enforcement === 'block' &&
        (r.status === 'fail' || r.status === 'error') &&
        !r.excepted,
    ).length;

  return (
    <Grid container spacing={3}>
      {!!app.operations?.flags?.length && (
        <Grid item xs={12}>
          <OperationsFlags operations={app.operations} variant="alerts" />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard
          title="Tier"
          action={
            <>
              <RequestPromotionButton app={app} onDone={retry} />{' '}
              <EvidenceDownloadButton {...ref} />
            </>
          }
        >
          <TierLadder
            tier={app.tier}
            requestedTier={app.requestedTier}
            blockers={blockers}
            expiresAt={app.expiresAt}
          >
            <RenewControl app={app} onDone={retry} />
          </TierLadder>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Promotion">
          {app.promotion ? (
            <PromotionStages
              promotion={app.promotion}
              currency={app.cost.currency}
              actions={stage => (
                <StageActions
                  promotion={app.promotion!}
                  stage={stage}
                  app={app}
                  onDone={retry}
                />
              )}
            />
          ) : (
            <>
              <Typography variant="body2" paragraph>
                <strong>No open promotion.</strong> The owners of the app can
                ask for the next tier.
              </Typography>
              {app.lastDecided && (
                <>
                  <Typography variant="subtitle2" component="h3">
                    The last request
                  </Typography>
                  <PromotionStages
                    promotion={app.lastDecided}
                    currency={app.cost.currency}
                  />
                </>
              )}
            </>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Gates"
          subheader={
            gates.evaluatedAt
              ? `Evaluated ${new Date(
                  gates.evaluatedAt,
                ).toLocaleString()} for ${gates.tier}`
              : 'Not evaluated yet'
          }
        >
          {gates.results.length ? (
            <GateResults
              results={gates.results}
              findingAction={(gateId, findingId) => (
                <GrantExceptionButton
                  entityRef={app.entityRef}
                  {...ref}
                  gateId={gateId}
                  findingId={findingId}
                  onDone={retry}
                />
              )}
            />
          ) : (
            <Typography variant="body2">
              <strong>Not reported yet.</strong> The gates run when the catalog
              processes the app.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Cost and support">
          <OperationsSection app={app} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Audit trail">
          <AuditTrail entityRef={app.entityRef} reload={value} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
