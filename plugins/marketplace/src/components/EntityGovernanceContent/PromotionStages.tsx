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
import { formatMoney } from '../format';

const STATE_WORDS: Record<PromotionStage['state'], string> = {
  pending: 'Pending',
  passed: 'Passed',
  blocked: 'Blocked',
  approved: 'Approved',
  rejected: 'Rejected',
};

function describe(stage: PromotionStage, currency?: string): string {
  if (stage.signoff) {
    const { reviewer, createdAt, comment, budget } = stage.signoff;
    const approvedBudget =
      budget === undefined
        ? ''
        : ` · approved budget ${
            currency ? formatMoney(budget, currency) : budget
          } per month`;
    return `${reviewer} on ${new Date(createdAt).toLocaleString()}${
      comment ? `: ${comment}` : ''
    }${approvedBudget}`;
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
  /** The app's currency, for the budget a `budget` stage approved. */
  currency?: string;
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
              secondary={describe(stage, props.currency)}
            />
            {props.actions?.(stage)}
          </ListItem>
        ))}
      </List>
    </div>
  );
}
