import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ADVISORIES_DIR, SBOMS_DIR } from '../__testUtils__/fixtures';
import {
  readGateResults,
  realUrlReader,
  testMicroApp,
} from '../__testUtils__/readGateResults';
import { startModuleBackend } from '../__testUtils__/startModuleBackend';
import { AdvisoryFeed } from '../services/AdvisoryFeed';
import { zipSync } from 'fflate';

// Bounds of reads. Time: a target an entity names (marketplace.reading.timeoutMs) and the
// advisory feed URL (marketplace.gates.vulnerabilities.limits.timeoutMs). A real loopback
// server that never answers, or stalls mid-body, is read through Backstage's real UrlReader
// (UrlReaders.default); the read is aborted at the limit, the server sees the connection
// close, and the result is an error naming the target and the limit. Bytes: the SBOM
// through the module's real reader, from a file location and from a URL.

const SBOM = fs.readFileSync(path.join(SBOMS_DIR, 'example11.spdx-2.3.json'));
const ADVISORY_ZIP = Buffer.from(
  zipSync(
    Object.fromEntries(
      fs
        .readdirSync(ADVISORIES_DIR)
        .filter(name => name.endsWith('.json'))
        .map(name => [name, fs.readFileSync(path.join(ADVISORIES_DIR, name))]),
    ),
  ),
);

let server: http.Server;
let port: number;
/** Requests the server got, and those whose connection the client closed. */
let requests: string[];
let closed: string[];
let tmp: string;
let location: { type: string; target: string };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    req.socket.on('close', () => closed.push(url));
    const body = url.endsWith('.zip') ? ADVISORY_ZIP : SBOM;
    const delay = /\/after-(\d+)ms\//.exec(url);
    if (url.startsWith('/hang/')) {
      // never answers
    } else if (url.startsWith('/stall/')) {
      // headers and half the body, then nothing
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, body.length >> 1));
    } else if (delay) {
      setTimeout(() => res.end(body), Number(delay[1]));
    } else {
      res.end(body);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeouts-')));
  fs.writeFileSync(path.join(tmp, 'catalog-info.yaml'), 'kind: MicroApp\n');
  fs.writeFileSync(path.join(tmp, 'sbom.spdx.json'), SBOM);
  location = { type: 'file', target: path.join(tmp, 'catalog-info.yaml') };
});

