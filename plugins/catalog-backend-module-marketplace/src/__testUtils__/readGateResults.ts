import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { GateResult, GateRun } from '@microapps/plugin-marketplace-common';
import { createSbomGate } from '../gates/sbom';
import { createSecretsGate } from '../gates/secrets';
import { MicroAppProcessor } from '../processor/MicroAppProcessor';
import { GateRunner } from '../runner/GateRunner';
import { createTestGateContext } from './gateContext';

/** A MicroApp named `name` whose annotations name what the gates read. */
export const testMicroApp = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'microapps.dev/v1alpha1',
  kind: 'MicroApp',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'web-app',
    owner: 'group:default/a',
    cost: { center: 'CC-1', monthlyForecast: 1 },
  },
});

/** The real UrlReader for `backend.reading.allow`, as the backend builds it. */
export function realUrlReader(allow: Array<{ host: string }>) {
  return UrlReaders.default({
    config: new ConfigReader({ backend: { reading: { allow } } }),
    logger: mockServices.logger.mock(),
  });
}

/**
 * Processes one MicroApp with the gates that read what an entity names (sbom and secrets)
 * through the real processor, and returns their results by gate id.
 */
export async function readGateResults(options: {
  entity: Entity;
  location: { type: string; target: string };
  urlReader: UrlReaderService;
  allowInternalTargets?: boolean;
  readTimeoutMs?: number;
  /** `marketplace.gates`. */
  gates?: object;
}): Promise<Record<string, GateResult>> {
  const runs: GateRun[] = [];
  const processor = new MicroAppProcessor({
    runner: new GateRunner({
      gates: [createSbomGate(), createSecretsGate()],
      logger: mockServices.logger.mock(),
      cache: createTestGateContext().cache,
      ...(options.gates && { gatesConfig: new ConfigReader(options.gates) }),
    }),
    urlReader: options.urlReader,
    allowInternalTargets: options.allowInternalTargets,
    readTimeoutMs: options.readTimeoutMs,
    recorder: { record: async run => void runs.push(run) },
  });
  await processor.postProcessEntity(
    options.entity,
    options.location,
    jest.fn(),
  );
  return Object.fromEntries(runs[0].results.map(r => [r.gateId, r]));
}
