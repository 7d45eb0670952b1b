import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type {
  GateEvaluation,
  PolicyGate,
} from '@microapps/plugin-marketplace-node';
import { createTestGateContext } from '../__testUtils__/gateContext';
import { GateRunner } from './GateRunner';

const entity = {
  apiVersion: 'microapps.dev/v1alpha1',
  kind: 'MicroApp',
  metadata: { name: 'a', namespace: 'default', uid: 'u1', etag: 'e1' },
  spec: {
    type: 'web-app',
    owner: 'group:default/x',
    cost: { center: 'C', monthlyForecast: 1 },
  },
} as MicroAppEntityV1alpha1;

const gate = (
  id: string,
  evaluate: PolicyGate['evaluate'],
  extra: Partial<PolicyGate> = {},
): PolicyGate => ({ id, title: id, evaluate, ...extra });

const fixed = (evaluation: GateEvaluation) => async () => evaluation;

function runner(
  gates: PolicyGate[],
  options: { config?: object; timeoutMs?: number } = {},
) {
  return new GateRunner({
    gates,
    logger: mockServices.logger.mock(),
    cache: createTestGateContext().cache,
    gatesConfig: options.config && new ConfigReader(options.config),
    timeoutMs: options.timeoutMs,
  });
}

const reader = createTestGateContext().reader;

describe('GateRunner', () => {
  it('runs gates after the ones they read, and passes their facts on', async () => {
    const seen: unknown[] = [];
    const r = runner([
      gate(
        'vulns',
        async ({ facts }) => {
          seen.push(facts.sbom);
          return { status: 'pass', findings: [] };
        },
        { after: ['sbom', 'not-installed'] },
      ),
      gate(
        'sbom',
        fixed({ status: 'pass', findings: [], facts: { components: 3 } }),
      ),
    ]);
    expect(r.gateIds).toEqual(['sbom', 'vulns']);
    await r.run({ entity, tier: 'discover', reader });
    expect(seen).toEqual([{ components: 3 }]);
  });

  it('refuses duplicate ids and cycles', () => {
    const g = gate('a', fixed({ status: 'pass', findings: [] }));
    expect(() => runner([g, g])).toThrow("Two policy gates have the id 'a'");
    expect(() =>
      runner([
        gate('a', fixed({ status: 'pass', findings: [] }), { after: ['b'] }),
        gate('b', fixed({ status: 'pass', findings: [] }), { after: ['a'] }),
      ]),
    ).toThrow('Policy gates wait for each other: a -> b -> a');
  });

  it('enforces by tier: warn in Discover, block above, unless configured or set by the gate', async () => {
    const failing = fixed({ status: 'fail', findings: [] });
    const r = runner(
      [
        gate('plain', failing),
        gate('configured', failing),
        gate('own', failing, {
          enforcementFor: tier => (tier === 'enterprise' ? 'block' : 'off'),
        }),
      ],
      { config: { configured: { enforcement: { vetted: 'warn' } } } },
    );
    const discover = await r.run({ entity, tier: 'discover', reader });
    expect(discover.results.map(x => x.enforcement)).toEqual([
      'warn',
      'warn',
      'off',
    ]);
    expect(discover.status).toBe('warn');
    const vetted = await r.run({ entity, tier: 'vetted', reader });
    expect(vetted.results.map(x => x.enforcement)).toEqual([
      'block',
      'warn',
      'off',
    ]);
    expect(vetted.status).toBe('fail');
    const enterprise = await r.run({ entity, tier: 'enterprise', reader });
    expect(enterprise.results.map(x => x.enforcement)).toEqual([
      'block',
      'block',
      'block',
    ]);
  });

  it('refuses, at startup, a configured enforcement that does not exist', () => {
    expect(() =>
      runner([gate('x', fixed({ status: 'pass', findings: [] }))], {
        config: { x: { enforcement: { vetted: 'sometimes' } } },
      }),
    ).toThrow(
      'marketplace.gates.x.enforcement.vetted must be one of: off, warn, block',
    );
  });

  it('turns a throwing gate into an error result, never a pass', async () => {
    const r = runner([
      gate('boom', async () => {
        throw new Error('feed unreachable');
      }),
    ]);
    const run = await r.run({ entity, tier: 'vetted', reader });
    expect(run.results[0]).toEqual({
      gateId: 'boom',
      status: 'error',
      enforcement: 'block',
      findings: [],
      error: 'feed unreachable',
    });
    expect(run.status).toBe('fail');
  });

  it('gives a slow gate an error after the timeout and aborts its signal', async () => {
    let aborted = false;
    const r = runner(
      [
        gate(
          'slow',
          (_input, ctx) =>
            new Promise(() => {
              ctx.signal.addEventListener('abort', () => {
                aborted = true;
              });
            }),
        ),
        gate('fast', fixed({ status: 'pass', findings: [] })),
      ],
      { timeoutMs: 50 },
    );
    const run = await r.run({ entity, tier: 'discover', reader });
    expect(run.results[0]).toMatchObject({
      status: 'error',
      error: 'The gate did not finish within 0.05 s',
    });
    expect(run.results[1].status).toBe('pass');
    expect(aborted).toBe(true);
  });

  it('hashes the inputs: stable for the same inputs, different when a digest changes', async () => {
    let digest = 'sbom-1';
    const r = runner([
      gate('sbom', async () => ({
        status: 'pass',
        findings: [],
        inputDigest: digest,
      })),
    ]);
    const a = await r.run({ entity, tier: 'discover', reader });
    const b = await r.run({
      entity: {
        ...entity,
        metadata: {
          ...entity.metadata,
          uid: 'u2',
          etag: 'e2',
          labels: { x: 'y' },
        },
      },
      tier: 'discover',
      reader,
    });
    expect(b.inputHash).toBe(a.inputHash);
    digest = 'sbom-2';
    const c = await r.run({ entity, tier: 'discover', reader });
    expect(c.inputHash).not.toBe(a.inputHash);
    const d = await r.run({ entity, tier: 'vetted', reader });
    expect(d.inputHash).not.toBe(c.inputHash);
  });
});
