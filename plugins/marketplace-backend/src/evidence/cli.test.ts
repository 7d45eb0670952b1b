import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { hashAuditEntry, sha256Hex } from '../audit/auditHash';
import { main } from './cli';
import { EVIDENCE_FORMAT, type EvidencePackage } from './types';
import { evidenceDigest } from './verifyEvidence';

const APP = 'microapp:default/payroll-export';

/** A small consistent package: one gate run and its audit entry. */
function evidencePackage(entityRef = APP): EvidencePackage {
  const entry = {
    seq: 7,
    at: '2026-11-20T09:00:00.000Z',
    actor: 'plugin:catalog',
    action: 'gates.evaluated',
    entityRef,
    data: { runId: '42', resultsSha256: sha256Hex('[]') },
    prevHash: 'e'.repeat(64),
  };
  const content: Omit<EvidencePackage, 'digest'> = {
    format: EVIDENCE_FORMAT,
    generatedAt: '2026-11-25T12:00:00.000Z',
    entityRef,
    manifest: { kind: 'MicroApp', metadata: { name: 'payroll-export' } },
    effectiveTier: 'discover',
    requestedTier: 'vetted',
    sbom: { location: null, sha256: null },
    gates: {
      runId: '42',
      evaluatedAt: entry.at,
      tier: 'vetted',
      status: 'pass',
      inputHash: 'a'.repeat(64),
      results: [],
    },
    exceptions: [],
    promotions: [],
    cost: { center: 'CC-4711', monthlyForecast: 120.5, currency: 'EUR' },
    support: {},
    audit: {
      entries: [{ ...entry, hash: hashAuditEntry(entry) }],
      chainHead: { seq: 9, hash: 'f'.repeat(64) },
    },
  };
  return { ...content, digest: evidenceDigest(content) };
}

describe('marketplace-verify-evidence', () => {
  let dir: string;
  const write = async (name: string, content: string | object) => {
    const file = path.join(dir, name);
    await fs.writeFile(
      file,
      typeof content === 'string' ? content : JSON.stringify(content),
    );
    return file;
  };
  const run = async (argv: string[], stdin?: string) => {
    const out = { stdout: '', stderr: '' };
    const code = await main(argv, {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      ...(stdin !== undefined && { stdin: Readable.from([stdin]) }),
    });
    return { code, ...out };
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'marketplace-evidence-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('verifies an intact package', async () => {
    const pkg = evidencePackage();
    const file = await write('ok.json', JSON.stringify(pkg, null, 2));
    expect(await run([file])).toEqual({
      code: 0,
      stdout: `OK: ${APP}, 1 audit entries, digest ${pkg.digest}\n`,
      stderr: '',
    });
  });

  it('reads stdin for -', async () => {
    const result = await run(['-'], JSON.stringify(evidencePackage()));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OK: /);
  });

  it('fails a package with one byte changed, one problem a line', async () => {
    const text = JSON.stringify(evidencePackage()).replace(
      'CC-4711',
      'CC-4712',
    );
    expect(await run([await write('tampered.json', text)])).toEqual({
      code: 1,
      stdout: `FAILED: ${APP}\ndigest: the content does not match the package digest\n`,
      stderr: '',
    });
  });

  it('fails a file that is not an evidence package', async () => {
    const file = await write('list.json', []);
    expect(await run([file])).toEqual({
      code: 1,
      stdout: `FAILED: ${file}\nnot an evidence package: format must be '${EVIDENCE_FORMAT}'\n`,
      stderr: '',
    });
  });

  it('fails a package whose parts have the wrong shape', async () => {
    const pkg = evidencePackage();
    const file = await write('shape.json', {
      ...pkg,
      audit: { ...pkg.audit, entries: [null] },
    });
    const result = await run([file]);
    expect(result.code).toBe(1);
    // the checker names the broken part instead of throwing
    expect(result.stdout).toMatch(new RegExp(`^FAILED: ${APP}\n`));
    expect(result.stdout).toContain('audit: an entry is not an object');
  });

  it('keeps control and bidi characters of the package off the terminal', async () => {
    const file = await write('ansi.json', {
      ...evidencePackage(),
      entityRef: 'microapp:default/\u001b[2J\u009b31m\u202ex',
    });
    const { code, stdout } = await run([file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^[\n\x20-\x7e]*$/);
    expect(stdout).toContain(
      'FAILED: microapp:default/\\u001b[2J\\u009b31m\\u202ex\n',
    );
  });

  it.each([
    ['{"format": "x",\n  oops}', 'line 2, column 3 (position 18)'],
    ['{"format": tru}', 'line 1, column 15 (position 14)'],
    ['', 'line 1, column 1 (position 0)'],
  ])(
    'names the file and the position of a JSON error in %j',
    async (text, at) => {
      const file = await write('broken.json', text);
      const result = await run([file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`${file}: not valid JSON at ${at}: `);
    },
  );

  it('answers 2 for a file it cannot read', async () => {
    const missing = path.join(dir, 'missing.json');
    const result = await run([missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'\n`,
    );
    expect((await run([dir])).code).toBe(2);
  });

  it.each([
    [[], 'Expected one file, got 0 arguments'],
    [['a.json', 'b.json'], 'Expected one file, got 2 arguments'],
    [['--verbose'], "Unknown option '--verbose'"],
  ])('answers 2 with the usage for %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${message}\nUsage: marketplace-verify-evidence <file | ->\n`,
    );
  });

  it('prints the usage for --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: marketplace-verify-evidence');
  });

  it('runs as the package bin from a source checkout', async () => {
    const pkg = evidencePackage();
    const ok = await write('bin-ok.json', pkg);
    const bin = path.resolve(
      __dirname,
      '../../bin/marketplace-verify-evidence',
    );
    const { stdout } = await promisify(execFile)(process.execPath, [bin, ok]);
    expect(stdout).toBe(`OK: ${APP}, 1 audit entries, digest ${pkg.digest}\n`);

    const bad = await write('bin-bad.json', { ...pkg, generatedAt: 'now' });
    await expect(
      promisify(execFile)(process.execPath, [bin, bad]),
    ).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^FAILED/),
    });
  }, 30_000);
});
