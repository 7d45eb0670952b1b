import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { mockCredentials } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogModuleMarketplaceFileLocations } from '@microapps/plugin-catalog-backend-module-marketplace';
import permissionModuleMarketplacePolicy from '@microapps/plugin-permission-backend-module-marketplace';
import scaffolderModuleMarketplace from '@microapps/plugin-scaffolder-backend-module-marketplace';
import {
  ANNOTATION_ALLOWED_SCOPES,
  ANNOTATION_PII_SCOPES,
  parseScopeList,
  scopeMatches,
} from '@microapps/plugin-marketplace-common';
import {
  httpAuthWithActors,
  REPO,
  startMarketplaceBackend,
  testDatabaseIds,
  waitFor,
} from './__testUtils__/testBackend';

// Each template of templates/ runs for real through the scaffolder backend's task API, with
// the real catalog, our catalog module, the marketplace backend, the real permission backend
// and our policy: the generated MicroApp is published to a local folder, registered,
// ingested, and its gates pass.
jest.setTimeout(900_000);

const TEMPLATES = ['secure-node-webapp', 'static-spa', 'workflow-automation'];
const REQUIRED_PASS = [
  'metadata',
  'sbom',
  'licenses',
  'secrets',
  'privileges',
  'cost',
];
const casey = mockCredentials.user.header('user:default/casey');

/** The scopes a template allows, and one allowed scope that reaches personal data. */
function templateScopes(template: string) {
  const doc = parse(
    fs.readFileSync(
      path.join(REPO, 'templates', template, 'template.yaml'),
      'utf8',
    ),
  );
  const allowed = parseScopeList(
    doc.metadata.annotations[ANNOTATION_ALLOWED_SCOPES],
  );
  const pii = parseScopeList(doc.metadata.annotations[ANNOTATION_PII_SCOPES]);
  const concrete = allowed.filter(s => !s.endsWith('*'));
  return {
    plain: concrete.find(s => !scopeMatches(pii, s)) ?? concrete[0],
    pii: concrete.find(s => scopeMatches(pii, s)),
  };
}

function formValues(template: string, name: string, overrides = {}) {
  const { plain } = templateScopes(template);
  return {
    name,
    title: `Test ${template}`,
    description: `Made from ${template} by the templates integration test`,
    owner: 'group:default/finance-apps',
    audience: ['group:default/finance'],
    classification: 'internal',
    residency: ['eu'],
    permissions: [
      { scope: plain, justification: 'reads what the app shows its users' },
    ],
    costCenter: 'CC-4711',
    monthlyForecast: 25,
    supportContact: 'finance-apps@example.com',
    supportRoster: 'group:default/finance-apps',
    slaTier: 'S3',
    requestVetted: false,
    ...overrides,
  };
}

type Server = Awaited<ReturnType<typeof startMarketplaceBackend>>['server'];

