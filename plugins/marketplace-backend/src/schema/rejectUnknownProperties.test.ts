import express from 'express';
import request from 'supertest';
import { mockErrorHandler } from '@backstage/backend-test-utils';
import { spec } from './openapi/generated';
import { rejectUnknownProperties } from './rejectUnknownProperties';

describe('rejectUnknownProperties', () => {
  const app = express()
    .use(express.json())
    .use(rejectUnknownProperties(spec))
    .use((_req, res) => {
      res.json({ passed: true });
    })
    .use(mockErrorHandler());

  it('names the unknown property and the allowed ones', async () => {
    const res = await request(app)
      .post('/promotions/abc/signoffs')
      .send({ stage: 'security', decision: 'approve', coment: 'typo' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "request/body has unknown property 'coment'; allowed: stage, decision, comment, budget",
    );
  });

  it('follows $refs and leaves known bodies, other routes and other methods alone', async () => {
    const bad = await request(app)
      .post('/internal/gate-runs')
      .send({ entityRef: 'x', extra: 1, more: 2 });
    expect(bad.body.error.message).toMatch(
      /unknown properties 'extra', 'more'/,
    );
    for (const [method, url, body] of [
      ['post', '/promotions', { entityRef: 'x', targetTier: 'vetted' }],
      ['post', '/unknown', { anything: 1 }],
      ['get', '/promotions', undefined],
    ] as const) {
      const res = await (request(app) as any)[method](url).send(body);
      expect([url, res.body]).toEqual([url, { passed: true }]);
    }
  });
});
