import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { MarketplaceClient } from './MarketplaceClient';

describe('MarketplaceClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  // the app's fetch API resolves plugin:// through discovery; here it maps to a fixed base
  const fetchApi = {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(
        String(input).replace(
          'plugin://marketplace',
          'http://backend/api/marketplace',
        ),
        init,
      ),
  };
  const client = new MarketplaceClient({ fetchApi });

  it('lists apps with only the filters that are set', async () => {
    let seen = '';
    server.use(
      http.get('http://backend/api/marketplace/apps', ({ request }) => {
        seen = new URL(request.url).search;
        return HttpResponse.json({ items: [], nextCursor: 'c2' });
      }),
    );
    await expect(
      client.listApps({ tier: 'vetted', q: '', limit: 25 }),
    ).resolves.toEqual({ items: [], nextCursor: 'c2' });
    expect(seen).toBe('?tier=vetted&limit=25');
  });

  it('asks for promotions with the queue filters', async () => {
    let seen = '';
    server.use(
      http.get('http://backend/api/marketplace/promotions', ({ request }) => {
        seen = new URL(request.url).search;
        return HttpResponse.json({ items: [] });
      }),
    );
    await client.listPromotions({ status: 'open', mine: true });
    expect(seen).toBe('?status=open&mine=true');
  });

  it("throws the backend's error as a ResponseError", async () => {
    server.use(
      http.get('http://backend/api/marketplace/apps/default/x', () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: "No app 'microapp:default/x'",
            },
            request: { method: 'GET', url: '/apps/default/x' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client
      .getApp({ namespace: 'default', name: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(404);
    expect(error.cause.message).toBe("No app 'microapp:default/x'");
  });
  it('renews an app with a POST and answers its new state', async () => {
    let method = '';
    server.use(
      http.post(
        'http://backend/api/marketplace/apps/default/pay%20widget/renew',
        ({ request }) => {
          method = request.method;
          return HttpResponse.json({
            entityRef: 'microapp:default/pay widget',
            tier: 'discover',
            expiresAt: '2027-01-28T10:00:00.000Z',
            renewal: { allowed: false, renewedAt: '2026-11-29T10:00:00.000Z' },
          });
        },
      ),
    );
    const state = await client.renewApp({
      namespace: 'default',
      name: 'pay widget',
    });
    expect(method).toBe('POST');
    expect(state).toMatchObject({
      tier: 'discover',
      expiresAt: '2027-01-28T10:00:00.000Z',
    });
  });

  it("throws the backend's refusal of a renewal as a ResponseError", async () => {
    server.use(
      http.post('http://backend/api/marketplace/apps/default/x/renew', () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message:
                'renewed on 2026-11-20; the next renewal opens on 2026-12-30',
            },
            request: { method: 'POST', url: '/apps/default/x/renew' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .renewApp({ namespace: 'default', name: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(409);
    expect(error.cause.message).toBe(
      'renewed on 2026-11-20; the next renewal opens on 2026-12-30',
    );
  });

  it('asks for the chargeback report of a month, and its CSV with the byte order mark kept', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        'http://backend/api/marketplace/reports/chargeback',
        ({ request }) => {
          const { search, searchParams } = new URL(request.url);
          seen.push(search);
          return searchParams.get('format') === 'csv'
            ? new HttpResponse('\uFEFFgroup,key\r\n', {
                headers: { 'content-type': 'text/csv; charset=utf-8' },
              })
            : HttpResponse.json({ month: '2026-11' });
        },
      ),
    );
    await expect(client.getChargebackReport('2026-11')).resolves.toEqual({
      month: '2026-11',
    });
    const blob = await client.getChargebackCsv('2026-11');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(seen).toEqual(['?month=2026-11', '?month=2026-11&format=csv']);
  });
});
