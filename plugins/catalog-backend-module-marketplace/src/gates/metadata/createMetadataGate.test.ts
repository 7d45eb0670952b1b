import { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { createMetadataGate } from './createMetadataGate';

const entity = (spec: object) =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name: 'a' },
    spec: {
      type: 'web-app',
      owner: 'group:default/a',
      cost: { center: 'CC-1', monthlyForecast: 1 },
      ...spec,
    },
  } as MicroAppEntityV1alpha1);

describe('metadata gate', () => {
  const gate = createMetadataGate();
  const discoverReady = {
    support: { contact: 'a@example.com' },
    data: { classification: 'internal' },
  };

  it('passes a manifest complete for the tier', async () => {
    const result = await gate.evaluate(
      { entity: entity(discoverReady), tier: 'discover', facts: {} },
      createTestGateContext(),
    );
    expect(result).toEqual({
      status: 'pass',
      findings: [],
      summary: 'complete for Discover',
    });
  });

  it('fails with one finding per missing field, naming field and tier', async () => {
    const result = await gate.evaluate(
      { entity: entity(discoverReady), tier: 'vetted', facts: {} },
      createTestGateContext(),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('3 fields missing for Vetted');
    expect(result.findings).toEqual([
      {
        id: 'spec.support.roster',
        severity: 'medium',
        message: 'spec.support.roster is required for Vetted',
        location: 'spec.support.roster',
      },
      expect.objectContaining({ id: 'spec.support.slaTier' }),
      expect.objectContaining({ id: 'spec.data.residency' }),
    ]);
  });
});
