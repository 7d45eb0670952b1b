export {
  EntityCostCard,
  EntitySupportCard,
  EntityTierCard,
} from './EntityCards';
