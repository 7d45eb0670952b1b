import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { IncidentEvent } from '../src/events.js';
import { describeEvent } from '../src/events.js';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../src/signature.js';
import { createWebhookServer } from '../src/webhook.js';
import { listen } from './helpers.js';

const secret = randomBytes(32).toString('hex');
const event: IncidentEvent = {
  type: 'incident.opened',
  incident: {
    id: 'INC-42',
    title: 'Mail relay queue growing',
    severity: 'sev2',
  },
};

describe('webhook server', () => {
  let server: Server;
  let base: string;
  const handled: IncidentEvent[] = [];

  before(async () => {
    server = createWebhookServer({
      secret,
      maxAgeSeconds: 300,
      maxBodyBytes: 1024,
      handle: async e => {
        handled.push(e);
      },
    });
    base = await listen(server);
  });

  after(() => {
    server.close();
  });

  function deliver(body: string, headers: Record<string, string> = {}) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return fetch(`${base}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(secret, timestamp, body),
        ...headers,
      },
      body,
    });
  }

  it('accepts a signed, valid event and hands it on', async () => {
    handled.length = 0;
    const res = await deliver(JSON.stringify(event));
    assert.equal(res.status, 202);
    assert.deepEqual(handled, [event]);
  });

  it('refuses an unsigned or wrongly signed delivery without handling it', async () => {
    handled.length = 0;
    const body = JSON.stringify(event);
    const unsigned = await fetch(`${base}/webhook`, { method: 'POST', body });
    assert.equal(unsigned.status, 401);
    const forged = await deliver(body, {
      [SIGNATURE_HEADER]: sign('another-secret', '1', body),
    });
    assert.equal(forged.status, 401);
    assert.deepEqual(handled, []);
  });

  it('refuses a signed payload that is not an incident event', async () => {
    const res = await deliver(
      JSON.stringify({ type: 'user.deleted', user: 'ada' }),
    );
    assert.equal(res.status, 400);
    const notJson = await deliver('not json');
    assert.equal(notJson.status, 400);
  });

  it('refuses a body over the size limit', async () => {
    const res = await deliver(JSON.stringify({ padding: 'x'.repeat(2048) }));
    assert.equal(res.status, 413);
  });

  it('answers health probes and nothing else', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/webhook`)).status, 405);
    assert.equal((await fetch(`${base}/other`)).status, 404);
  });

  it('describes events for chat', () => {
    assert.equal(
      describeEvent(event),
      'Incident INC-42 (sev2) opened: Mail relay queue growing',
    );
  });
});
