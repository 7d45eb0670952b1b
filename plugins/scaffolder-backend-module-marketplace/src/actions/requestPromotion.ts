import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ForwardedError, InputError, ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PromotionRequest } from '@microapps/plugin-marketplace-common';
import { normalizeEntityRef } from '../lib/inputs';
import { MAX_WAIT_SECONDS, waitForEntity } from '../lib/waitForEntity';
import { examples } from './requestPromotion.examples';

const DEFAULT_WAIT_SECONDS = 60;

/**
 * Creates `marketplace:promotion:request`, which asks the marketplace, on behalf of the user
 * who runs the template, to promote the app to a higher tier. It first waits for the catalog
 * to hold the app, which a just-registered location needs a moment for.
 *
 * @public
 */
export function createRequestPromotionAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  /** The fetch to call the marketplace with; default the global one. */
  fetch?: typeof fetch;
  /** How long to wait between catalog lookups. Default 2000. */
  pollIntervalMs?: number;
}) {
  const { catalog, auth, discovery, pollIntervalMs = 2000 } = options;
  const fetchImpl = options.fetch ?? fetch;

  return createTemplateAction({
    id: 'marketplace:promotion:request',
    description:
      'Requests the promotion of an app to the Vetted or Enterprise tier, on behalf of the user who runs the template',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({
            description:
              'Entity ref of the app, e.g. microapp:default/expense-helper',
          }),
        targetTier: z =>
          z.enum(['vetted', 'enterprise'], {
            description: 'The tier to promote the app to',
          }),
        comment: z =>
          z.string({ description: 'A note for the reviewers' }).optional(),
        waitForEntitySeconds: z =>
          z
            .number({
              description: `How long to wait for the app to appear in the catalog. Default ${DEFAULT_WAIT_SECONDS}`,
            })
            .min(0)
            .max(MAX_WAIT_SECONDS)
            .optional(),
      },
      output: {
        promotionId: z =>
          z.string({ description: 'Id of the promotion request' }),
        status: z =>
          z.string({
            description:
              'Status of the request: open, rejected, withdrawn or approved',
          }),
      },
    },
    async handler(ctx) {
      const { targetTier, comment } = ctx.input;
      const entityRef = normalizeEntityRef(
        ctx.input.entityRef,
        'entityRef',
        'microapp',
      );
      const waitSeconds = Math.min(
        Math.max(ctx.input.waitForEntitySeconds ?? DEFAULT_WAIT_SECONDS, 0),
        MAX_WAIT_SECONDS,
      );

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would request the promotion of ${entityRef} to ${targetTier}`,
        );
        ctx.output('promotionId', 'dry-run');
        ctx.output('status', 'open');
        return;
      }

      const promotion = await ctx.checkpoint({
        key: `promotion.request.${entityRef}.${targetTier}`,
        fn: async () => {
          const credentials = await ctx.getInitiatorCredentials();
          const found = await waitForEntity({
            catalog,
            entityRef,
            credentials,
            waitSeconds,
            pollIntervalMs,
            signal: ctx.signal,
          });
          if (!found) {
            throw new InputError(
              `entityRef: ${entityRef} is not in the catalog after ${waitSeconds} s of waiting (waitForEntitySeconds); check the catalog's processing errors of its location, then request the promotion from the app's Governance tab`,
            );
          }
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'marketplace',
          });
          const baseUrl = await discovery.getBaseUrl('marketplace');
          const response = await fetchImpl(`${baseUrl}/promotions`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
            },
            body: JSON.stringify({
              entityRef,
              targetTier,
              ...(comment && { comment }),
            }),
            signal: ctx.signal,
          });
          if (!response.ok) {
            // ResponseError's own message has only the status; the reason is in its cause
            const error = await ResponseError.fromResponse(response);
            throw new ForwardedError(
              `The marketplace refused to promote ${entityRef} to ${targetTier}: ${error.cause.message}`,
              error,
            );
          }
          const created = (await response.json()) as PromotionRequest;
          return { id: created.id, status: created.status };
        },
      });
      ctx.logger.info(
        `Requested the promotion of ${entityRef} to ${targetTier}: ${promotion.id} (${promotion.status})`,
      );
      ctx.output('promotionId', promotion.id);
      ctx.output('status', promotion.status);
    },
  });
}
