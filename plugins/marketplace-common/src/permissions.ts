import { createPermission } from '@backstage/plugin-permission-common';

/** The permission resource type of a MicroApp; resource refs are its entity refs. @public */
export const MICRO_APP_RESOURCE_TYPE = 'microapp';

/** Ask for an app's promotion to a higher tier. Default rule: owners of the app. @public */
export const promotionRequestPermission = createPermission({
  name: 'marketplace.promotion.request',
  attributes: { action: 'create' },
  resourceType: MICRO_APP_RESOURCE_TYPE,
});

/**
 * Sign off (approve or reject) a stage of an app's open promotion. Default rule: members of
 * the stage's reviewer groups who are neither the submitter nor an owner of the app.
 *
 * @public
 */
export const promotionReviewPermission = createPermission({
  name: 'marketplace.promotion.review',
  attributes: { action: 'update' },
  resourceType: MICRO_APP_RESOURCE_TYPE,
});

/** Grant an exception for one finding of one gate. Default rule: security reviewers. @public */
export const exceptionGrantPermission = createPermission({
  name: 'marketplace.exception.grant',
  attributes: { action: 'create' },
  resourceType: MICRO_APP_RESOURCE_TYPE,
});

/** Set an app's tier outside the workflow (demotion). Default rule: admins. @public */
export const tierOverridePermission = createPermission({
  name: 'marketplace.tier.override',
  attributes: { action: 'update' },
});

/** Read reports and the whole audit log. Default rule: admins and budget reviewers. @public */
export const reportReadPermission = createPermission({
  name: 'marketplace.report.read',
  attributes: { action: 'read' },
});

/** Every permission of the marketplace. @public */
export const marketplacePermissions = [
  promotionRequestPermission,
  promotionReviewPermission,
  exceptionGrantPermission,
  tierOverridePermission,
  reportReadPermission,
];
