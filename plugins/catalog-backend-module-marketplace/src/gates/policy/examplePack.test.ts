import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  summarizeGateRun,
  type GateRunStatus,
  type MicroAppEntityV1alpha1,
  type TierId,
} from '@microapps/plugin-marketplace-common';
import type { GateFacts, SbomFacts } from '@microapps/plugin-marketplace-node';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { createPolicyGates } from './createPolicyGates';
import { loadPolicyPacks } from './loadPolicyPacks';

const EXAMPLES = path.resolve(__dirname, '../../../../../examples');
const PACK_FILE = path.join(EXAMPLES, 'policies/governance.yaml');

function readApp(name: string): MicroAppEntityV1alpha1 {
  return parse(
    fs.readFileSync(
      path.join(EXAMPLES, 'microapps', name, 'catalog-info.yaml'),
      'utf8',
    ),
  );
}

/** What the sbom gate would hand on: the components of the CycloneDX file next to the app. */
function sbomFactsOf(name: string, entity: MicroAppEntityV1alpha1): GateFacts {
  const target = entity.metadata.annotations?.['microapps.dev/sbom'];
  if (!target) return {};
  const content = fs.readFileSync(
    path.join(EXAMPLES, 'microapps', name, target),
    'utf8',
  );
  const bom = JSON.parse(content);
  const sbom: SbomFacts = {
    format: 'CycloneDX',
    specVersion: bom.specVersion,
    sha256: crypto.createHash('sha256').update(content).digest('hex'),
    components: (bom.components ?? []).map((c: any) => ({
      name: c.name,
      ...(c.version && { version: c.version }),
      ...(c.purl && { purl: c.purl }),
      licenses: (c.licenses ?? [])
        .map((l: any) => l.expression ?? l.license?.id ?? l.license?.name)
        .filter(Boolean),
    })),
  };
  return { sbom };
}

const { packs, problems } = loadPolicyPacks({
  files: [
    {
      path: 'examples/policies/governance.yaml',
      content: fs.readFileSync(PACK_FILE, 'utf8'),
    },
  ],
});
const gates = createPolicyGates({ packs, problems });

/** Runs every rule of the pack for an app at a tier (default: its requested tier). */
async function evaluateApp(options: {
  entity: MicroAppEntityV1alpha1;
  facts?: GateFacts;
  tier?: TierId;
}): Promise<{ failing: string[]; errors: string[]; status: GateRunStatus }> {
  const tier = options.tier ?? options.entity.spec.tier ?? 'discover';
  const results = await Promise.all(
    gates.map(async gate => ({
      gate,
      evaluation: await gate.evaluate(
        { entity: options.entity, tier, facts: options.facts ?? {} },
        createTestGateContext(),
      ),
    })),
  );
  const rule = (id: string) => id.replace('policy:governance/', '');
  return {
    failing: results
      .filter(r => r.evaluation.status === 'fail')
      .map(r => rule(r.gate.id)),
    errors: results
      .filter(r => r.evaluation.status === 'error')
      .map(r => `${r.gate.id}: ${r.evaluation.error}`),
    status: summarizeGateRun(
      results.map(r => ({
        status: r.evaluation.status,
        enforcement: r.gate.enforcementFor!(tier),
      })),
    ),
  };
}

async function evaluateExample(name: string) {
  const entity = readApp(name);
  return evaluateApp({ entity, facts: sbomFactsOf(name, entity) });
}

