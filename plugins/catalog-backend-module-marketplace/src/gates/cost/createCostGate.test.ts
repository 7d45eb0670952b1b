import { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { createCostGate } from './createCostGate';

const app = (cost: object) =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name: 'a' },
    spec: { type: 'web-app', owner: 'group:default/a', cost },
  } as MicroAppEntityV1alpha1);

describe('cost gate', () => {
  const run = (centers: string[] | undefined, cost: object) =>
    createCostGate({ centers }).evaluate(
      { entity: app(cost), tier: 'vetted', facts: {} },
      createTestGateContext(),
    );

  it('passes a known cost center with a forecast', async () => {
    const result = await run(['CC-1', 'CC-2'], {
      center: 'CC-2',
      monthlyForecast: 40,
    });
    expect(result).toMatchObject({
      status: 'pass',
      findings: [],
      summary: 'CC-2, forecast 40 per month',
    });
  });

  it('fails an unknown cost center', async () => {
    const result = await run(['CC-1'], { center: 'CC-9', monthlyForecast: 40 });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'unknown-center:CC-9',
        location: 'spec.cost.center',
      }),
    ]);
  });

  it('fails a missing forecast', async () => {
    const result = await run(['CC-1'], { center: 'CC-1' });
    expect(result.findings.map(f => f.id)).toEqual(['no-forecast']);
  });

  it('warns, never passes, when no cost centers are configured', async () => {
    const result = await run(undefined, { center: 'CC-1', monthlyForecast: 1 });
    expect(result.status).toBe('warn');
    expect(result.findings.map(f => f.id)).toEqual(['no-centers-configured']);
  });
});