beforeEach(() => {
  requests = [];
  closed = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const at = (target: string) => `http://127.0.0.1:${port}${target}`;

/** Processes one MicroApp with the sbom and secrets gates and returns their results. */
const gateResults = (options: {
  annotations: Record<string, string>;
  readTimeoutMs?: number;
  reader?: UrlReaderService;
  /** `marketplace.gates`. */
  gates?: object;
}) =>
  readGateResults({
    entity: testMicroApp('slow', options.annotations),
    location,
    urlReader: options.reader ?? realUrlReader([{ host: `127.0.0.1:${port}` }]),
    // the server is on loopback
    allowInternalTargets: true,
    readTimeoutMs: options.readTimeoutMs,
    gates: options.gates,
  });

/** Waits until the server has seen the client close the connection of `url`. */
async function closedByClient(url: string) {
  for (let i = 0; i < 100 && !closed.includes(url); i++) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return closed.includes(url);
}

describe('marketplace.reading.timeoutMs: reads of targets an entity names', () => {
  it.each([
    ['never answers', '/hang/sbom.json'],
    ['sends headers and half the body, then stalls', '/stall/sbom.json'],
  ])(
    'an SBOM URL that %s: the sbom gate errors at the limit, naming the target and the limit',
    async (_, route) => {
      const started = Date.now();
      const { sbom } = await gateResults({
        annotations: { 'microapps.dev/sbom': at(route) },
        readTimeoutMs: 200,
      });
      const elapsed = Date.now() - started;
      expect(sbom).toMatchObject({
        status: 'error',
        error: `Could not read the SBOM: Reading '${at(
          route,
        )}' took longer than the limit of 200 ms (marketplace.reading.timeoutMs)`,
      });
      expect(elapsed).toBeGreaterThanOrEqual(190);
      expect(elapsed).toBeLessThan(3000);
      expect(requests).toEqual([route]);
      // the request was aborted, not left hanging
      expect(await closedByClient(route)).toBe(true);
    },
  );

  it('a server answering after 300 ms: passes under a 2000 ms limit, errors under a 100 ms one', async () => {
    const route = '/after-300ms/sbom.json';
    const within = await gateResults({
      annotations: { 'microapps.dev/sbom': at(route) },
      readTimeoutMs: 2000,
    });
    expect(within.sbom.status).toBe('pass');
    const over = await gateResults({
      annotations: { 'microapps.dev/sbom': at(route) },
      readTimeoutMs: 100,
    });
    expect(over.sbom).toMatchObject({
      status: 'error',
      error: expect.stringContaining(
        'took longer than the limit of 100 ms (marketplace.reading.timeoutMs)',
      ),
    });
  });

  it('a source tree whose reader never answers, and ignores the abort: the secrets gate errors at the limit', async () => {
    const signals: AbortSignal[] = [];
    const reader: UrlReaderService = {
      readUrl: jest.fn(),
      search: jest.fn(),
      readTree: (_url, options) => {
        signals.push(options!.signal!);
        return new Promise(() => {});
      },
    };
    const target = at('/hang/repo');
    const started = Date.now();
    const { secrets } = await gateResults({
      annotations: { 'microapps.dev/source-location': `url:${target}` },
      readTimeoutMs: 200,
      reader,
    });
    expect(secrets.status).toBe('error');
    expect(secrets.error).toContain(
      `Reading '${target}' took longer than the limit of 200 ms (marketplace.reading.timeoutMs)`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(signals).toHaveLength(1);
    expect(signals[0].aborted).toBe(true);
  });

  it('a source tree whose files never arrive (the archive download stalls): the secrets gate errors at the limit', async () => {
    const reader: UrlReaderService = {
      readUrl: jest.fn(),
      search: jest.fn(),
      readTree: async () => ({
        etag: 'e',
        files: () => new Promise(() => {}),
        archive: jest.fn(),
        dir: jest.fn(),
      }),
    };
    const target = at('/stall/repo');
    const { secrets } = await gateResults({
      annotations: { 'microapps.dev/source-location': `url:${target}` },
      readTimeoutMs: 200,
      reader,
    });
    expect(secrets.status).toBe('error');
    expect(secrets.error).toContain(
      `Reading '${target}' took longer than the limit of 200 ms (marketplace.reading.timeoutMs)`,
    );
  });
});

describe('marketplace.gates.sbom.maxBytes through the real reader', () => {
  const size = SBOM.length;
  const sbomWith = (target: string, maxBytes: number) =>
    gateResults({
      annotations: { 'microapps.dev/sbom': target },
      gates: { sbom: { maxBytes } },
    }).then(results => results.sbom);

  it('a file next to the entity: passes at exactly maxBytes, errors one byte below naming the limit and the key', async () => {
    expect((await sbomWith('./sbom.spdx.json', size)).status).toBe('pass');
    expect(await sbomWith('./sbom.spdx.json', size - 1)).toMatchObject({
      status: 'error',
      error: `Could not read the SBOM: './sbom.spdx.json' is ${size} bytes, more than the limit of ${
        size - 1
      } bytes (marketplace.gates.sbom.maxBytes)`,
    });
  });

  it('a URL: passes at exactly maxBytes, errors one byte below naming the limit and the key', async () => {
    const url = at('/sbom.json');
    expect((await sbomWith(url, size)).status).toBe('pass');
    expect(await sbomWith(url, size - 1)).toMatchObject({
      status: 'error',
      error: `Could not read the SBOM: '${url}' is more than the limit of ${
        size - 1
      } bytes (marketplace.gates.sbom.maxBytes)`,
    });
  });
});

describe('the module reads marketplace.reading.timeoutMs', () => {
  const startWith = (marketplace: object) =>
    startModuleBackend({ port, marketplace });

  it('aborts a read of an SBOM that never answers at the configured limit', async () => {
    const { processor, recordGateRun } = await startWith({
      reading: { allowInternalTargets: true, timeoutMs: 250 },
    });
    await processor.postProcessEntity(
      testMicroApp('slow', { 'microapps.dev/sbom': at('/hang/module.json') }),
      location,
      jest.fn(),
    );
    const sbom = recordGateRun.mock.calls[0][0].results.find(
      r => r.gateId === 'sbom',
    );
    expect(sbom).toMatchObject({
      status: 'error',
      error: `Could not read the SBOM: Reading '${at(
        '/hang/module.json',
      )}' took longer than the limit of 250 ms (marketplace.reading.timeoutMs)`,
    });
  });

  it.each([
    [0, 'marketplace.reading.timeoutMs must be a positive integer, got 0'],
    [1.5, 'marketplace.reading.timeoutMs must be a positive integer, got 1.5'],
    [
      2_147_483_648,
      'marketplace.reading.timeoutMs must be at most 2147483647, got 2147483648',
    ],
  ])(
    'stops the backend at start on timeoutMs %p, naming the key',
    async (timeoutMs, message) => {
      await expect(startWith({ reading: { timeoutMs } })).rejects.toThrow(
        message,
      );
    },
  );
});

describe('marketplace.gates.vulnerabilities.limits.timeoutMs: the advisory feed URL', () => {
  const feedFor = (
    source: string,
    timeoutMs: number,
    reader = realUrlReader([{ host: `127.0.0.1:${port}` }]),
  ) =>
    new AdvisoryFeed({
      source,
      urlReader: reader,
      logger: mockServices.logger.mock(),
      timeoutMs,
    });

  it.each([
    ['never answers', '/hang/all.zip'],
    ['sends headers and half the zip, then stalls', '/stall/all.zip'],
  ])(
    'a zip URL that %s: the load fails at the limit, naming the URL and the limit',
    async (_, route) => {
      const feed = feedFor(at(route), 200);
      const started = Date.now();
      await feed.refresh();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(feed.getIndex()).toBeUndefined();
      expect(feed.getLastError()).toBe(
        `Could not load the advisory feed ${at(route)}: Reading ${at(
          route,
        )} took longer than the limit of 200 ms (marketplace.gates.vulnerabilities.limits.timeoutMs)`,
      );
      expect(await closedByClient(route)).toBe(true);
    },
  );

  it('a zip URL answering after 300 ms: loads under a 2000 ms limit, fails under a 100 ms one', async () => {
    const feed = feedFor(at('/after-300ms/all.zip'), 2000);
    await feed.refresh();
    expect(feed.getLastError()).toBeUndefined();
    expect(feed.getIndex()?.counts.advisories).toBe(34);

    const slow = feedFor(at('/after-300ms/all.zip'), 100);
    await slow.refresh();
    expect(slow.getIndex()).toBeUndefined();
    expect(slow.getLastError()).toContain(
      'took longer than the limit of 100 ms (marketplace.gates.vulnerabilities.limits.timeoutMs)',
    );
  });

  it('a tree URL whose reader never answers, and ignores the abort: the load fails at the limit', async () => {
    const reader: UrlReaderService = {
      readUrl: jest.fn(),
      search: jest.fn(),
      readTree: () => new Promise(() => {}),
    };
    const feed = feedFor(at('/hang/advisories'), 200, reader);
    await feed.refresh();
    expect(feed.getLastError()).toContain(
      `Reading ${at(
        '/hang/advisories',
      )} took longer than the limit of 200 ms (marketplace.gates.vulnerabilities.limits.timeoutMs)`,
    );
  });
});
