import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';
import { createTestGateContext } from '../__testUtils__/gateContext';
import { loadPolicyGates } from './loadPolicyGates';

const PACK = `apiVersion: microapps.dev/v1alpha1
kind: PolicyPack
metadata:
  name: governance
rules:
  - id: audience-listed
    title: Every audience entry is a group
    expr: "app.spec.audience.all(a, a.startsWith('group:'))"
    message: Name groups only.
    severity: low
`;

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packs-'));
  file = path.join(dir, 'governance.yaml');
  fs.writeFileSync(file, PACK);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const load = (policy: object) =>
  loadPolicyGates({
    config: new ConfigReader({ marketplace: { policy } }),
    logger: mockServices.logger.mock(),
  });

const evaluate = (gate: PolicyGate, audience: string[] = []) =>
  gate.evaluate(
    {
      entity: {
        apiVersion: 'microapps.dev/v1alpha1',
        kind: 'MicroApp',
        metadata: { name: 'a' },
        spec: { type: 'web-app', owner: 'group:default/a', audience },
      } as unknown as MicroAppEntityV1alpha1,
      tier: 'vetted',
      facts: {},
    },
    createTestGateContext(),
  );

describe('loadPolicyGates: marketplace.policy.limits', () => {
  it('maxPackBytes: loads a pack file of exactly the limit; one byte less and the file is not read, its gate errors naming the pack, the limit and the key', async () => {
    const size = fs.statSync(file).size;
    const atLimit = await load({
      packs: [file],
      limits: { maxPackBytes: size },
    });
    expect(atLimit.map(g => g.id)).toEqual([
      'policy:governance/audience-listed',
    ]);

    const handle = await fs.promises.open(file);
    const fileHandle = Object.getPrototypeOf(handle);
    await handle.close();
    const readFile = jest.spyOn(fileHandle, 'readFile');
    const atLimitAgain = await load({
      packs: [file],
      limits: { maxPackBytes: size },
    });
    expect(atLimitAgain).toHaveLength(1);
    expect(readFile).toHaveBeenCalledTimes(1);
    readFile.mockClear();
    const [gate] = await load({
      packs: [file],
      limits: { maxPackBytes: size - 1 },
    });
    expect(readFile).not.toHaveBeenCalled();
    readFile.mockRestore();
    expect(gate.id).toBe('policy:governance');
    expect(await evaluate(gate)).toEqual({
      status: 'error',
      findings: [],
      summary: 'pack not loaded: 1 problem',
      error: `Policy pack ${file} could not be loaded:\n${file}: the file is ${size} bytes, more than the limit of ${
        size - 1
      } bytes (marketplace.policy.limits.maxPackBytes); it was not parsed`,
    });
  });

  it('passes maxRules and maxExpressionLength to the loader', async () => {
    const [rules] = await load({ packs: [file], limits: { maxRules: 1 } });
    expect(rules.id).toBe('policy:governance/audience-listed');
    const [tooLong] = await load({
      packs: [file],
      limits: { maxExpressionLength: 10 },
    });
    expect((await evaluate(tooLong)).error).toContain(
      "rule 'audience-listed': the expression is 48 characters long, more than the limit of 10 (marketplace.policy.limits.maxExpressionLength)",
    );
  });

  it('maxListReads: a rule reading exactly the limit passes; one more element errors naming the key', async () => {
    const [gate] = await load({ packs: [file], maxListReads: 2 });
    expect(
      (await evaluate(gate, ['group:default/a', 'group:default/b'])).status,
    ).toBe('pass');
    const over = await evaluate(gate, [
      'group:default/a',
      'group:default/b',
      'group:default/c',
    ]);
    expect(over.status).toBe('error');
    expect(over.error).toContain(
      'evaluation stopped after reading 2 list elements of the input, the limit of marketplace.policy.maxListReads',
    );
  });

  it.each([
    [
      { limits: { maxPackBytes: 0 } },
      'marketplace.policy.limits.maxPackBytes must be a positive integer, got 0',
    ],
    [
      { limits: { maxRules: 1.5 } },
      'marketplace.policy.limits.maxRules must be a positive integer, got 1.5',
    ],
    [
      { limits: { maxExpressionLength: -1 } },
      'marketplace.policy.limits.maxExpressionLength must be a positive integer, got -1',
    ],
    [
      { maxListReads: 0 },
      'marketplace.policy.maxListReads must be a positive integer, got 0',
    ],
    [
      {
        opa: {
          baseUrl: 'http://localhost:8181',
          packagePath: 'a/b',
          timeoutMs: 0,
        },
      },
      'marketplace.policy.opa.timeoutMs must be a positive integer, got 0',
    ],
  ])('refuses %j, naming the key', async (policy, message) => {
    await expect(load({ packs: [file], ...policy })).rejects.toThrow(message);
  });
});
