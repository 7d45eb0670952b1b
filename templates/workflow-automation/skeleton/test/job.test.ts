import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadJobConfig, loadWebhookConfig } from '../src/config.js';
import { runDigest } from '../src/job.js';
import { fakeService } from './helpers.js';

const serviceToken = randomBytes(16).toString('hex');

describe('scheduled digest job', () => {
  it('reads the open incidents with its token and posts a digest, most severe first', async () => {
    const incidents = await fakeService(() => ({
      json: {
        items: [
          { id: 'INC-2', title: 'Slow search', severity: 'sev3' },
          {
            id: 'INC-1',
            title: 'Checkout down',
            severity: 'sev1',
            url: 'https://status.example.com/1',
          },
        ],
      },
    }));
    const chat = await fakeService();
    try {
      const result = await runDigest(
        loadJobConfig({
          INCIDENTS_API_URL: `${incidents.url}/api`,
          SERVICE_TOKEN: serviceToken,
          CHAT_WEBHOOK_URL: `${chat.url}/hooks/digest`,
        }),
      );
      assert.deepEqual(result, { posted: true, incidents: 2 });
      assert.equal(incidents.requests[0]?.url, '/api/incidents?status=open');
      assert.equal(
        incidents.requests[0]?.headers.authorization,
        `Bearer ${serviceToken}`,
      );
      assert.equal(chat.requests.length, 1);
      assert.equal(chat.requests[0]?.method, 'POST');
      assert.equal(chat.requests[0]?.url, '/hooks/digest');
      assert.deepEqual(JSON.parse(chat.requests[0]?.body ?? ''), {
        text: '2 open incident(s):\n- sev1 INC-1: Checkout down https://status.example.com/1\n- sev3 INC-2: Slow search',
      });
    } finally {
      incidents.close();
      chat.close();
    }
  });

  it('posts nothing when no incident is open', async () => {
    const incidents = await fakeService(() => ({ json: { items: [] } }));
    const chat = await fakeService();
    try {
      const result = await runDigest(
        loadJobConfig({
          INCIDENTS_API_URL: incidents.url,
          SERVICE_TOKEN: serviceToken,
          CHAT_WEBHOOK_URL: chat.url,
        }),
      );
      assert.deepEqual(result, { posted: false, incidents: 0 });
      assert.equal(chat.requests.length, 0);
    } finally {
      incidents.close();
      chat.close();
    }
  });

  it('fails when the incidents API refuses the token', async () => {
    const incidents = await fakeService(() => ({
      status: 403,
      json: { error: 'forbidden' },
    }));
    try {
      await assert.rejects(
        runDigest(
          loadJobConfig({
            INCIDENTS_API_URL: incidents.url,
            SERVICE_TOKEN: serviceToken,
            CHAT_WEBHOOK_URL: 'https://chat.example.com/hooks/x',
          }),
        ),
        /Incidents API answered 403/,
      );
    } finally {
      incidents.close();
    }
  });
});

describe('configuration', () => {
  it('names missing variables without showing values', () => {
    assert.throws(
      () =>
        loadWebhookConfig({
          CHAT_WEBHOOK_URL: 'https://chat.example.com/hooks/x',
        }),
      /WEBHOOK_SECRET is required/,
    );
    assert.throws(
      () => loadJobConfig({}),
      /INCIDENTS_API_URL is required; SERVICE_TOKEN is required; CHAT_WEBHOOK_URL is required/,
    );
  });

  it('refuses a short webhook secret and non-HTTP URLs', () => {
    assert.throws(
      () =>
        loadWebhookConfig({
          WEBHOOK_SECRET: 'short',
          CHAT_WEBHOOK_URL: 'https://chat.example.com/x',
        }),
      /WEBHOOK_SECRET needs at least 32 characters/,
    );
    assert.throws(
      () =>
        loadWebhookConfig({
          WEBHOOK_SECRET: randomBytes(32).toString('hex'),
          CHAT_WEBHOOK_URL: 'file:///etc/passwd',
        }),
      /CHAT_WEBHOOK_URL must be an http\(s\) URL/,
    );
  });

  it('uses defaults for the port and the signature age', () => {
    const config = loadWebhookConfig({
      WEBHOOK_SECRET: randomBytes(32).toString('hex'),
      CHAT_WEBHOOK_URL: 'https://chat.example.com/x',
    });
    assert.equal(config.PORT, 3000);
    assert.equal(config.WEBHOOK_MAX_AGE_SECONDS, 300);
  });
});
