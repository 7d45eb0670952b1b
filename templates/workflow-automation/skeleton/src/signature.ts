import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature-256';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';

/**
 * The signature of a webhook delivery: HMAC-SHA256 over `<timestamp>.<raw body>` with the
 * shared secret, hex encoded, prefixed with `sha256=`. Signing the timestamp too stops replays
 * of old deliveries.
 */
export function sign(
  secret: string,
  timestamp: string,
  body: Buffer | string,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(body);
  return `sha256=${hmac.digest('hex')}`;
}

export type Verdict =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export function verifySignature(options: {
  secret: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  maxAgeSeconds: number;
  now?: number;
}): Verdict {
  const { secret, body, signature, timestamp, maxAgeSeconds } = options;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'missing' };
  }
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > maxAgeSeconds) {
    return { ok: false, reason: 'stale' };
  }
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  // constant-time comparison; timingSafeEqual needs equal lengths
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'mismatch' };
  }
  return { ok: true };
}
