import { performance } from 'node:perf_hooks';
import { scanTextFiles, SecretScanFile } from './scanTextFiles';
import { fakeGitHubToken } from './testSecrets';

const inMemory = (files: Record<string, string | Buffer>): SecretScanFile[] =>
  Object.entries(files).map(([path, content]) => ({
    path,
    content: async () => Buffer.from(content),
  }));

describe('scanTextFiles', () => {
  it('counts what it scanned and skipped', async () => {
    const token = fakeGitHubToken();
    const result = await scanTextFiles({
      files: inMemory({
        'src/a.ts': `export const a = '${token}';\n`,
        'src/b.ts': 'export const b = 1;\n',
        'node_modules/x/index.js': `module.exports = '${token}';\n`,
        '.git/config': `url = https://${token}@github.com/a/b\n`,
        'assets/font.woff2': Buffer.concat([
          Buffer.from([0x77, 0x4f, 0x46, 0x32, 0]),
          Buffer.from(token),
        ]),
        'big.txt': 'y'.repeat(101),
      }),
      limits: { maxFileBytes: 100 },
    });
    expect(result).toEqual({
      findings: [
        expect.objectContaining({ id: 'too-large:big.txt', severity: 'info' }),
        expect.objectContaining({
          id: '@secretlint/secretlint-rule-github:src/a.ts:1',
          severity: 'critical',
        }),
      ],
      filesScanned: 2,
      bytesScanned: Buffer.byteLength(`export const a = '${token}';\n`) + 20,
      skipped: { vendored: 2, binary: 1, tooLarge: 1 },
    });
  });

  it('orders findings by path whatever order the files finish in', async () => {
    const files = Array.from({ length: 12 }, (_, i) => ({
      path: `src/f${String(i).padStart(2, '0')}.ts`,
      content: () =>
        new Promise<Buffer>(resolve =>
          setTimeout(
            () =>
              resolve(
                Buffer.from(`const t = '${fakeGitHubToken(String(i))}';\n`),
              ),
            (12 - i) * 2,
          ),
        ),
    }));
    const result = await scanTextFiles({
      files: [...files].reverse(),
      concurrency: 4,
    });
    expect(result.findings.map(f => f.location)).toEqual(
      files.map(f => `${f.path}:1:12`),
    );
  });

  it('merges messages of one rule on one line into one finding', async () => {
    const line = `const a = '${fakeGitHubToken('1')}', b = '${fakeGitHubToken(
      '2',
    )}';\n`;
    const result = await scanTextFiles({ files: inMemory({ 'a.ts': line }) });
    expect(result.findings).toEqual([
      expect.objectContaining({
        id: '@secretlint/secretlint-rule-github:a.ts:1',
        location: 'a.ts:1:12',
        message: expect.stringMatching(
          /^found GitHub Token.*ghp_\*\*\*\*; found GitHub Token.*ghp_\*\*\*\*$/,
        ),
      }),
    ]);
  });

  it('keeps line numbers right in files with a byte order mark', async () => {
    const result = await scanTextFiles({
      files: inMemory({
        'a.ts': `\uFEFF// header\nconst t = '${fakeGitHubToken()}';\n`,
      }),
    });
    expect(result.findings.map(f => f.location)).toEqual(['a.ts:2:12']);
  });

  it('does not hand .p12 files to the rule that would read them from the local disk', async () => {
    const result = await scanTextFiles({
      files: inMemory({
        '../../../etc/keystore.p12': 'not really a keystore\n',
      }),
    });
    expect(result).toMatchObject({ findings: [], filesScanned: 1 });
  });

  it('leaves no profiler marks behind', async () => {
    await scanTextFiles({
      files: inMemory({ 'a.ts': 'export {};\n', 'b.ts': 'export {};\n' }),
    });
    expect(
      performance
        .getEntriesByType('mark')
        .filter(mark => mark.name.startsWith('@core>')),
    ).toEqual([]);
  });
});
