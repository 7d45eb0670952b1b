import {
  EntityCostCard,
  EntityGovernanceContent,
  EntitySupportCard,
  EntityTierCard,
} from '@microapps/plugin-marketplace';
