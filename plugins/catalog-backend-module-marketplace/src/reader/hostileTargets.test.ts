import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SBOMS_DIR } from '../__testUtils__/fixtures';
import {
  readGateResults,
  realUrlReader,
  testMicroApp,
} from '../__testUtils__/readGateResults';
import { startModuleBackend } from '../__testUtils__/startModuleBackend';
import { createEntityReader } from './createEntityReader';

// Entities name what the gates read. Whatever an entity names, the backend must not read
// this machine, link-local or metadata addresses, or files outside the entity's folder: the
// gate reports `error`, naming the target and why. Everything here goes through Backstage's
// real UrlReader (UrlReaders.default) as the backend builds it.

const SBOM = fs.readFileSync(path.join(SBOMS_DIR, 'example11.spdx-2.3.json'));

/** A loopback server that counts the requests it gets, and serves a valid SBOM. */
let server: http.Server;
let hits: string[];
let port: number;
let tmp: string;
/** A file location: tmp/apps/app/catalog-info.yaml, next to tmp/apps/outside.json. */
let location: { type: string; target: string };

beforeAll(async () => {
  hits = [];
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(SBOM);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-')));
  const app = path.join(tmp, 'apps/app');
  fs.mkdirSync(path.join(app, 'src'), { recursive: true });
  fs.writeFileSync(path.join(app, 'catalog-info.yaml'), 'kind: MicroApp\n');
  fs.writeFileSync(path.join(app, 'sbom.spdx.json'), SBOM);
  fs.writeFileSync(path.join(app, 'src/index.js'), 'export {};\n');
  fs.writeFileSync(path.join(tmp, 'apps/outside.json'), SBOM);
  fs.symlinkSync(
    path.join(tmp, 'apps/outside.json'),
    path.join(app, 'link.json'),
  );
  fs.symlinkSync(path.join(tmp, 'apps'), path.join(app, 'parent'));
  location = { type: 'file', target: path.join(app, 'catalog-info.yaml') };
});