/** Starts a task as Casey and waits for it to end; returns its status, output and logs. */
async function runTemplate(
  server: Server,
  template: string,
  values: Record<string, unknown>,
) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('authorization', casey)
    .send({ templateRef: `template:default/${template}`, values });
  expect(created.status).toBe(201);
  const taskId = created.body.id;
  const status = await waitFor(
    `task ${taskId} of ${template}`,
    async () => {
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}`)
        .set('authorization', casey);
      return ['completed', 'failed', 'cancelled'].includes(res.body.status)
        ? (res.body.status as string)
        : undefined;
    },
    300_000,
  );
  const events = await request(server)
    .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
    .set('authorization', casey);
  const completion = events.body.find((e: any) => e.type === 'completion');
  const logs = events.body
    .filter((e: any) => e.type === 'log')
    .map((e: any) => String(e.body.message))
    .join('\n');
  return {
    status,
    output: completion?.body?.output ?? {},
    error: completion?.body?.error?.message as string | undefined,
    logs,
  };
}

describe.each(testDatabaseIds)('templates on %s', databaseId => {
  let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
  let publishDir: string;
  const suffix = databaseId === 'POSTGRES_15' ? 'pg' : 'lite';

  beforeAll(async () => {
    publishDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-published-'));
    backend = await startMarketplaceBackend({
      databaseId,
      locations: [],
      features: [
        scaffolderPlugin,
        scaffolderModuleMarketplace,
        catalogModuleMarketplaceFileLocations,
        permissionPlugin,
        permissionModuleMarketplacePolicy,
        httpAuthWithActors,
      ],
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        permission: { enabled: true },
        // stop() waits for the task worker, so no query reaches a dropped database
        scaffolder: { EXPERIMENTAL_gracefulShutdown: true },
        marketplace: {
          scaffolder: { localPublish: { directory: publishDir } },
        },
      },
    });
    // the templates must be in the catalog before a task can name them
    const { server } = backend;
    for (const template of TEMPLATES) {
      await waitFor(`template ${template}`, async () => {
        const res = await request(server)
          .get(`/api/catalog/entities/by-name/template/default/${template}`)
          .set('authorization', casey);
        return res.status === 200 ? true : undefined;
      });
    }
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(publishDir, { recursive: true, force: true });
  });

  it.each(TEMPLATES)(
    '%s generates a MicroApp that is ingested with its gates passing',
    async template => {
      const name = `${template}-${suffix}`;
      // one template also opens a promotion request on Casey's behalf
      const requestVetted = template === 'secure-node-webapp';
      const run = await runTemplate(
        backend.server,
        template,
        formValues(template, name, { requestVetted }),
      );
      if (run.status !== 'completed') {
        throw new Error(`${template} ${run.status}: ${run.error}\n${run.logs}`);
      }
      const entityRef = `microapp:default/${name}`;
      expect(run.output.entityRef ?? run.output.text).toBeDefined();
      const links: Array<{ title: string; url?: string; entityRef?: string }> =
        run.output.links;
      expect(links.map(l => l.title)).toEqual(
        expect.arrayContaining([
          'Repository',
          'Open in catalog',
          'Governance tab',
        ]),
      );
      expect(links.find(l => l.title === 'Open in catalog')?.entityRef).toBe(
        entityRef,
      );
      expect(links.find(l => l.title === 'Governance tab')?.url).toBe(
        `/catalog/default/microapp/${name}/governance`,
      );

      // the generated repository: the manifest, its SBOM and the digest that binds them
      const repo = path.join(publishDir, name);
      const manifest = parse(
        fs.readFileSync(path.join(repo, 'catalog-info.yaml'), 'utf8'),
      );
      expect(manifest.kind).toBe('MicroApp');
      expect(manifest.spec.template).toBe(`template:default/${template}`);
      expect(manifest.spec.tier).toBe('discover');
      const sbom = JSON.parse(
        fs.readFileSync(path.join(repo, 'sbom.cdx.json'), 'utf8'),
      );
      expect(sbom.bomFormat).toBe('CycloneDX');
      expect(sbom.components.length).toBeGreaterThan(0);

      // ingested, registered in Discover with an expiry, every required gate passing
      const gates = await waitFor(`gates of ${name}`, async () => {
        const res = await request(backend.server)
          .get(`/api/marketplace/apps/default/${name}/gates`)
          .set('authorization', casey);
        const ids = (res.body.results ?? []).map((r: any) => r.gateId);
        return res.status === 200 && REQUIRED_PASS.every(id => ids.includes(id))
          ? res.body
          : undefined;
      });
      const statuses = Object.fromEntries(
        gates.results.map((r: any) => [r.gateId, r.status]),
      );
      for (const id of REQUIRED_PASS) {
        expect([id, statuses[id]]).toEqual([id, 'pass']);
      }
      const app = await request(backend.server)
        .get(`/api/marketplace/apps/default/${name}`)
        .set('authorization', casey);
      expect(app.status).toBe(200);
      expect(app.body.tier).toBe('discover');
      expect(Date.parse(app.body.expiresAt)).toBeGreaterThan(Date.now());

      const audit = await request(backend.server)
        .get(`/api/marketplace/audit`)
        .query({ entityRef })
        .set('authorization', mockCredentials.user.header('user:default/ada'));
      expect(
        audit.body.items.filter((e: any) => e.action === 'app.registered'),
      ).toEqual([
        expect.objectContaining({
          actor: 'plugin:scaffolder',
          data: expect.objectContaining({
            tier: 'discover',
            registeredBy: 'user:default/casey',
          }),
        }),
      ]);
    },
  );

  it("secure-node-webapp opened a promotion request to Vetted on the user's behalf", async () => {
    const entityRef = `microapp:default/secure-node-webapp-${suffix}`;
    const promotions = await request(backend.server)
      .get('/api/marketplace/promotions')
      .query({ status: 'open' })
      .set('authorization', casey);
    expect(
      promotions.body.items.filter((p: any) => p.entityRef === entityRef),
    ).toEqual([
      expect.objectContaining({
        targetTier: 'vetted',
        submitter: 'user:default/casey',
      }),
    ]);
  });

  it('refuses a scope outside the allowlist, a missing PII justification and an unknown cost center', async () => {
    const template = 'secure-node-webapp';
    const { pii } = templateScopes(template);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        {
          permissions: [
            { scope: 'payroll.salaries.write', justification: 'pays people' },
          ],
        },
        /payroll\.salaries\.write.*not in the allowlist/,
      ],
      [{ permissions: [{ scope: pii }] }, new RegExp(`${pii}.*justification`)],
      [{ costCenter: 'CC-0000' }, /Unknown cost center 'CC-0000'/],
    ];
    for (const [index, [overrides, message]] of cases.entries()) {
      const name = `refused-${index}-${suffix}`;
      const run = await runTemplate(
        backend.server,
        template,
        formValues(template, name, overrides),
      );
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(message);
      // nothing was published or registered
      expect(fs.existsSync(path.join(publishDir, name))).toBe(false);
      const entity = await request(backend.server)
        .get(`/api/catalog/entities/by-name/microapp/default/${name}`)
        .set('authorization', casey);
      expect(entity.status).toBe(404);
    }
  });

  // The generated web app is itself a working project: it installs, builds and passes its
  // own tests (once, on the first database; the npm registry is needed).
  if (databaseId === testDatabaseIds[0][0]) {
    it('secure-node-webapp: the generated app installs, builds and passes its tests', () => {
      const repo = path.join(publishDir, `secure-node-webapp-${suffix}`);
      expect(fs.existsSync(path.join(repo, 'package-lock.json'))).toBe(true);
      const npm = (...args: string[]) =>
        execFileSync('npm', args, {
          cwd: repo,
          encoding: 'utf8',
          stdio: 'pipe',
          timeout: 300_000,
          env: { ...process.env, CI: 'true' },
        });
      npm('ci', '--no-audit', '--no-fund');
      npm('run', 'build');
      const out = npm('test');
      expect(out).toMatch(/# pass [1-9]/);
      expect(out).toMatch(/# fail 0/);
    });
  }
});
