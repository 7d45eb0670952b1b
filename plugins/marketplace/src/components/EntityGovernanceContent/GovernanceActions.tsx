import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import {
  AppState,
  getTier,
  isTierId,
  promotionRequestPermission,
  promotionReviewPermission,
  PromotionRequest,
  PromotionStage,
  TIERS,
} from '@microapps/plugin-marketplace-common';
import { marketplaceApiRef } from '../../api';
import { CommentDialog } from './CommentDialog';

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
  onDone: () => void;
}) {
  const { promotion, stage, onDone } = props;
  const api = useApi(marketplaceApiRef);
  const [decision, setDecision] = useState<'approve' | 'reject'>();
  const { allowed } = usePermission({
    permission: promotionReviewPermission,
    resourceRef: promotion.entityRef,
  });
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
        onClick={() => setDecision('approve')}
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
        onClose={() => setDecision(undefined)}
        onConfirm={async comment => {
          await api.signOff(promotion.id, {
            stage: stage.id,
            decision: decision!,
            comment,
          });
          onDone();
        }}
      />
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
