import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sign, verifySignature } from '../src/signature.js';

const secret = randomBytes(32).toString('hex');
const body = Buffer.from('{"hello":"world"}');
const now = Date.now();
const timestamp = String(Math.floor(now / 1000));

function verify(
  overrides: Partial<Parameters<typeof verifySignature>[0]> = {},
) {
  return verifySignature({
    secret,
    body,
    timestamp,
    signature: sign(secret, timestamp, body),
    maxAgeSeconds: 300,
    now,
    ...overrides,
  });
}

describe('verifySignature', () => {
  it('accepts a fresh delivery signed with the secret', () => {
    assert.deepEqual(verify(), { ok: true });
  });

  it('refuses a delivery without signature or timestamp', () => {
    assert.deepEqual(verify({ signature: undefined }), {
      ok: false,
      reason: 'missing',
    });
    assert.deepEqual(verify({ timestamp: undefined }), {
      ok: false,
      reason: 'missing',
    });
    assert.deepEqual(verify({ timestamp: 'yesterday' }), {
      ok: false,
      reason: 'missing',
    });
  });

  it('refuses another secret, a changed body and a malformed signature', () => {
    const other = randomBytes(32).toString('hex');
    assert.deepEqual(verify({ signature: sign(other, timestamp, body) }), {
      ok: false,
      reason: 'mismatch',
    });
    assert.deepEqual(verify({ body: Buffer.from('{"hello":"there"}') }), {
      ok: false,
      reason: 'mismatch',
    });
    assert.deepEqual(verify({ signature: 'sha256=abc' }), {
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a replay of an old delivery, even with its valid signature', () => {
    const old = String(Math.floor(now / 1000) - 301);
    assert.deepEqual(
      verify({ timestamp: old, signature: sign(secret, old, body) }),
      {
        ok: false,
        reason: 'stale',
      },
    );
  });
});