describe('the example pack examples/policies/governance.yaml', () => {
  it('loads without problems, eight rules', () => {
    expect(problems).toEqual([]);
    expect(gates.map(g => g.id)).toEqual([
      'policy:governance/restricted-needs-fast-sla',
      'policy:governance/sensitive-data-needs-residency',
      'policy:governance/sensitive-data-needs-roster',
      'policy:governance/eu-residency-no-us-dependencies',
      'policy:governance/pii-permissions-justified',
      'policy:governance/enterprise-needs-runbook',
      'policy:governance/no-discontinued-packages',
      'policy:governance/no-critical-vulnerabilities',
    ]);
  });

  it('covers every example app in examples/microapps', () => {
    const apps = fs
      .readdirSync(path.join(EXAMPLES, 'microapps'), { withFileTypes: true })
      .filter(d => d.isDirectory())
      .map(d => d.name);
    expect(apps.sort()).toEqual([
      'beam-schedule-editor',
      'expense-digest',
      'incident-digest',
      'leave-planner',
      'mail-relay-monitor',
      'quote-builder',
      'status-page',
      'team-dinner-splitter',
      'vendor-portal',
    ]);
  });

  describe('on the example apps, at their requested tier', () => {
    it('beam-schedule-editor (vetted) passes: internal data, EU-only without dependencies, its SBOM (puppeteer & co.) has no discontinued package', async () => {
      await expect(evaluateExample('beam-schedule-editor')).resolves.toEqual({
        failing: [],
        errors: [],
        status: 'pass',
      });
    });

    it('expense-digest (discover) passes: internal data, EU-only without dependencies, a roster; the same SPDX SBOM as the status page', async () => {
      await expect(evaluateExample('expense-digest')).resolves.toEqual({
        failing: [],
        errors: [],
        status: 'pass',
      });
    });

    it('incident-digest (enterprise) passes: internal data, an https runbook, no SBOM (facts.sbom absent, the sbom gate reports that)', async () => {
      await expect(evaluateExample('incident-digest')).resolves.toEqual({
        failing: [],
        errors: [],
        status: 'pass',
      });
    });

    it('leave-planner (discover) warns: confidential data but no support.roster; its PII justification has 42 characters (≥ 40)', async () => {
      await expect(evaluateExample('leave-planner')).resolves.toEqual({
        failing: ['sensitive-data-needs-roster'],
        errors: [],
        status: 'warn',
      });
    });

    it('mail-relay-monitor (enterprise) passes: confidential with residency [eu, us], a roster, S1 and an https runbook; Go SBOM without discontinued packages', async () => {
      await expect(evaluateExample('mail-relay-monitor')).resolves.toEqual({
        failing: [],
        errors: [],
        status: 'pass',
      });
    });

    it('quote-builder (discover) passes: internal data, no support, residency or permissions, none of which a rule requires for it', async () => {
      await expect(evaluateExample('quote-builder')).resolves.toEqual({
        failing: [],
        errors: [],
        status: 'pass',
      });
    });

    it('status-page (vetted) passes: internal data, EU-only without dependencies, a roster; its SPDX SBOM (hyper, tokio) has no discontinued package', async () => {
      await expect(evaluateExample('status-page')).resolves.toEqual({
        failing: [],
        errors: [],
        status: 'pass',
      });
    });

    it('team-dinner-splitter (discover) warns: its SBOM (Juice Shop) ships vm2 3.9.11 and request 2.88.2', async () => {
      await expect(evaluateExample('team-dinner-splitter')).resolves.toEqual({
        failing: ['no-discontinued-packages'],
        errors: [],
        status: 'warn',
      });
    });

    it('vendor-portal (vetted) is blocked: its SBOM (Laravel) ships swiftmailer v6.3.0; restricted data with S2 and EU residency is fine', async () => {
      await expect(evaluateExample('vendor-portal')).resolves.toEqual({
        failing: ['no-discontinued-packages'],
        errors: [],
        status: 'fail',
      });
    });
  });

  describe('on variations of the example apps', () => {
    it('vendor-portal with an S3 SLA fails restricted-needs-fast-sla', async () => {
      const entity = readApp('vendor-portal');
      entity.spec.support!.slaTier = 'S3';
      expect((await evaluateApp({ entity })).failing).toEqual([
        'restricted-needs-fast-sla',
      ]);
    });

    it('vendor-portal without residency fails sensitive-data-needs-residency (restricted data)', async () => {
      const entity = readApp('vendor-portal');
      delete entity.spec.data!.residency;
      expect((await evaluateApp({ entity })).failing).toEqual([
        'sensitive-data-needs-residency',
      ]);
    });

    it('team-dinner-splitter (residency [eu]) depending on a -us resource fails eu-residency-no-us-dependencies', async () => {
      const entity = readApp('team-dinner-splitter');
      entity.spec.dependsOn = [
        'resource:default/expenses-db',
        'resource:default/crm-us-east-1',
      ];
      expect((await evaluateApp({ entity })).failing).toEqual([
        'eu-residency-no-us-dependencies',
      ]);
    });

    it('mail-relay-monitor (residency [eu, us]) may depend on a -us resource; names merely containing "us" are not US-hosted', async () => {
      const mail = readApp('mail-relay-monitor');
      mail.spec.dependsOn = ['resource:default/crm-us'];
      expect((await evaluateApp({ entity: mail })).failing).toEqual([]);
      const dinner = readApp('team-dinner-splitter');
      dinner.spec.dependsOn = [
        'resource:default/users-db',
        'resource:default/us-holidays',
      ];
      expect((await evaluateApp({ entity: dinner })).failing).toEqual([]);
    });

    it('leave-planner with a short PII justification fails pii-permissions-justified', async () => {
      const entity = readApp('leave-planner');
      entity.spec.permissions![0].justification = 'needed';
      expect((await evaluateApp({ entity })).failing).toEqual([
        'sensitive-data-needs-roster',
        'pii-permissions-justified',
      ]);
    });

    it('incident-digest without a runbook fails enterprise-needs-runbook at enterprise, not at vetted', async () => {
      const entity = readApp('incident-digest');
      delete entity.spec.support!.runbook;
      const enterprise = await evaluateApp({ entity });
      expect(enterprise).toEqual({
        failing: ['enterprise-needs-runbook'],
        errors: [],
        status: 'fail',
      });
      expect((await evaluateApp({ entity, tier: 'vetted' })).failing).toEqual(
        [],
      );
    });

    it('vendor-portal (vetted) with critical vulnerabilities in the facts of the vulnerabilities gate fails no-critical-vulnerabilities; in discover it does not', async () => {
      const entity = readApp('vendor-portal');
      const vulnerabilities = {
        critical: 2,
        high: 1,
        medium: 0,
        low: 0,
        info: 0,
        packages: 62,
        skipped: 0,
      };
      expect(
        (await evaluateApp({ entity, facts: { vulnerabilities } })).failing,
      ).toEqual(['no-critical-vulnerabilities']);
      expect(
        (
          await evaluateApp({
            entity,
            facts: { vulnerabilities: { ...vulnerabilities, critical: 0 } },
          })
        ).failing,
      ).toEqual([]);
      expect(
        (
          await evaluateApp({
            entity,
            facts: { vulnerabilities },
            tier: 'discover',
          })
        ).failing,
      ).toEqual([]);
    });

    it('vulnerability facts without a critical count are an error, not a pass', async () => {
      const entity = readApp('vendor-portal');
      const result = await evaluateApp({
        entity,
        facts: { vulnerabilities: { total: 3 } },
      });
      expect(result.errors).toEqual([
        expect.stringMatching(
          /^policy:governance\/no-critical-vulnerabilities: .*No such key: critical/,
        ),
      ]);
      expect(result.status).toBe('fail');
    });

    it('team-dinner-splitter requesting vetted is blocked by the same SBOM', async () => {
      const entity = readApp('team-dinner-splitter');
      const facts = sbomFactsOf('team-dinner-splitter', entity);
      await expect(
        evaluateApp({ entity, facts, tier: 'vetted' }),
      ).resolves.toEqual({
        failing: ['no-discontinued-packages'],
        errors: [],
        status: 'fail',
      });
    });
  });
});