afterAll(async () => {
  await new Promise(resolve => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Processes one MicroApp with the sbom and secrets gates and returns their results. */
const gateResults = (options: {
  annotations: Record<string, string>;
  allow: Array<{ host: string }>;
  allowInternalTargets?: boolean;
  location?: { type: string; target: string };
}) =>
  readGateResults({
    entity: testMicroApp('hostile', options.annotations),
    location: options.location ?? location,
    urlReader: realUrlReader(options.allow),
    allowInternalTargets: options.allowInternalTargets,
  });

const sbomResult = async (
  target: string,
  options: Omit<Parameters<typeof gateResults>[0], 'annotations'>,
) =>
  (
    await gateResults({
      ...options,
      annotations: { 'microapps.dev/sbom': target },
    })
  ).sbom;

const PUBLIC_ONLY = [{ host: 'example.com' }];

/** Targets are written with {port} for the loopback recorder's port. */
const at = (target: string) => target.replace('{port}', String(port));

describe('hostile targets of a file-location entity, backend.reading.allow = example.com', () => {
  beforeEach(() => hits.splice(0));

  it.each([
    [
      'http://127.0.0.1:{port}/api/catalog/entities',
      /127\.0\.0\.1 is a loopback address/,
    ],
    [
      'http://127.0.0.1:7007/api/catalog/entities',
      /127\.0\.0\.1 is a loopback address/,
    ],
    [
      'http://localhost/x',
      /'localhost' resolves to (127\.0\.0\.1|::1), a loopback address/,
    ],
    ['http://[::1]/sbom.json', /::1 is a loopback address/],
    [
      'http://169.254.169.254/latest/meta-data/',
      /169\.254\.169\.254 is a link-local address/,
    ],
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      /'metadata.google.internal' is a cloud metadata host name/,
    ],
    ['http://0.0.0.0/x', /0\.0\.0\.0 is the unspecified address/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
    ['file:///etc/passwd', /file: targets are never read for an entity/],
    ['file:/etc/passwd', /file: targets are never read for an entity/],
    ['url:file:///etc/passwd', /file: targets are never read for an entity/],
    [
      '../../../../etc/passwd',
      /it is outside the folder of the entity's location/,
    ],
    ['/etc/passwd', /it is outside the folder of the entity's location/],
    ['./../outside.json', /it is outside the folder of the entity's location/],
    // a file outside that does not exist gets the same answer: existence is not told
    ['./../missing.json', /it is outside the folder of the entity's location/],
    // link.json -> ../outside.json
    [
      './link.json',
      /it resolves to '.*apps\/outside\.json', outside the folder of the entity's location/,
    ],
    // parent -> .. (a symlinked folder)
    [
      './parent/outside.json',
      /it resolves to '.*apps\/outside\.json', outside the folder of the entity's location/,
    ],
  ])(
    '%s: the sbom gate reports error, naming the target and why',
    async (target, why) => {
      const result = await sbomResult(at(target), { allow: PUBLIC_ONLY });
      expect(result.status).toBe('error');
      const shown = at(target).replace(/^url:/, '');
      expect(result.error).toContain(`Refused to read '${shown}'`);
      expect(result.error).toMatch(why);
    },
  );

  it('still reads the SBOM next to the entity (control)', async () => {
    const result = await sbomResult('./sbom.spdx.json', { allow: PUBLIC_ONLY });
    expect(result).toMatchObject({ status: 'pass' });
  });

  it.each([
    [
      'url:http://169.254.169.254/latest/meta-data/',
      /169\.254\.169\.254 is a link-local address/,
    ],
    ['url:file:///etc', /file: targets are never read/],
    ['../..', /it is outside the folder of the entity's location/],
  ])('secrets gate: source location %s is an error', async (source, why) => {
    const { secrets } = await gateResults({
      annotations: { 'microapps.dev/source-location': source },
      allow: PUBLIC_ONLY,
    });
    expect(secrets.status).toBe('error');
    expect(secrets.error).toMatch(why);
    expect(hits).toEqual([]);
  });
});

describe('with the internal-target check off, UrlReader still refuses (backend.reading.allow = example.com)', () => {
  beforeEach(() => hits.splice(0));

  it.each([
    'http://127.0.0.1:{port}/api/catalog/entities',
    'http://localhost/x',
    'http://[::1]/sbom.json',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://0.0.0.0/x',
    'http://2130706433/',
  ])('%s: not allowed by backend.reading.allow', async target => {
    const result = await sbomResult(at(target), {
      allow: PUBLIC_ONLY,
      allowInternalTargets: true,
    });
    expect(result.status).toBe('error');
    expect(result.error).toContain(
      `Reading from '${at(target)}' is not allowed`,
    );
    expect(result.error).toContain('backend.reading.allow');
    expect(hits).toEqual([]);
  });
});

describe('an allow list that lets internal hosts through', () => {
  const permissive = () => [
    { host: `127.0.0.1:${port}` },
    { host: `localhost:${port}` },
    { host: '*.internal' },
    { host: '169.254.169.254' },
  ];
  beforeEach(() => hits.splice(0));

  it.each([
    'http://127.0.0.1:{port}/sbom.json',
    'http://localhost:{port}/sbom.json',
    'http://2130706433:{port}/sbom.json',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://169.254.169.254/latest/meta-data/',
  ])('%s is refused by the module all the same', async target => {
    const result = await sbomResult(at(target), { allow: permissive() });
    expect(result.status).toBe('error');
    expect(result.error).toContain(`Refused to read '${at(target)}'`);
    expect(result.error).toContain('marketplace.reading.allowInternalTargets');
    expect(hits).toEqual([]);
  });

  it('a url-location entity cannot reach the loopback host of its location either', async () => {
    const result = await sbomResult('./sbom.json', {
      allow: permissive(),
      location: {
        type: 'url',
        target: at('http://127.0.0.1:{port}/apps/app/catalog-info.yaml'),
      },
    });
    expect(result.status).toBe('error');
    expect(result.error).toContain(
      at("Refused to read 'http://127.0.0.1:{port}/apps/app/sbom.json'"),
    );
    expect(hits).toEqual([]);
  });

  it('a host name under a wildcard that resolves to 127.0.0.1 is refused before UrlReader reads', async () => {
    const urlReader = realUrlReader([{ host: `*.corp.example:${port}` }]);
    const readUrl = jest.spyOn(urlReader, 'readUrl');
    const reader = createEntityReader({
      urlReader,
      location,
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const target = at('http://sbom.corp.example:{port}/sbom.json');
    await expect(reader.readFile(target)).rejects.toThrow(
      `Refused to read '${target}': 'sbom.corp.example' resolves to 127.0.0.1, a loopback address`,
    );
    expect(readUrl).not.toHaveBeenCalled();
    expect(hits).toEqual([]);
  });

  it('with marketplace.reading.allowInternalTargets the same read reaches the server (control)', async () => {
    const result = await sbomResult(at('http://127.0.0.1:{port}/sbom.json'), {
      allow: permissive(),
      allowInternalTargets: true,
    });
    expect(result).toMatchObject({ status: 'pass' });
    expect(hits).toEqual(['/sbom.json']);
  });
});

describe('the module reads marketplace.reading.allowInternalTargets', () => {
  async function processWithModule(marketplace: object) {
    const { processor, recordGateRun } = await startModuleBackend({
      port,
      marketplace,
    });
    await processor.postProcessEntity(
      testMicroApp('hostile', {
        'microapps.dev/sbom': at('http://127.0.0.1:{port}/sbom.json'),
      }),
      location,
      jest.fn(),
    );
    const run = recordGateRun.mock.calls[0][0];
    return run.results.find(r => r.gateId === 'sbom')!;
  }
  beforeEach(() => hits.splice(0));

  it('refuses a loopback SBOM by default, even when backend.reading.allow lists it', async () => {
    const sbom = await processWithModule({});
    expect(sbom.status).toBe('error');
    expect(sbom.error).toContain(
      `Refused to read 'http://127.0.0.1:${port}/sbom.json': 127.0.0.1 is a loopback address`,
    );
    expect(hits).toEqual([]);
  });

  it('reads it when the key is true', async () => {
    const sbom = await processWithModule({
      reading: { allowInternalTargets: true },
    });
    expect(sbom.status).toBe('pass');
    expect(hits).toEqual(['/sbom.json']);
  });
});
