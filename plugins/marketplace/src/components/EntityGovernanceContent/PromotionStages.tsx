import type { ReactNode } from 'react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  getTier,
  PromotionRequest,
  PromotionStage,
} from '@microapps/plugin-marketplace-common';

const STATE_WORDS: Record<PromotionStage['state'], string> = {
  pending: 'Pending',
  passed: 'Passed',
  blocked: 'Blocked',
  approved: 'Approved',
  rejected: 'Rejected',
};

function describe(stage: PromotionStage): string {
  if (stage.signoff) {
    const { reviewer, createdAt, comment } = stage.signoff;
    return `${reviewer} on ${new Date(createdAt).toLocaleString()}${
      comment ? `: ${comment}` : ''
    }`;
  }
  if (stage.blockers?.length) {
    return `Blocked by ${stage.blockers.map(b => b.gateId).join(', ')}`;
  }
  if (stage.reason) return stage.reason;
  if (stage.kind === 'automated') {
    return stage.state === 'passed'
      ? 'Every blocking gate passes or is excepted'
      : 'Waiting for the gates';
  }
  return stage.reviewers?.length
    ? `Any 1 of ${stage.reviewers.join(', ')}`
    : 'Waiting';
}

/** The open promotion: one line per stage with its state, and who signed it when. */
export function PromotionStages(props: {
  promotion: PromotionRequest;
  /** Buttons for a stage, e.g. Approve and Reject. */
  actions?: (stage: PromotionStage) => ReactNode;
}) {
  const { promotion } = props;
  return (
    <div>
      <Typography variant="body1">
        To {getTier(promotion.targetTier).title}, revision {promotion.revision},
        asked by {promotion.submitter} — {promotion.status}
      </Typography>
      <List dense aria-label="Promotion stages">
        {promotion.stages.map(stage => (
          <ListItem key={stage.id}>
            <ListItemText
              primary={`${stage.id}: ${STATE_WORDS[stage.state]}`}
              secondary={describe(stage)}
            />
            {props.actions?.(stage)}
          </ListItem>
        ))}
      </List>
    </div>
  );
}
