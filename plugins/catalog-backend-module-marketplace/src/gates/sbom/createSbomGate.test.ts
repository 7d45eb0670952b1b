import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { SBOMS_DIR } from '../../__testUtils__/fixtures';
import {
  createTestGateContext,
  TestFiles,
} from '../../__testUtils__/gateContext';
import { createSbomGate } from './createSbomGate';
import { parseSbom } from './parseSbom';

// Spy on the parser to see whether the gate parsed at all.
jest.mock('./parseSbom', () => {
  const actual = jest.requireActual('./parseSbom');
  return { ...actual, parseSbom: jest.fn(actual.parseSbom) };
});
const parseSpy = parseSbom as jest.MockedFunction<typeof parseSbom>;

const JUICE_SHOP = fs.readFileSync(
  path.join(SBOMS_DIR, 'juice-shop-14.1.1.cdx-1.4.json'),
);
const sha256 = (content: Buffer) =>
  createHash('sha256').update(content).digest('hex');

const app = (annotations: Record<string, string> = {}) =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name: 'a', annotations },
    spec: { type: 'web-app', owner: 'group:default/a' },
  } as unknown as MicroAppEntityV1alpha1);

describe('sbom gate', () => {
  const gate = createSbomGate();
  const run = (
    annotations: Record<string, string>,
    files: TestFiles = {},
    config: object = {},
    context = createTestGateContext({ files, config }),
  ) =>
    gate.evaluate(
      { entity: app(annotations), tier: 'vetted', facts: {} },
      context,
    );

  beforeEach(() => parseSpy.mockClear());

  it('is the sbom gate', () => {
    expect(gate).toMatchObject({ id: 'sbom', title: 'SBOM' });
  });

  it('passes a valid SBOM and hands its facts on', async () => {
    const count = JSON.parse(JUICE_SHOP.toString()).components.length;
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      { './sbom.json': JUICE_SHOP },
    );
    expect(result).toMatchObject({
      status: 'pass',
      findings: [],
      summary: `CycloneDX 1.4, ${count} components`,
      inputDigest: sha256(JUICE_SHOP),
      facts: {
        format: 'CycloneDX',
        specVersion: '1.4',
        sha256: sha256(JUICE_SHOP),
      },
    });
    expect((result.facts as any).components).toHaveLength(count);
    expect(JSON.parse(JSON.stringify(result.facts))).toEqual(result.facts);
  });

  it('fails without the annotation and says how to add one', async () => {
    const result = await run({});
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'missing',
        severity: 'high',
        location: 'metadata.annotations["microapps.dev/sbom"]',
        message: expect.stringContaining(
          'Add the annotation microapps.dev/sbom',
        ),
      }),
    ]);
    expect(result.facts).toBeUndefined();
  });

  it('errors, with the reader message, when the SBOM cannot be read', async () => {
    const result = await run({ 'microapps.dev/sbom': './gone.json' });
    expect(result).toMatchObject({
      status: 'error',
      error: "Could not read the SBOM: './gone.json' was not found",
    });
    expect(result.facts).toBeUndefined();
  });

  it('refuses a 50 MB SBOM by the byte bound, without parsing it', async () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, ' ');
    huge.write('{"bomFormat":"CycloneDX","specVersion":"1.4","components":[');
    const context = createTestGateContext({ files: { './sbom.json': huge } });
    const readFile = jest.spyOn(context.reader, 'readFile');
    const started = Date.now();
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      {},
      {},
      context,
    );
    expect(result).toMatchObject({
      status: 'error',
      error: `Could not read the SBOM: './sbom.json' is ${huge.length} bytes, more than the limit of 20971520 bytes (marketplace.gates.sbom.maxBytes)`,
    });
    expect(readFile).toHaveBeenCalledWith('./sbom.json', {
      maxBytes: 20 * 1024 * 1024,
    });
    expect(parseSpy).not.toHaveBeenCalled();
    expect(context.cacheEntries.size).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('takes the byte bound from config', async () => {
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      { './sbom.json': JUICE_SHOP },
      { maxBytes: 1024 * 1024 },
    );
    expect(result.error).toBe(
      `Could not read the SBOM: './sbom.json' is ${
        JUICE_SHOP.length
      } bytes, more than the limit of ${
        1024 * 1024
      } bytes (marketplace.gates.sbom.maxBytes)`,
    );
    expect(parseSpy).not.toHaveBeenCalled();
  });

  it('enforces the byte bound itself when a reader ignores it', async () => {
    const context = createTestGateContext({ config: { maxBytes: 100 } });
    context.reader.readFile = async target => ({
      url: target,
      content: Buffer.alloc(101, ' '),
    });
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      {},
      {},
      context,
    );
    expect(result).toMatchObject({
      status: 'error',
      findings: [],
      error:
        'The SBOM is 101 bytes, more than the limit of 100 bytes (marketplace.gates.sbom.maxBytes)',
    });
    expect(parseSpy).not.toHaveBeenCalled();
  });

  it('errors on a nonsensical bound in config', async () => {
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      {},
      { maxComponents: 0 },
    );
    expect(result).toMatchObject({
      status: 'error',
      error:
        'marketplace.gates.sbom.maxComponents must be a positive integer, got 0',
    });
  });

  it('errors, never fails, on an SBOM with more components than configured', async () => {
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      { './sbom.json': JUICE_SHOP },
      { maxComponents: 1000 },
    );
    expect(result).toMatchObject({
      status: 'error',
      findings: [],
      error:
        'The SBOM lists more components than the limit of 1000 (marketplace.gates.sbom.maxComponents)',
    });
  });

  // Each bound: at the limit the gate evaluates the SBOM; one over, the gate reports
  // `error` (not judged, so never a pass and never a fail) naming the limit and its key.
  describe('bounds, at and just over the limit', () => {
    const sbom = { 'microapps.dev/sbom': './sbom.json' };
    const juiceShop = JSON.parse(JUICE_SHOP.toString());
    const componentCount = juiceShop.components.length;

    it('maxBytes: an SBOM of exactly maxBytes passes', async () => {
      const result = await run(
        sbom,
        { './sbom.json': JUICE_SHOP },
        { maxBytes: JUICE_SHOP.length },
      );
      expect(result.status).toBe('pass');
    });

    it('maxBytes: one byte over is an error naming the limit and the key', async () => {
      const result = await run(
        sbom,
        { './sbom.json': JUICE_SHOP },
        { maxBytes: JUICE_SHOP.length - 1 },
      );
      expect(result).toEqual({
        status: 'error',
        findings: [],
        error: `Could not read the SBOM: './sbom.json' is ${
          JUICE_SHOP.length
        } bytes, more than the limit of ${
          JUICE_SHOP.length - 1
        } bytes (marketplace.gates.sbom.maxBytes)`,
      });
      expect(parseSpy).not.toHaveBeenCalled();
    });

    it('maxComponents: an SBOM with exactly maxComponents passes', async () => {
      const result = await run(
        sbom,
        { './sbom.json': JUICE_SHOP },
        { maxComponents: componentCount },
      );
      expect(result.status).toBe('pass');
      expect((result.facts as any).components).toHaveLength(componentCount);
    });

    it('maxComponents: one component over is an error naming the limit and the key', async () => {
      const result = await run(
        sbom,
        { './sbom.json': JUICE_SHOP },
        { maxComponents: componentCount - 1 },
      );
      expect(result).toEqual({
        status: 'error',
        findings: [],
        error: `The SBOM lists more components than the limit of ${
          componentCount - 1
        } (marketplace.gates.sbom.maxComponents)`,
        inputDigest: sha256(JUICE_SHOP),
      });
    });

    // Juice Shop nests 6 levels: bom, components, component, licenses, choice, license.
    it('maxDepth: an SBOM exactly maxDepth deep passes', async () => {
      const result = await run(
        sbom,
        { './sbom.json': JUICE_SHOP },
        { maxDepth: 6 },
      );
      expect(result.status).toBe('pass');
    });

    it('maxDepth: one level deeper is an error naming the limit and the key, before parsing JSON', async () => {
      const parse = jest.spyOn(JSON, 'parse');
      try {
        const result = await run(
          sbom,
          { './sbom.json': JUICE_SHOP },
          { maxDepth: 5 },
        );
        expect(result).toEqual({
          status: 'error',
          findings: [],
          error:
            'The SBOM nests objects and arrays deeper than the limit of 5 levels (marketplace.gates.sbom.maxDepth)',
          inputDigest: sha256(JUICE_SHOP),
        });
        expect(parse).not.toHaveBeenCalledWith(
          expect.stringContaining('"bomFormat"'),
        );
      } finally {
        parse.mockRestore();
      }
    });

    it('maxDepth: a 100,000 levels deep SBOM is refused by the default limit, without overflowing the stack', async () => {
      const deep = Buffer.from(
        `{"bomFormat":"CycloneDX","specVersion":"1.4","components":${'['.repeat(
          100_000,
        )}${']'.repeat(100_000)}}`,
      );
      const result = await run(sbom, { './sbom.json': deep });
      expect(result).toMatchObject({
        status: 'error',
        error:
          'The SBOM nests objects and arrays deeper than the limit of 128 levels (marketplace.gates.sbom.maxDepth)',
      });
    });

    it('remembers a refusal over a bound by the file and the bounds', async () => {
      const context = createTestGateContext({
        files: { './sbom.json': JUICE_SHOP },
        config: { maxDepth: 5 },
      });
      const first = await run(sbom, {}, {}, context);
      const second = await run(sbom, {}, {}, context);
      expect(parseSpy).toHaveBeenCalledTimes(1);
      expect(second).toEqual(first);
      // other bounds, another verdict
      const relaxed = await run(
        sbom,
        { './sbom.json': JUICE_SHOP },
        { maxDepth: 6 },
      );
      expect(relaxed.status).toBe('pass');
    });

    it.each([
      [
        { maxDepth: 0 },
        'marketplace.gates.sbom.maxDepth must be a positive integer, got 0',
      ],
      [
        { maxDepth: 2.5 },
        'marketplace.gates.sbom.maxDepth must be a positive integer, got 2.5',
      ],
      [
        { maxBytes: -1 },
        'marketplace.gates.sbom.maxBytes must be a positive integer, got -1',
      ],
    ])(
      'errors on a nonsensical bound %j, naming the key',
      async (config, error) => {
        const result = await run(sbom, { './sbom.json': JUICE_SHOP }, config);
        expect(result).toMatchObject({ status: 'error', error });
      },
    );
  });

  describe('integrity', () => {
    it('passes an SBOM matching its pinned SHA-256, in any case and with a prefix', async () => {
      for (const pin of [
        sha256(JUICE_SHOP),
        `sha256:${sha256(JUICE_SHOP).toUpperCase()}`,
      ]) {
        const result = await run(
          {
            'microapps.dev/sbom': './sbom.json',
            'microapps.dev/sbom-sha256': pin,
          },
          { './sbom.json': JUICE_SHOP },
        );
        expect(result.status).toBe('pass');
      }
    });

    it('fails an SBOM with one byte changed, without parsing it', async () => {
      const tampered = Buffer.from(JUICE_SHOP);
      const at = tampered.indexOf('"version": "7.19.4"') + 13;
      tampered[at] = '8'.charCodeAt(0);
      const result = await run(
        {
          'microapps.dev/sbom': './sbom.json',
          'microapps.dev/sbom-sha256': sha256(JUICE_SHOP),
        },
        { './sbom.json': tampered },
      );
      expect(result).toMatchObject({
        status: 'fail',
        summary: 'SBOM does not match its SHA-256',
        inputDigest: sha256(tampered),
        findings: [
          {
            id: 'integrity',
            severity: 'critical',
            location: './sbom.json',
            message: `The SBOM at './sbom.json' does not match microapps.dev/sbom-sha256: expected SHA-256 ${sha256(
              JUICE_SHOP,
            )}, actual ${sha256(tampered)}`,
          },
        ],
      });
      expect(result.facts).toBeUndefined();
      expect(parseSpy).not.toHaveBeenCalled();
    });

    it('fails a pin that is not a SHA-256', async () => {
      const result = await run(
        {
          'microapps.dev/sbom': './sbom.json',
          'microapps.dev/sbom-sha256': 'md5:abc',
        },
        { './sbom.json': JUICE_SHOP },
      );
      expect(result.status).toBe('fail');
      expect(result.findings[0]).toMatchObject({
        id: 'integrity',
        severity: 'high',
      });
    });
  });

  it('fails an invalid SBOM with a finding naming the problem', async () => {
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      { './sbom.json': '{"spdxVersion": "SPDX-2.2"}' },
    );
    expect(result).toMatchObject({
      status: 'fail',
      summary: 'invalid SBOM',
      findings: [
        {
          id: 'invalid',
          severity: 'high',
          location: './sbom.json',
          message:
            "SPDX version 'SPDX-2.2' is not supported; use SPDX-2.3 JSON",
        },
      ],
    });
  });

  it('errors, never fails, when the parser breaks for reasons other than the SBOM', async () => {
    parseSpy.mockRejectedValueOnce(new Error('schema file missing'));
    const result = await run(
      { 'microapps.dev/sbom': './sbom.json' },
      { './sbom.json': JUICE_SHOP },
    );
    expect(result).toMatchObject({
      status: 'error',
      error: 'Could not parse the SBOM: schema file missing',
    });
  });

  describe('cache', () => {
    it('does not parse an unchanged SBOM again', async () => {
      const context = createTestGateContext({
        files: { './sbom.json': JUICE_SHOP },
      });
      const readFile = jest.spyOn(context.reader, 'readFile');
      const first = await run(
        { 'microapps.dev/sbom': './sbom.json' },
        {},
        {},
        context,
      );
      const second = await run(
        { 'microapps.dev/sbom': './sbom.json' },
        {},
        {},
        context,
      );
      expect(parseSpy).toHaveBeenCalledTimes(1);
      expect(readFile).toHaveBeenCalledTimes(2);
      // the second read passes the etag of the first and is answered NotModified
      expect(readFile.mock.calls[1][1]).toEqual({
        maxBytes: expect.any(Number),
        etag: sha256(JUICE_SHOP),
      });
      await expect(readFile.mock.results[1].value).rejects.toThrow(
        'did not change',
      );
      expect(second).toEqual(first);
      expect([...context.cacheEntries.keys()].sort()).toEqual([
        'sbom:etag:v1:microapp:default/a:./sbom.json',
        expect.stringContaining(sha256(JUICE_SHOP)),
      ]);
    });

    it('reads the file again when it changed', async () => {
      const files: Record<string, Buffer> = { './sbom.json': JUICE_SHOP };
      const context = createTestGateContext({ files });
      const annotations = { 'microapps.dev/sbom': './sbom.json' };
      await run(annotations, {}, {}, context);
      files['./sbom.json'] = Buffer.concat([JUICE_SHOP, Buffer.from('\n')]);
      const changed = await run(annotations, {}, {}, context);
      expect(changed.inputDigest).toBe(sha256(files['./sbom.json']));
      expect(parseSpy).toHaveBeenCalledTimes(2);
    });

    it('parses a changed SBOM', async () => {
      const files: TestFiles = { './sbom.json': JUICE_SHOP };
      const context = createTestGateContext({ files });
      await run({ 'microapps.dev/sbom': './sbom.json' }, {}, {}, context);
      files['./sbom.json'] = fs.readFileSync(
        path.join(SBOMS_DIR, 'laravel-7.12.0.cdx-1.4.json'),
      );
      const result = await run(
        { 'microapps.dev/sbom': './sbom.json' },
        {},
        {},
        context,
      );
      expect(parseSpy).toHaveBeenCalledTimes(2);
      expect(result.summary).toBe('CycloneDX 1.4, 62 components');
    });

    it('remembers an invalid SBOM too', async () => {
      const context = createTestGateContext({
        files: {
          './sbom.json': '{"bomFormat": "CycloneDX", "specVersion": "1.0"}',
        },
      });
      const first = await run(
        { 'microapps.dev/sbom': './sbom.json' },
        {},
        {},
        context,
      );
      const second = await run(
        { 'microapps.dev/sbom': './sbom.json' },
        {},
        {},
        context,
      );
      expect(parseSpy).toHaveBeenCalledTimes(1);
      expect(second).toEqual(first);
      expect(second.status).toBe('fail');
    });

    it('still evaluates when the cache fails', async () => {
      const context = createTestGateContext({
        files: { './sbom.json': JUICE_SHOP },
      });
      context.cache.get = () => Promise.reject(new Error('cache down'));
      context.cache.set = () => Promise.reject(new Error('cache down'));
      const result = await run(
        { 'microapps.dev/sbom': './sbom.json' },
        {},
        {},
        context,
      );
      expect(result.status).toBe('pass');
      expect(context.logger.warn).toHaveBeenCalledWith(
        'SBOM cache read failed: cache down',
      );
    });
  });
});
