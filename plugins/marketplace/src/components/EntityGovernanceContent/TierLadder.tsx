import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { requestedAbove } from '../TierChip';
import { getTier, isTierId, TIERS } from '@microapps/plugin-marketplace-common';

/** Discover → Vetted → Enterprise, with the tier the app has and the one it asks for. */
export function TierLadder(props: {
  tier: string;
  requestedTier: string;
  blockers: number;
  expiresAt?: string | null;
}) {
  const { tier, requestedTier, blockers, expiresAt } = props;
  const current = isTierId(tier) ? getTier(tier).order : -1;
  const requested = requestedAbove(tier, requestedTier);
  return (
    <div>
      <Typography variant="body1">
        Tier:{' '}
        <strong>{isTierId(tier) ? getTier(tier).title : 'Expired'}</strong>
        {requested && <> · requests {getTier(requested).title}</>}
        {expiresAt && (
          <> · expires {new Date(expiresAt).toLocaleDateString()}</>
        )}
      </Typography>
      <Stepper activeStep={current} alternativeLabel aria-label="Tier ladder">
        {TIERS.map(t => (
          <Step key={t.id} completed={t.order <= current}>
            <StepLabel
              optional={
                t.order === current + 1 && blockers > 0 ? (
                  <Typography variant="caption" color="error">
                    Blocked by {blockers} gate{blockers === 1 ? '' : 's'}
                  </Typography>
                ) : undefined
              }
            >
              {t.title}
            </StepLabel>
          </Step>
        ))}
      </Stepper>
    </div>
  );
}
