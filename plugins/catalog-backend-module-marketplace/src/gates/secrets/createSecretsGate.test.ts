import { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type { GateContext } from '@microapps/plugin-marketplace-node';
import {
  createTestGateContext,
  TestFiles,
} from '../../__testUtils__/gateContext';
import { createSecretsGate } from './createSecretsGate';
import {
  fakeAwsAccessKeyId,
  fakeAwsSecretAccessKey,
  fakeGitHubToken,
  fakeRsaPrivateKey,
} from './testSecrets';

const SOURCE = 'https://git.example.com/apps/expenses/tree/main/';

const app = (sourceLocation?: string) =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: {
      name: 'expenses',
      annotations: sourceLocation
        ? { 'microapps.dev/source-location': sourceLocation }
        : undefined,
    },
    spec: { type: 'web-app', owner: 'group:default/finance' },
  } as unknown as MicroAppEntityV1alpha1);

/** A small, clean TypeScript app with the usual suspects for false positives. */
const cleanApp: TestFiles = {
  'package.json': JSON.stringify(
    {
      name: 'expenses',
      version: '1.2.0',
      scripts: { build: 'tsc', start: 'node dist/index.js' },
      dependencies: { express: '^4.19.2', zod: '^3.23.8' },
    },
    null,
    2,
  ),
  'package-lock.json': JSON.stringify({
    name: 'expenses',
    lockfileVersion: 3,
    packages: {
      'node_modules/zod': {
        version: '3.23.8',
        resolved: 'https://packages.example.com/zod/-/zod-3.23.8.tgz',
        integrity: `sha512-${Buffer.alloc(64, 7).toString('base64')}`,
      },
    },
  }),
  'tsconfig.json':
    '{ "compilerOptions": { "strict": true, "outDir": "dist" } }\n',
  'README.md':
    '# Expenses\n\nSet `API_TOKEN` and `DATABASE_URL` in the environment.\n',
  '.env.example':
    'API_TOKEN=\nDATABASE_URL=postgres://user:${PASSWORD}@localhost:5432/expenses\n',
  'src/index.ts': [
    "import express from 'express';",
    "import { listExpenses } from './expenses';",
    '',
    'const app = express();',
    "app.get('/api/expenses', async (_req, res) => res.json(await listExpenses()));",
    'app.listen(Number(process.env.PORT ?? 8080));',
    '',
  ].join('\n'),
  'src/expenses.ts': [
    "import { z } from 'zod';",
    '',
    'const Expense = z.object({ id: z.string().uuid(), amount: z.number(), memo: z.string() });',
    '',
    'export async function listExpenses() {',
    "  const res = await fetch('https://api.example.com/v1/expenses', {",
    '    headers: { authorization: `Bearer ${process.env.API_TOKEN}` },',
    '  });',
    '  return z.array(Expense).parse(await res.json());',
    '}',
    '',
    '// Commit 3f1c2a9e8b7d6c5f4e3a2b1c0d9e8f7a6b5c4d3e fixed the rounding; see 6f1ed002-ab5d-4f1e-9a1b-2c3d4e5f6a7b.',
    '',
  ].join('\n'),
};

