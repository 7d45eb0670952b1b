import express from 'express';
import request from 'supertest';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import { createRouter } from './router';
import type { MarketplaceService } from './MarketplaceService';

const run: GateRun = {
  entityRef: 'microapp:default/a',
  evaluatedAt: '2026-11-28T10:00:00.000Z',
  tier: 'vetted',
  status: 'fail',
  inputHash: 'f'.repeat(64),
  results: [
    { gateId: 'sbom', status: 'fail', enforcement: 'block', findings: [] },
  ],
};

/** An authorization header of another plugin's service credentials. */
const asPlugin = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'marketplace',
  });

describe('router', () => {
  const service: jest.Mocked<MarketplaceService> = {
    listApps: jest.fn(),
    getApp: jest.fn(),
    getGates: jest.fn(),
    recordGateRun: jest.fn(),
  };
  let app: express.Express;

  beforeEach(async () => {
    jest.resetAllMocks();
    const router = await createRouter({
      httpAuth: mockServices.httpAuth({ pluginId: 'marketplace' }),
      service,
    });
    app = express().use(router).use(mockErrorHandler());
  });

  it('lists apps with the validated filters and the caller credentials', async () => {
    service.listApps.mockResolvedValue({ items: [] });
    const res = await request(app)
      .get(
        `/apps?tier=vetted&gateStatus=fail&owner=${encodeURIComponent(
          'group:default/a',
        )}&limit=5`,
      )
      .set('authorization', mockCredentials.user.header('user:default/sam'));
    expect(res.body).toEqual({ items: [] });
    expect(res.status).toBe(200);
    expect(service.listApps).toHaveBeenCalledWith(
      {
        tier: 'vetted',
        gateStatus: 'fail',
        owner: 'group:default/a',
        limit: 5,
      },
      mockCredentials.user('user:default/sam'),
    );
  });

  it.each([
    ['/apps?tier=gold', 'tier'],
    ['/apps?limit=0', 'limit'],
    ['/apps?limit=1000', 'limit'],
    ['/apps?gateStatus=red', 'gateStatus'],
  ])('refuses bad input %s with a 400 naming %s', async (url, field) => {
    const res = await request(app).get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    expect(service.listApps).not.toHaveBeenCalled();
  });

  it('answers 404 for an app the service does not find or hide', async () => {
    service.getApp.mockRejectedValue(
      new NotFoundError("No app 'microapp:default/x'"),
    );
    const res = await request(app).get('/apps/default/x');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("No app 'microapp:default/x'");
  });

  it('serves the gate results of an app', async () => {
    service.getGates.mockResolvedValue({
      evaluatedAt: run.evaluatedAt,
      tier: 'vetted',
      status: 'fail',
      results: run.results,
    });
    const res = await request(app).get('/apps/default/a/gates');
    expect(res.status).toBe(200);
    expect(res.body.results[0].gateId).toBe('sbom');
    expect(service.getGates).toHaveBeenCalledWith(
      { namespace: 'default', name: 'a' },
      expect.anything(),
    );
  });

  describe('POST /internal/gate-runs', () => {
    it('stores a run from the catalog backend', async () => {
      service.recordGateRun.mockResolvedValue({ id: '1', created: true });
      const res = await request(app)
        .post('/internal/gate-runs')
        .set('authorization', asPlugin('plugin:catalog'))
        .send(run);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: '1', created: true });
      expect(service.recordGateRun).toHaveBeenCalledWith(run);
    });

    it('refuses users (DENY)', async () => {
      const res = await request(app)
        .post('/internal/gate-runs')
        .set('authorization', mockCredentials.user.header())
        .send(run);
      expect(res.status).toBe(403);
      expect(service.recordGateRun).not.toHaveBeenCalled();
    });

    it('refuses other plugins (DENY)', async () => {
      const res = await request(app)
        .post('/internal/gate-runs')
        .set('authorization', asPlugin('plugin:scaffolder'))
        .send(run);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('plugin:catalog');
      expect(service.recordGateRun).not.toHaveBeenCalled();
    });

    it('refuses a malformed run with a 400 naming the field', async () => {
      const res = await request(app)
        .post('/internal/gate-runs')
        .set('authorization', asPlugin('plugin:catalog'))
        .send({ ...run, inputHash: 'nope' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('inputHash');
      expect(service.recordGateRun).not.toHaveBeenCalled();
    });
  });
});
