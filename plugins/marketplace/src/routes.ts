import { createRouteRef } from '@backstage/frontend-plugin-api';

export const rootRouteRef = createRouteRef();

/** The review queue; a route of its own gives it a place in the sidebar. */
export const reviewsRouteRef = createRouteRef();

/** The chargeback report. */
export const chargebackRouteRef = createRouteRef();