describe('secrets gate', () => {
  const gate = createSecretsGate();
  const evaluate = (
    options: { annotation?: string; context?: GateContext } & Parameters<
      typeof createTestGateContext
    >[0] = {},
  ) =>
    gate.evaluate(
      {
        entity: app(options.annotation ?? `url:${SOURCE}`),
        tier: 'vetted',
        facts: {},
      },
      options.context ?? createTestGateContext(options),
    );

  it('is not applicable without a source location', async () => {
    const result = await gate.evaluate(
      { entity: app(), tier: 'vetted', facts: {} },
      createTestGateContext(),
    );
    expect(result).toEqual({
      status: 'not-applicable',
      findings: [],
      summary: 'no source location',
    });
  });

  it('reports a read failure as an error with the reader message', async () => {
    const result = await evaluate({ trees: {} });
    expect(result.status).toBe('error');
    expect(result.error).toContain(`'${SOURCE}' was not found`);
  });

  it('reads relative source locations through the reader', async () => {
    const result = await evaluate({
      annotation: 'url:./src/',
      trees: { './src/': cleanApp },
    });
    expect(result.status).toBe('pass');
  });

  it('passes a clean app', async () => {
    const context = createTestGateContext({ trees: { [SOURCE]: cleanApp } });
    const result = await evaluate({ context });
    const etag = (await context.reader.readTree(SOURCE)).etag;
    expect(result).toEqual({
      status: 'pass',
      findings: [],
      summary: expect.stringMatching(/^scanned 7 files, \d+\.\d MB$/),
      facts: {
        filesScanned: 7,
        bytesScanned: expect.any(Number),
        credentials: 0,
      },
      inputDigest: etag,
    });
  });

  describe('with credentials in the tree', () => {
    const accessKeyId = fakeAwsAccessKeyId();
    const secretAccessKey = fakeAwsSecretAccessKey();
    const githubToken = fakeGitHubToken();
    const privateKey = fakeRsaPrivateKey();
    const tree: TestFiles = {
      ...cleanApp,
      'config/aws.ini': [
        '[default]',
        `aws_access_key_id = ${accessKeyId}`,
        `aws_secret_access_key = ${secretAccessKey}`,
        'region = eu-west-1',
        '',
      ].join('\n'),
      'src/github.ts': [
        "import { Octokit } from '@octokit/rest';",
        '',
        '// TODO: move to the secret store',
        `export const octokit = new Octokit({ auth: '${githubToken}' });`,
        '',
      ].join('\n'),
      'deploy/tls/server.key': `${privateKey}\n`,
    };

    it('fails with one critical finding per credential at its file and line', async () => {
      const result = await evaluate({ trees: { [SOURCE]: tree } });
      expect(result.status).toBe('fail');
      expect(result.summary).toMatch(/^3 credentials; scanned 10 files, /);
      expect(result.findings).toEqual([
        {
          // secretlint's AWS rule reports the key pair by its secret; its range starts at the
          // beginning of the assignment, hence column 1.
          id: '@secretlint/secretlint-rule-aws:config/aws.ini:3',
          severity: 'critical',
          message: `found AWS Secret Access Key: ${secretAccessKey.slice(
            0,
            4,
          )}****`,
          location: 'config/aws.ini:3:1',
          url: expect.stringContaining('secretlint-rule-aws'),
        },
        {
          id: '@secretlint/secretlint-rule-privatekey:deploy/tls/server.key:1',
          severity: 'critical',
          message: 'found private key: ----****',
          location: 'deploy/tls/server.key:1:1',
          url: expect.stringContaining('secretlint-rule-privatekey'),
        },
        {
          id: '@secretlint/secretlint-rule-github:src/github.ts:4',
          severity: 'critical',
          message: `found GitHub Token(GitHub personal access tokens): ${githubToken.slice(
            0,
            4,
          )}****`,
          location: `src/github.ts:4:${
            tree['src/github.ts']
              .toString()
              .split('\n')[3]
              .indexOf(githubToken) + 1
          }`,
          url: expect.stringContaining('secretlint-rule-github'),
        },
      ]);
    });

    it('never includes a secret in the evaluation', async () => {
      const json = JSON.stringify(
        await evaluate({ trees: { [SOURCE]: tree } }),
      );
      const pemBody = privateKey.split('\n').slice(1, -1);
      for (const secret of [
        accessKeyId,
        secretAccessKey,
        githubToken,
        ...pemBody,
      ]) {
        // Any 8 characters past the revealed prefix would give part of the secret away.
        for (let i = 4; i + 8 <= secret.length; i++) {
          expect(json).not.toContain(secret.slice(i, i + 8));
        }
      }
    });

    it('also reports AWS access key ids when the AWS rule is configured to', async () => {
      const result = await evaluate({
        trees: { [SOURCE]: { 'config/aws.ini': tree['config/aws.ini'] } },
        config: {
          rules: [
            {
              id: '@secretlint/secretlint-rule-aws',
              options: { enableIDScanRule: true },
            },
          ],
        },
      });
      expect(result.findings.map(f => [f.id, f.location, f.message])).toEqual([
        [
          '@secretlint/secretlint-rule-aws:config/aws.ini:2',
          'config/aws.ini:2:21',
          `found AWS Access Key ID: ${accessKeyId.slice(0, 4)}****`,
        ],
        [
          '@secretlint/secretlint-rule-aws:config/aws.ini:3',
          'config/aws.ini:3:1',
          `found AWS Secret Access Key: ${secretAccessKey.slice(0, 4)}****`,
        ],
      ]);
    });

    it('does not let secretlint-disable comments in the scanned source hide a credential', async () => {
      const result = await evaluate({
        trees: {
          [SOURCE]: {
            'src/github.ts': `const auth = '${githubToken}'; // secretlint-disable-line\n`,
          },
        },
      });
      expect(result.status).toBe('fail');
    });

    it('downgrades rules configured with a lower severity to medium and warns', async () => {
      const result = await evaluate({
        trees: { [SOURCE]: { 'src/github.ts': tree['src/github.ts'] } },
        config: {
          rules: [
            { id: '@secretlint/secretlint-rule-github', severity: 'warning' },
          ],
        },
      });
      expect(result.status).toBe('warn');
      expect(result.findings.map(f => [f.id, f.severity])).toEqual([
        ['@secretlint/secretlint-rule-github:src/github.ts:4', 'medium'],
      ]);
    });
  });

  it('skips vendored folders and binaries', async () => {
    const token = fakeGitHubToken('vendored');
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      Buffer.from(`tEXt token=${token}`),
    ]);
    const result = await evaluate({
      trees: {
        [SOURCE]: {
          ...cleanApp,
          'node_modules/leftpad/index.js': `module.exports = '${token}';\n`,
          'packages/ui/node_modules/x/config.js': `export const t = '${token}';\n`,
          '.git/config': `[remote "origin"]\n\turl = https://${token}@github.com/a/b\n`,
          'public/logo.png': png,
        },
      },
    });
    expect(result).toMatchObject({ status: 'pass', findings: [] });
    expect(result.summary).toMatch(/^scanned 7 files, /);
  });

  describe('bounds', () => {
    const files = (count: number, bytes: number): TestFiles =>
      Object.fromEntries(
        Array.from({ length: count }, (_, i) => [
          `src/f${i}.ts`,
          'x'.repeat(bytes),
        ]),
      );

    it('scans a file of exactly maxFileBytes', async () => {
      const content = `const t = '${fakeGitHubToken()}';\n`;
      const result = await evaluate({
        trees: { [SOURCE]: { 'a.ts': content } },
        config: { maxFileBytes: Buffer.byteLength(content) },
      });
      expect(result.status).toBe('fail');
    });

    it('skips a file one byte over maxFileBytes with an info finding and warns', async () => {
      const content = `const t = '${fakeGitHubToken()}';\n`;
      const result = await evaluate({
        trees: { [SOURCE]: { 'a.ts': content, 'b.ts': 'export {};\n' } },
        config: { maxFileBytes: Buffer.byteLength(content) - 1 },
      });
      expect(result.status).toBe('warn');
      expect(result.findings).toEqual([
        {
          id: 'too-large:a.ts',
          severity: 'info',
          message: expect.stringContaining(
            `is more than the limit of ${
              Buffer.byteLength(content) - 1
            } (marketplace.gates.secrets.maxFileBytes)`,
          ),
          location: 'a.ts',
        },
      ]);
      expect(result.summary).toMatch(/^1 other finding; scanned 1 file, /);
    });

    it('passes a tree of exactly maxTotalBytes and errors one byte over', async () => {
      const tree = files(3, 100);
      const atLimit = await evaluate({
        trees: { [SOURCE]: tree },
        config: { maxTotalBytes: 300 },
      });
      expect(atLimit.status).toBe('pass');
      const over = await evaluate({
        trees: { [SOURCE]: tree },
        config: { maxTotalBytes: 299 },
      });
      expect(over).toMatchObject({
        status: 'error',
        error:
          'source tree larger than the limit of 299 bytes (marketplace.gates.secrets.maxTotalBytes)',
      });
    });

    it('passes a tree of exactly maxFiles and errors with one more', async () => {
      const atLimit = await evaluate({
        trees: { [SOURCE]: files(5, 10) },
        config: { maxFiles: 5 },
      });
      expect(atLimit.status).toBe('pass');
      const over = await evaluate({
        trees: { [SOURCE]: files(6, 10) },
        config: { maxFiles: 5 },
      });
      expect(over).toMatchObject({
        status: 'error',
        error:
          'source tree has 6 files, more than the limit of 5 (marketplace.gates.secrets.maxFiles)',
      });
    });

    it('errors, never passes, when the time budget has already run out', async () => {
      const controller = new AbortController();
      controller.abort();
      const result = await evaluate({
        trees: { [SOURCE]: cleanApp },
        signal: controller.signal,
      });
      expect(result).toMatchObject({
        status: 'error',
        error: 'time budget ran out after 0 of 7 files (0.0 MB scanned)',
      });
    });

    it('errors naming how far it got when the time budget runs out mid-scan', async () => {
      const controller = new AbortController();
      const context = createTestGateContext({
        trees: { [SOURCE]: cleanApp },
        signal: controller.signal,
      });
      const readTree = context.reader.readTree;
      context.reader.readTree = async target => {
        const tree = await readTree(target);
        const treeFiles = await tree.files();
        return {
          ...tree,
          // Files are scanned in path order; the budget runs out while the third is read.
          files: async () =>
            treeFiles.map(file => ({
              ...file,
              content: async () => {
                if (file.path === 'package-lock.json') controller.abort();
                return file.content();
              },
            })),
        };
      };
      const result = await createSecretsGate({ concurrency: 1 }).evaluate(
        { entity: app(`url:${SOURCE}`), tier: 'vetted', facts: {} },
        context,
      );
      expect(result.status).toBe('error');
      expect(result.error).toMatch(/^time budget ran out after 3 of 7 files/);
    });

    it('reports settings for unknown rules as an error', async () => {
      const result = await evaluate({
        trees: { [SOURCE]: cleanApp },
        config: { rules: [{ id: 'secretlint-rule-typo', disabled: true }] },
      });
      expect(result).toMatchObject({
        status: 'error',
        error: expect.stringContaining(
          "'secretlint-rule-typo' is not a rule of the recommended preset",
        ),
      });
    });

    it('reports invalid limits as an error', async () => {
      const result = await evaluate({
        trees: { [SOURCE]: cleanApp },
        config: { maxFiles: 0 },
      });
      expect(result).toMatchObject({
        status: 'error',
        error: expect.stringContaining('maxFiles must be a positive integer'),
      });
    });
  });

  describe('cache', () => {
    it('does not rescan an unchanged tree', async () => {
      const context = createTestGateContext({ trees: { [SOURCE]: cleanApp } });
      const readTree = context.reader.readTree;
      let listings = 0;
      context.reader.readTree = async target => {
        const tree = await readTree(target);
        return {
          ...tree,
          files: () => {
            listings += 1;
            return tree.files();
          },
        };
      };
      const first = await evaluate({ context });
      const second = await evaluate({ context });
      expect(listings).toBe(1);
      expect(second).toEqual(first);
      expect(context.cacheEntries.size).toBe(1);
    });

    it('rescans when the etag changes and does not cache incomplete scans', async () => {
      const context = createTestGateContext({
        trees: { [SOURCE]: cleanApp },
        config: { maxFiles: 1 },
      });
      expect((await evaluate({ context })).status).toBe('error');
      expect(context.cacheEntries.size).toBe(0);

      const other = createTestGateContext({ trees: { [SOURCE]: cleanApp } });
      await evaluate({ context: other });
      other.reader.readTree = async () => ({
        url: SOURCE,
        etag: 'changed',
        files: async () => [
          {
            path: 'a.ts',
            content: async () => Buffer.from(`'${fakeGitHubToken()}'`),
          },
        ],
      });
      expect((await evaluate({ context: other })).status).toBe('fail');
      expect(other.cacheEntries.size).toBe(2);
    });
  });
});
