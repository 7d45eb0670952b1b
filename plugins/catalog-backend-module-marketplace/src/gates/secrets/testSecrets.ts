import { createHash } from 'node:crypto';

// Fake credentials for tests, built at run time so that no literal in the repository looks
// like a secret to a scanner (secretlint, GitHub push protection). Deterministic per seed.

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Deterministic pseudo-random bytes from a seed. */
function seededBytes(seed: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) {
    chunks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  }
  return Buffer.concat(chunks).subarray(0, length);
}

function seededString(seed: string, alphabet: string, length: number): string {
  return Array.from(
    seededBytes(seed, length),
    b => alphabet[b % alphabet.length],
  ).join('');
}

/** An AWS access key id: the `AKIA` prefix and 16 upper-case letters and digits. @internal */
export function fakeAwsAccessKeyId(seed = 'aws-id'): string {
  return ['AK', 'IA'].join('') + seededString(seed, UPPER_DIGITS, 16);
}

/** An AWS secret access key: 40 characters of base64 alphabet. @internal */
export function fakeAwsSecretAccessKey(seed = 'aws-secret'): string {
  return seededString(seed, ALNUM, 40);
}

/** A classic GitHub personal access token: `ghp_` and 36 letters and digits. @internal */
export function fakeGitHubToken(seed = 'github'): string {
  return ['gh', 'p_'].join('') + seededString(seed, ALNUM, 36);
}

/** A PEM RSA private key with a DER-looking body (`MII…`) wrapped at 64 columns. @internal */
export function fakeRsaPrivateKey(seed = 'rsa'): string {
  const der = Buffer.concat([
    Buffer.from([0x30, 0x82, 0x04, 0xa4]),
    seededBytes(seed, 1188),
  ]);
  const body = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  const label = ['RSA', 'PRIVATE', 'KEY'].join(' ');
  return `${'-'.repeat(5)}BEGIN ${label}${'-'.repeat(5)}\n${body}\n${'-'.repeat(
    5,
  )}END ${label}${'-'.repeat(5)}`;
}
