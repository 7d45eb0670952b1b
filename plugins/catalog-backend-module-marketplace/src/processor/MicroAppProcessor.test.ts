import { Entity } from '@backstage/catalog-model';
import { processingResult } from '@backstage/plugin-catalog-node';
import { mockServices } from '@backstage/backend-test-utils';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import { GateRunner } from '../runner/GateRunner';
import { createTestGateContext } from '../__testUtils__/gateContext';
import { MicroAppProcessor } from './MicroAppProcessor';

/** A gate that fails for apps whose name starts with "bad". */
const nameGate: PolicyGate = {
  id: 'name',
  title: 'Name',
  async evaluate({ entity }) {
    return entity.metadata.name.startsWith('bad')
      ? {
          status: 'fail',
          findings: [{ id: 'bad', severity: 'high', message: 'bad name' }],
        }
      : { status: 'pass', findings: [] };
  },
};

function createProcessor(tierStates?: { load: jest.Mock }) {
  const recorder = { record: jest.fn() };
  const processor = new MicroAppProcessor({
    runner: new GateRunner({
      gates: [nameGate],
      logger: mockServices.logger.mock(),
      cache: createTestGateContext().cache,
    }),
    urlReader: mockServices.urlReader.mock(),
    recorder: recorder as any,
    tierStates: tierStates as any,
  });
  return { processor, recorder };
}

const location = { type: 'file', target: '/apps/catalog-info.yaml' };

function microApp(
  spec: Record<string, unknown>,
  labels?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: {
      name: 'expense-helper',
      namespace: 'finance',
      ...(labels ? { labels } : {}),
    },
    spec: {
      type: 'web-app',
      owner: 'finance-apps',
      cost: { center: 'CC-4711', monthlyForecast: 40 },
      ...spec,
    },
  };
}

