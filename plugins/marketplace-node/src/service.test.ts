import { mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { DefaultMarketplaceServiceClient } from './service';

describe('DefaultMarketplaceServiceClient.registerApp', () => {
  const fetchMock = jest.spyOn(global, 'fetch');
  const client = new DefaultMarketplaceServiceClient({
    discovery: mockServices.discovery(),
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
  });
  const json = (status: number, body: object) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });

  afterEach(() => fetchMock.mockReset());
  afterAll(() => fetchMock.mockRestore());

  it('posts the registration to /internal/apps with the plugin token', async () => {
    const registration = {
      entityRef: 'microapp:default/expense-helper',
      tier: 'discover',
      expiresAt: '2027-01-30T09:00:00.000Z',
      created: true,
    };
    fetchMock.mockResolvedValue(json(201, registration));
    await expect(
      client.registerApp({
        entityRef: 'microapp:default/expense-helper',
        registeredBy: 'user:default/casey',
      }),
    ).resolves.toEqual(registration);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://localhost:0/api/marketplace/internal/apps');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({
      entityRef: 'microapp:default/expense-helper',
      registeredBy: 'user:default/casey',
    });
    expect((init?.headers as Record<string, string>).authorization).toMatch(
      /^Bearer mock-service-token:/,
    );
  });

  it('throws the backend error as a ResponseError', async () => {
    fetchMock.mockResolvedValue(
      json(403, {
        error: {
          name: 'NotAllowedError',
          message: 'Only plugin:scaffolder, plugin:catalog may call this',
        },
        request: { method: 'POST', url: '/internal/apps' },
        response: { statusCode: 403 },
      }),
    );
    const error = await client
      .registerApp({ entityRef: 'microapp:default/x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});
