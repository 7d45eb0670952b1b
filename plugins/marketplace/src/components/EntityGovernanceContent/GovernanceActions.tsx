import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import {
  AppState,
  getTier,
  isTierId,
  promotionRequestPermission,
  promotionReviewPermission,
  PromotionRequest,
  PromotionStage,
  TIERS,
  BUDGET_STAGE,
} from '@microapps/plugin-marketplace-common';
import { marketplaceApiRef } from '../../api';
import { CommentDialog } from './CommentDialog';

/** Why the typed budget cannot be sent, or undefined when it is a positive amount. */
function budgetProblem(typed: string): string | undefined {
  if (typed.trim() === '') return 'Enter the approved monthly budget';
  const amount = Number(typed);
  if (!Number.isFinite(amount) || amount <= 0) {
    return 'The budget must be more than 0';
  }
  return undefined;
}

/** "Request promotion", for those the server would let ask; the next tier above the current. */
export function RequestPromotionButton(props: {
  app: AppState;
  onDone: () => void;
}) {
  const { app, onDone } = props;
  const api = useApi(marketplaceApiRef);
  const [open, setOpen] = useState(false);
  const { allowed } = usePermission({
    permission: promotionRequestPermission,
    resourceRef: app.entityRef,
  });
  const current = isTierId(app.tier) ? getTier(app.tier).order : -1;
  const next = TIERS.find(t => t.order === current + 1);
  if (!allowed || app.promotion || !next || next.id === 'discover') {
    return null;
  }
  const targetTier = next.id as 'vetted' | 'enterprise';
  return (
    <>
      <Button variant="contained" color="primary" onClick={() => setOpen(true)}>
        Request promotion to {next.title}
      </Button>
      <CommentDialog
        open={open}
        title={`Request promotion to ${next.title}`}
        confirmLabel="Request"
        requireComment={false}
        onClose={() => setOpen(false)}
        onConfirm={async comment => {
          await api.createPromotion({
            entityRef: app.entityRef,
            targetTier,
            ...(comment && { comment }),
          });
          onDone();
        }}
      />
    </>
  );
}

/**
 * Approve and Reject on a waiting stage, for reviewers the server would accept: the
 * permission API allows the review and the server does not say the user may not sign this
 * stage (`mayReview`: reviewer groups, not the submitter, not an owner).
 */
export function StageActions(props: {
  promotion: PromotionRequest;
  stage: PromotionStage;
  /** The app, for the currency and forecast of the budget stage. */
  app?: Pick<AppState, 'cost'>;
  onDone: () => void;
}) {
  const { promotion, stage, onDone } = props;
  const api = useApi(marketplaceApiRef);
  const [decision, setDecision] = useState<'approve' | 'reject'>();
  const [budget, setBudget] = useState('');
  const { allowed } = usePermission({
    permission: promotionReviewPermission,
    resourceRef: promotion.entityRef,
  });
  // approving the budget stage records the app's approved monthly budget (the server refuses
  // the approval without a positive one)
  const asksBudget = decision === 'approve' && stage.id === BUDGET_STAGE;
  const currency = props.app?.cost.currency ?? 'EUR';
  const budgetError = budgetProblem(budget);
  if (
    !allowed ||
    stage.mayReview === false ||
    promotion.status !== 'open' ||
    stage.kind !== 'human' ||
    stage.state !== 'pending'
  ) {
    return null;
  }
  return (
    <>
      <Button
        size="small"
        color="primary"
        onClick={() => {
          setBudget(String(props.app?.cost.monthlyForecast ?? ''));
          setDecision('approve');
        }}
      >
        Approve {stage.id}
      </Button>
      <Button size="small" onClick={() => setDecision('reject')}>
        Reject {stage.id}
      </Button>
      <CommentDialog
        open={!!decision}
        title={`${decision === 'reject' ? 'Reject' : 'Approve'} stage ${
          stage.id
        }`}
        confirmLabel={decision === 'reject' ? 'Reject' : 'Approve'}
        requireComment
        requiredLabel={decision === 'reject' ? 'Reason' : 'What you checked'}
        confirmDisabled={asksBudget && budgetError !== undefined}
        onClose={() => setDecision(undefined)}
        onConfirm={async comment => {
          await api.signOff(promotion.id, {
            stage: stage.id,
            decision: decision!,
            comment,
            ...(asksBudget && { budget: Number(budget) }),
          });
          onDone();
        }}
      >
        {asksBudget && (
          <TextField
            id="approved-budget"
            label={`Approved monthly budget (${currency})`}
            type="number"
            required
            fullWidth
            variant="outlined"
            margin="dense"
            inputProps={{ min: 0, step: 'any' }}
            value={budget}
            onChange={e => setBudget(e.target.value)}
            error={budgetError !== undefined}
            helperText={
              budgetError ??
              'Recorded with the approval; the cost card compares the actual cost with it.'
            }
          />
        )}
      </CommentDialog>
    </>
  );
}

/** Saves the evidence package as a JSON file. */
export function EvidenceDownloadButton(props: {
  namespace: string;
  name: string;
}) {
  const api = useApi(marketplaceApiRef);
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'failed'>(
    'idle',
  );
  const download = async () => {
    setState('busy');
    try {
      const text = await api.getEvidence(props);
      const url = URL.createObjectURL(
        new Blob([text], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `evidence-${props.namespace}-${props.name}.json`;
      link.click();
      URL.revokeObjectURL(url);
      setState('done');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <Button variant="outlined" disabled={state === 'busy'} onClick={download}>
        Download evidence
      </Button>
      <span role="status">
        {state === 'busy' && ' Preparing the evidence package…'}
        {state === 'done' && ' Evidence package saved.'}
        {state === 'failed' && ' The evidence package could not be made.'}
      </span>
    </>
  );
}
