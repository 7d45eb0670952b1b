import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { NotAllowedError } from '@backstage/errors';

/** The config key that turns the check off (development setups that serve repos locally). */
export const ALLOW_INTERNAL_TARGETS_KEY =
  'marketplace.reading.allowInternalTargets';

/** Resolves a host name to every address it has, as `dns.promises.lookup` with `all`. */
export type LookupAll = (
  hostname: string,
) => Promise<Array<{ address: string; family: number }>>;

const defaultLookup: LookupAll = hostname =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

function blockList(
  add: (list: BlockList) => void,
): (address: string) => boolean {
  const list = new BlockList();
  add(list);
  return address => list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

// Addresses an entity must never make the backend read: this machine, the link-local network
// and cloud metadata services (instance credentials). IPv4-mapped IPv6 addresses
// (::ffff:127.0.0.1) match the IPv4 rules. Private networks (10/8, 172.16/12, 192.168/16) are
// not refused: self-hosted GitHub, GitLab and Bitbucket live there.
const INTERNAL: Array<{ matches: (address: string) => boolean; is: string }> = [
  {
    is: 'a loopback address (this machine)',
    matches: blockList(l => {
      l.addSubnet('127.0.0.0', 8, 'ipv4');
      l.addAddress('::1', 'ipv6');
    }),
  },
  {
    is: 'the unspecified address, which reaches this machine',
    matches: blockList(l => {
      l.addSubnet('0.0.0.0', 8, 'ipv4');
      l.addAddress('::', 'ipv6');
    }),
  },
  {
    is: 'a link-local address, where cloud metadata services answer',
    matches: blockList(l => {
      l.addSubnet('169.254.0.0', 16, 'ipv4');
      l.addSubnet('fe80::', 10, 'ipv6');
    }),
  },
  {
    is: 'a cloud metadata address',
    matches: blockList(l => {
      l.addAddress('fd00:ec2::254', 'ipv6'); // AWS instance metadata over IPv6
      l.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
      l.addAddress('168.63.129.16', 'ipv4'); // Azure wire server
    }),
  },
];

// Names that reach a metadata service without DNS saying so (GCP resolves them internally).
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

function internalKind(address: string): string | undefined {
  return INTERNAL.find(rule => rule.matches(address))?.is;
}

/**
 * Refuses a URL an entity named (its SBOM, its source tree) when it points at this machine,
 * the link-local network or a cloud metadata service, whatever `backend.reading.allow`
 * says: IP literals in any form URL parsing accepts (`2130706433`, `[::1]`), metadata host
 * names, and host names whose DNS answer holds any such address. A host name that does not
 * resolve is refused too: it cannot be checked. Throws a `NotAllowedError` naming the URL and
 * the reason; returns when the URL may be read.
 *
 * The check runs before UrlReader reads. UrlReader resolves the name again when it connects
 * and follows redirects the allow list permits without this check, so the allow list stays
 * what decides which hosts are trusted.
 */
export async function refuseInternalTargets(
  url: string,
  options: { lookup?: LookupAll; signal?: AbortSignal } = {},
): Promise<void> {
  const refuse = (why: string) =>
    new NotAllowedError(
      `Refused to read '${url}': ${why}. Entities may not point at this machine, link-local ` +
        `addresses or cloud metadata services (${ALLOW_INTERNAL_TARGETS_KEY} is off)`,
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NotAllowedError(`Refused to read '${url}': it is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new NotAllowedError(
      `Refused to read '${url}': only http and https URLs are read for an entity`,
    );
  }
  // URL parsing has normalised numeric forms (2130706433, 0x7f.1) to dotted IPv4 already.
  const host = parsed.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host)) {
    const kind = internalKind(host);
    if (kind) throw refuse(`${host} is ${kind}`);
    return;
  }
  if (METADATA_HOSTS.has(host)) {
    throw refuse(`'${host}' is a cloud metadata host name`);
  }

  let addresses: Array<{ address: string }>;
  try {
    addresses = await abortable(
      (options.lookup ?? defaultLookup)(host),
      options.signal,
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const code = (error as { code?: string }).code ?? String(error);
    throw refuse(
      `its host '${host}' does not resolve (${code}), so it cannot be checked`,
    );
  }
  for (const { address } of addresses) {
    const kind = internalKind(address);
    if (kind) throw refuse(`'${host}' resolves to ${address}, ${kind}`);
  }
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
