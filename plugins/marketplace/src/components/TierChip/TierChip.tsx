import Chip from '@material-ui/core/Chip';
import { getTier, isTierId } from '@microapps/plugin-marketplace-common';

/** The tier, always written out; the colour is decoration only. */
export function TierChip(props: { tier: string }) {
  const { tier } = props;
  const title = isTierId(tier) ? getTier(tier).title : 'Expired';
  return (
    <Chip
      size="small"
      label={title}
      variant={tier === 'discover' || !isTierId(tier) ? 'outlined' : 'default'}
      color={tier === 'enterprise' ? 'primary' : 'default'}
      data-testid={`tier-${tier}`}
    />
  );
}