describe('MicroAppProcessor', () => {
  const { processor, recorder } = createProcessor();
  beforeEach(() => recorder.record.mockReset());

  describe('validateEntityKind', () => {
    it('recognises a valid MicroApp', async () => {
      await expect(processor.validateEntityKind(microApp({}))).resolves.toBe(
        true,
      );
    });

    it('leaves other kinds and api versions to other processors', async () => {
      const component = {
        ...microApp({}),
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
      };
      await expect(processor.validateEntityKind(component)).resolves.toBe(
        false,
      );
      await expect(
        processor.validateEntityKind({
          ...microApp({}),
          apiVersion: 'microapps.dev/v2',
        }),
      ).resolves.toBe(false);
    });

    it('throws an input error that names every broken field', async () => {
      await expect(
        processor.validateEntityKind(
          microApp({ tier: 'gold', cost: { center: 'CC-1' } }),
        ),
      ).rejects.toThrow(
        'Invalid MicroApp: spec.tier must be one of: discover, vetted, enterprise; spec.cost.monthlyForecast is required',
      );
    });
  });

  describe('postProcessEntity', () => {
    it('emits relations in both directions, resolving bare names against the kind defaults', async () => {
      const emit = jest.fn();
      await processor.postProcessEntity(
        microApp({
          template: 'secure-node-webapp',
          dependsOn: ['resource:default/expenses-db', 'billing-service'],
        }),
        location,
        emit,
      );
      const self = {
        kind: 'MicroApp',
        namespace: 'finance',
        name: 'expense-helper',
      };
      const rel = (source: object, type: string, target: object) =>
        processingResult.relation({
          source: source as any,
          type,
          target: target as any,
        });
      const owner = {
        kind: 'Group',
        namespace: 'finance',
        name: 'finance-apps',
      };
      const db = {
        kind: 'resource',
        namespace: 'default',
        name: 'expenses-db',
      };
      const svc = {
        kind: 'Component',
        namespace: 'finance',
        name: 'billing-service',
      };
      const tpl = {
        kind: 'Template',
        namespace: 'finance',
        name: 'secure-node-webapp',
      };
      expect(emit.mock.calls.map(c => c[0])).toEqual([
        rel(self, 'ownedBy', owner),
        rel(owner, 'ownerOf', self),
        rel(self, 'dependsOn', db),
        rel(db, 'dependencyOf', self),
        rel(self, 'dependsOn', svc),
        rel(svc, 'dependencyOf', self),
        rel(self, 'scaffoldedFrom', tpl),
        rel(tpl, 'scaffolderOf', self),
      ]);
    });

    it('labels the approved tier, evaluates the requested one and warns that it is not approved', async () => {
      const result = await processor.postProcessEntity(
        microApp({ tier: 'vetted' }),
        location,
        jest.fn(),
      );
      expect(result.metadata.labels).toEqual({
        'microapps.dev/tier': 'discover',
        'microapps.dev/gate-status': 'warn',
      });
      expect(recorder.record).toHaveBeenCalledWith(
        expect.objectContaining({
          entityRef: 'microapp:finance/expense-helper',
          tier: 'vetted',
          status: 'warn',
          results: [
            expect.objectContaining({ gateId: 'name', status: 'pass' }),
            expect.objectContaining({
              gateId: 'tier-request',
              status: 'warn',
              enforcement: 'warn',
            }),
          ],
        }),
      );
    });

    describe('with tier states from the marketplace', () => {
      const withState = (state: object) => {
        const { processor: p, recorder: r } = createProcessor({
          load: jest.fn(async (entityRef: string) => ({
            entityRef,
            exceptions: [],
            ...state,
          })),
        });
        return { p, r };
      };

      it('labels the effective tier and evaluates at it', async () => {
        const { p, r } = withState({ tier: 'enterprise' });
        const result = await p.postProcessEntity(
          microApp({ tier: 'vetted' }),
          location,
          jest.fn(),
        );
        expect(result.metadata.labels?.['microapps.dev/tier']).toBe(
          'enterprise',
        );
        const run = r.record.mock.calls[0][0];
        expect(run.tier).toBe('enterprise');
        expect(run.results.map((x: any) => x.gateId)).toEqual(['name']);
      });

      it('labels an expired Discover app `expired` and still evaluates it in Discover', async () => {
        const { p, r } = withState({
          tier: 'discover',
          expired: true,
          expiresAt: '2026-11-01T09:00:00.000Z',
        });
        const result = await p.postProcessEntity(
          microApp({}),
          location,
          jest.fn(),
        );
        expect(result.metadata.labels?.['microapps.dev/tier']).toBe('expired');
        expect(r.record.mock.calls[0][0].tier).toBe('discover');
      });

      it('labels a Discover app that has not expired `discover`', async () => {
        const { p } = withState({
          tier: 'discover',
          expired: false,
          expiresAt: '2027-11-01T09:00:00.000Z',
        });
        const result = await p.postProcessEntity(
          microApp({}),
          location,
          jest.fn(),
        );
        expect(result.metadata.labels?.['microapps.dev/tier']).toBe('discover');
      });

      it("evaluates at an open promotion's target", async () => {
        const { p, r } = withState({
          tier: 'discover',
          promotionTier: 'enterprise',
        });
        await p.postProcessEntity(microApp({}), location, jest.fn());
        expect(r.record.mock.calls[0][0].tier).toBe('enterprise');
      });

      it('applies valid exceptions, so an excepted gate no longer fails the run', async () => {
        const bad = {
          ...microApp({ tier: 'vetted' }),
          metadata: { name: 'bad-app', namespace: 'finance' },
        };
        const plain = withState({ tier: 'vetted' });
        const failing = await plain.p.postProcessEntity(
          bad,
          location,
          jest.fn(),
        );
        expect(failing.metadata.labels?.['microapps.dev/gate-status']).toBe(
          'fail',
        );
        const excepted = withState({
          tier: 'vetted',
          exceptions: [
            {
              gateId: 'name',
              findingId: 'bad',
              expiresAt: new Date(Date.now() + 60_000).toISOString(),
            },
          ],
        });
        const result = await excepted.p.postProcessEntity(
          bad,
          location,
          jest.fn(),
        );
        expect(result.metadata.labels?.['microapps.dev/gate-status']).toBe(
          'warn',
        );
        const run = excepted.r.record.mock.calls[0][0];
        expect(run.results[0]).toMatchObject({ excepted: true });
        // exceptions are an input: the run's hash differs from the one without them
        expect(run.inputHash).not.toBe(
          plain.r.record.mock.calls[0][0].inputHash,
        );
      });
    });

    it('makes a failing gate a warning in Discover and blocking in Vetted', async () => {
      const bad = (tier: string) => ({
        ...microApp({ tier }),
        metadata: { name: 'bad-app', namespace: 'finance' },
      });
      const discover = await processor.postProcessEntity(
        bad('discover'),
        location,
        jest.fn(),
      );
      expect(discover.metadata.labels?.['microapps.dev/gate-status']).toBe(
        'warn',
      );
      const vetted = await processor.postProcessEntity(
        bad('vetted'),
        location,
        jest.fn(),
      );
      expect(vetted.metadata.labels?.['microapps.dev/gate-status']).toBe(
        'fail',
      );
    });

    it('defaults the tier to discover and overrides labels written in the YAML', async () => {
      const result = await processor.postProcessEntity(
        microApp(
          {},
          {
            'microapps.dev/tier': 'enterprise',
            'microapps.dev/gate-status': 'pass',
            team: 'a',
          },
        ),
        location,
        jest.fn(),
      );
      expect(result.metadata.labels).toEqual({
        team: 'a',
        'microapps.dev/tier': 'discover',
        'microapps.dev/gate-status': 'pass',
      });
    });

    it('never touches entities of other kinds', async () => {
      const emit = jest.fn();
      const component: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'c', labels: { 'microapps.dev/tier': 'enterprise' } },
        spec: {
          type: 'service',
          owner: 'x',
          lifecycle: 'production',
          tier: 'vetted',
        },
      };
      const frozen = JSON.parse(JSON.stringify(component));
      const result = await processor.postProcessEntity(
        component,
        location,
        emit,
      );
      expect(result).toBe(component);
      expect(component).toEqual(frozen);
      expect(emit).not.toHaveBeenCalled();
      expect(recorder.record).not.toHaveBeenCalled();
    });
  });
});
