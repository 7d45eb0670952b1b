import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { requestedAbove } from '../TierChip';
import { expiryOf, expiryText } from '../expiry';
import { getTier, isTierId, TIERS } from '@microapps/plugin-marketplace-common';

/**
 * Discover → Vetted → Enterprise, with the tier the app has and the one it asks for; for a
 * Discover app, when it expires, and for an expired one that it is hidden until renewed.
 */
export function TierLadder(props: {
  tier: string;
  requestedTier: string;
  blockers: number;
  expiresAt?: string | null;
  /** Shown below the tier line, e.g. the renewal. */
  children?: React.ReactNode;
}) {
  const { tier, requestedTier, blockers, expiresAt, children } = props;
  // an expired app is still a Discover app, hidden until renewed
  const ladderTier = tier === 'expired' ? 'discover' : tier;
  const current = isTierId(ladderTier) ? getTier(ladderTier).order : -1;
  const requested = requestedAbove(tier, requestedTier);
  const expiry = expiryOf({ tier, expiresAt });
  return (
    <div>
      <Typography variant="body1">
        Tier:{' '}
        <strong>{isTierId(tier) ? getTier(tier).title : 'Expired'}</strong>
        {requested && <> · requests {getTier(requested).title}</>}
        {expiry && expiry.state !== 'expired' && <> · {expiryText(expiry)}</>}
      </Typography>
      {expiry?.state === 'expired' && (
        <Alert severity="error">{expiryText(expiry)}</Alert>
      )}
      {children}
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
