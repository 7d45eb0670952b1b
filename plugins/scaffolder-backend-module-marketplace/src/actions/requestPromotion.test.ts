import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createActionContext, outputsOf } from '../__testUtils__/actionContext';
import { createRequestPromotionAction } from './requestPromotion';

const app: Entity = {
  apiVersion: 'microapps.dev/v1alpha1',
  kind: 'MicroApp',
  metadata: { name: 'expense-helper', namespace: 'default' },
  spec: {},
};

const json = (status: number, body: unknown, statusText?: string) =>
  new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'content-type': 'application/json' },
  });

describe('marketplace:promotion:request', () => {
  const workspace = createMockDirectory();
  let catalog: ReturnType<typeof catalogServiceMock.mock>;
  let fetchMock: jest.Mock;
  const auth = mockServices.auth.mock({
    getPluginRequestToken: async () => ({ token: 'on-behalf-of-jane' }),
  });
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async id => `http://localhost:7007/api/${id}`,
  });
  let action: ReturnType<typeof createRequestPromotionAction>;

  beforeEach(() => {
    catalog = catalogServiceMock.mock({ getEntityByRef: async () => app });
    fetchMock = jest.fn(async () =>
      json(201, { id: 'p-1', status: 'open', entityRef: 'x' }),
    );
    action = createRequestPromotionAction({
      catalog,
      auth,
      discovery,
      fetch: fetchMock,
      pollIntervalMs: 1,
    });
  });

  const run = async (
    input: object = {},
    options: { isDryRun?: boolean; checkpoints?: Map<string, unknown> } = {},
  ) => {
    const ctx = createActionContext({
      input: {
        entityRef: 'microapp:default/expense-helper',
        targetTier: 'vetted',
        ...input,
      },
      workspacePath: workspace.path,
      ...options,
    });
    await action.handler(ctx);
    return ctx;
  };

  it('requests the promotion on behalf of the user who runs the template', async () => {
    const ctx = await run({ comment: 'ready for review' });
    expect(auth.getPluginRequestToken).toHaveBeenCalledWith({
      onBehalfOf: mockCredentials.user(),
      targetPluginId: 'marketplace',
    });
    expect(fetchMock).toHaveBeenCalledWith(
      'http://localhost:7007/api/marketplace/promotions',
      expect.objectContaining({
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer on-behalf-of-jane',
        },
      }),
    );
    expect(JSON.parse(fetchMock.mock.calls[0][1].body)).toEqual({
      entityRef: 'microapp:default/expense-helper',
      targetTier: 'vetted',
      comment: 'ready for review',
    });
    expect(outputsOf(ctx)).toEqual({ promotionId: 'p-1', status: 'open' });
  });

  it('waits for the catalog to hold the app', async () => {
    catalog.getEntityByRef
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(undefined);
    await run();
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'microapp:default/expense-helper',
      { credentials: mockCredentials.user() },
    );
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('gives up when the app does not appear in time', async () => {
    catalog.getEntityByRef.mockResolvedValue(undefined);
    await expect(run({ waitForEntitySeconds: 0 })).rejects.toThrow(
      'entityRef: microapp:default/expense-helper is not in the catalog after 0 s of waiting (waitForEntitySeconds)',
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("fails with the marketplace's message when it refuses", async () => {
    fetchMock.mockResolvedValueOnce(
      json(
        409,
        {
          error: {
            name: 'ConflictError',
            message:
              'A promotion of microapp:default/expense-helper is already open',
          },
          request: { method: 'POST', url: '/promotions' },
          response: { statusCode: 409 },
        },
        'Conflict',
      ),
    );
    const error = await run().catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.cause.statusCode).toBe(409);
    expect(error.message).toBe(
      'The marketplace refused to promote microapp:default/expense-helper to vetted: A promotion of microapp:default/expense-helper is already open; caused by ResponseError: Request failed with 409 Conflict',
    );
  });

  it('requests once when the task is retried', async () => {
    const checkpoints = new Map<string, unknown>();
    await run({}, { checkpoints });
    const ctx = await run({}, { checkpoints });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(outputsOf(ctx)).toEqual({ promotionId: 'p-1', status: 'open' });
  });

  it('makes no calls in a dry run', async () => {
    const ctx = await run({}, { isDryRun: true });
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(outputsOf(ctx)).toEqual({ promotionId: 'dry-run', status: 'open' });
  });

  it('refuses an entity ref it cannot parse', async () => {
    await expect(run({ entityRef: 'microapp:' })).rejects.toThrow(
      "entityRef must be an entity ref such as microapp:default/name, got 'microapp:'",
    );
  });
});
