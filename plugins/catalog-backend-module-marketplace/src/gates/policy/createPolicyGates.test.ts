import type {
  MicroAppEntityV1alpha1,
  TierId,
} from '@microapps/plugin-marketplace-common';
import type { GateFacts, PolicyGate } from '@microapps/plugin-marketplace-node';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { createPolicyGates } from './createPolicyGates';
import { loadPolicyPacks } from './loadPolicyPacks';

const entity = (spec: object = {}) =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name: 'vendor-portal' },
    spec: {
      type: 'web-app',
      owner: 'group:default/procurement-apps',
      cost: { center: 'CC-3100', monthlyForecast: 60 },
      ...spec,
    },
  } as MicroAppEntityV1alpha1);

const rule = (options: { id: string; expr: string; enforcement?: string }) =>
  `  - id: ${options.id}
    title: Title of ${options.id}
    expr: ${JSON.stringify(options.expr)}
    message: Message of ${options.id}
    severity: high
${options.enforcement ? `    enforcement: ${options.enforcement}\n` : ''}`;

const pack = (
  name: string,
  ...rules: string[]
) => `apiVersion: microapps.dev/v1alpha1
kind: PolicyPack
metadata:
  name: ${name}
rules:
${rules.join('')}`;

const gatesOf = (...contents: string[]) =>
  createPolicyGates(
    loadPolicyPacks({
      files: contents.map((content, i) => ({
        path: `policies/pack${i + 1}.yaml`,
        content,
      })),
    }),
  );

const evaluate = (
  gate: PolicyGate,
  options: { spec?: object; tier?: TierId; facts?: GateFacts } = {},
) =>
  gate.evaluate(
    {
      entity: entity(options.spec),
      tier: options.tier ?? 'vetted',
      facts: options.facts ?? {},
    },
    createTestGateContext(),
  );

const SLA_RULE = rule({
  id: 'restricted-needs-fast-sla',
  expr: "app.spec.data.classification != 'restricted' || app.spec.support.slaTier in ['S1', 'S2']",
  enforcement: '{ discover: off, vetted: warn }',
});

describe('createPolicyGates', () => {
  it('creates one gate per rule, after the gates whose facts it may read', () => {
    const gates = gatesOf(
      pack('data-governance', SLA_RULE, rule({ id: 'b', expr: 'true' })),
    );
    expect(gates.map(g => [g.id, g.title])).toEqual([
      [
        'policy:data-governance/restricted-needs-fast-sla',
        'Title of restricted-needs-fast-sla',
      ],
      ['policy:data-governance/b', 'Title of b'],
    ]);
    expect(gates[0].after).toEqual([
      'sbom',
      'vulnerabilities',
      'licenses',
      'secrets',
      'privileges',
      'metadata',
      'cost',
    ]);
  });

  it('enforces per tier as the rule says, else the marketplace default', () => {
    const [sla, plain] = gatesOf(
      pack('p', SLA_RULE, rule({ id: 'b', expr: 'true' })),
    );
    expect(
      ['discover', 'vetted', 'enterprise'].map(t =>
        sla.enforcementFor!(t as TierId),
      ),
    ).toEqual(['off', 'warn', 'block']);
    expect(
      ['discover', 'vetted', 'enterprise'].map(t =>
        plain.enforcementFor!(t as TierId),
      ),
    ).toEqual(['warn', 'block', 'block']);
  });

  it('passes when the expression is true', async () => {
    const [gate] = gatesOf(pack('p', SLA_RULE));
    await expect(
      evaluate(gate, {
        spec: {
          data: { classification: 'restricted' },
          support: { slaTier: 'S2' },
        },
      }),
    ).resolves.toEqual({ status: 'pass', findings: [] });
    await expect(
      evaluate(gate, { spec: { data: { classification: 'internal' } } }),
    ).resolves.toEqual({ status: 'pass', findings: [] });
  });

  it('fails with one finding when the expression is false', async () => {
    const [gate] = gatesOf(
      pack(
        'p',
        SLA_RULE.replace(
          '    severity: high\n',
          '    severity: critical\n    url: https://wiki.example.com/sla\n',
        ),
      ),
    );
    await expect(
      evaluate(gate, {
        spec: {
          data: { classification: 'restricted' },
          support: { slaTier: 'S3' },
        },
      }),
    ).resolves.toEqual({
      status: 'fail',
      findings: [
        {
          id: 'restricted-needs-fast-sla',
          severity: 'critical',
          message: 'Message of restricted-needs-fast-sla',
          location: 'policies/pack1.yaml',
          url: 'https://wiki.example.com/sla',
        },
      ],
      summary: 'Message of restricted-needs-fast-sla',
    });
  });

  it('still evaluates where its enforcement is off (the marketplace ignores the result)', async () => {
    const [gate] = gatesOf(pack('p', SLA_RULE));
    expect(gate.enforcementFor!('discover')).toBe('off');
    const result = await evaluate(gate, {
      tier: 'discover',
      spec: { data: { classification: 'restricted' } },
    });
    expect(result.status).toBe('error');
  });

  it('reports error, never pass, when a field the rule reads is missing', async () => {
    const [gate] = gatesOf(pack('data-governance', SLA_RULE));
    // restricted, so the right side runs and reads spec.support, which the app lacks
    const result = await evaluate(gate, {
      spec: { data: { classification: 'restricted' } },
    });
    expect(result).toEqual({
      status: 'error',
      findings: [],
      error:
        'Policy rule data-governance/restricted-needs-fast-sla could not be evaluated: ' +
        'CEL evaluation error: No such key: support (at 1:58 of expr); ' +
        'guard optional fields with has(...) or .?field.orValue(...)',
    });
  });

  it('reports error for a type error at run time', async () => {
    const [gate] = gatesOf(
      pack(
        'p',
        rule({ id: 'budget', expr: 'app.spec.cost.monthlyForecast + 1 < 100' }),
      ),
    );
    const result = await evaluate(gate);
    expect(result.status).toBe('error');
    expect(result.error).toBe(
      'Policy rule p/budget could not be evaluated: CEL evaluation error: ' +
        'no such overload: dyn<double> + int (at 1:1 of expr)',
    );
  });

  it('reports error when the result is not a bool', async () => {
    const [typeGate, numberGate] = gatesOf(
      pack(
        'p',
        rule({ id: 'type-of-app', expr: 'app.spec.type' }),
        rule({ id: 'forecast', expr: 'app.spec.cost.monthlyForecast' }),
      ),
    );
    await expect(evaluate(typeGate)).resolves.toEqual({
      status: 'error',
      findings: [],
      error:
        'Policy rule p/type-of-app returned the string "web-app" instead of a bool',
    });
    expect((await evaluate(numberGate)).error).toBe(
      'Policy rule p/forecast returned the number 60 instead of a bool',
    );
  });

  it('gives rules the tier and the facts of other gates', async () => {
    const [gate] = gatesOf(
      pack(
        'p',
        rule({
          id: 'no-gpl-in-vetted',
          expr:
            "tier == 'discover' || !has(facts.sbom) || " +
            "facts.sbom.components.all(c, !c.licenses.exists(l, l.startsWith('GPL')))",
        }),
      ),
    );
    const facts = {
      sbom: {
        format: 'CycloneDX' as const,
        specVersion: '1.4',
        sha256: 'abc',
        components: [
          {
            name: 'lodash',
            version: '4.17.21',
            purl: 'pkg:npm/lodash@4.17.21',
            licenses: ['MIT'],
          },
          { name: 'readline', licenses: ['GPL-3.0-only'] },
        ],
      },
    };
    expect((await evaluate(gate, { tier: 'vetted', facts })).status).toBe(
      'fail',
    );
    expect((await evaluate(gate, { tier: 'discover', facts })).status).toBe(
      'pass',
    );
    expect((await evaluate(gate, { tier: 'vetted' })).status).toBe('pass');
  });

  it('stops a rule that reads too many list elements, deterministically', async () => {
    const components = Array.from({ length: 2000 }, (_, i) => ({
      name: `c${i}`,
      licenses: ['MIT'],
    }));
    const facts: GateFacts = {
      sbom: {
        format: 'CycloneDX',
        specVersion: '1.4',
        sha256: 'x',
        components,
      },
    };
    const rules = [
      rule({
        id: 'linear',
        expr: "facts.sbom.components.all(c, 'MIT' in c.licenses)",
      }),
      rule({
        id: 'quadratic',
        expr: 'facts.sbom.components.all(a, facts.sbom.components.exists_one(b, b.name == a.name))',
      }),
      // `||` swallows the error of one side in CEL; the bound must still win
      rule({
        id: 'absorbed',
        expr: 'facts.sbom.components.all(a, facts.sbom.components.all(b, true)) || true',
      }),
    ];
    const loaded = loadPolicyPacks({
      files: [{ path: 'p.yaml', content: pack('p', ...rules) }],
    });
    const [linear] = createPolicyGates(loaded);
    expect((await evaluate(linear, { facts })).status).toBe('pass');

    const [, quadratic, absorbed] = createPolicyGates({
      ...loaded,
      maxListReads: 100_000,
    });
    for (const gate of [quadratic, absorbed]) {
      const result = await evaluate(gate, { facts });
      expect(result.status).toBe('error');
      expect(result.error).toContain(
        'evaluation stopped after reading 100000 list elements',
      );
    }
  });

  it('honours a custom list read bound', async () => {
    const [gate] = createPolicyGates({
      ...loadPolicyPacks({
        files: [
          {
            path: 'p.yaml',
            content: pack(
              'p',
              rule({ id: 'r', expr: "app.spec.audience.all(a, a != '')" }),
            ),
          },
        ],
      }),
      maxListReads: 2,
    });
    const audience = (n: number) => ({
      audience: Array.from({ length: n }, (_, i) => `group:g${i}`),
    });
    // at the limit: 2 elements read
    expect((await evaluate(gate, { spec: audience(2) })).status).toBe('pass');
    // one over
    const over = await evaluate(gate, { spec: audience(3) });
    expect(over.status).toBe('error');
    expect(over.error).toBe(
      'Policy rule p/r could not be evaluated: evaluation stopped after reading 2 list elements of the input, ' +
        'the limit of marketplace.policy.maxListReads; the rule iterates too much (e.g. nested macros over facts.sbom.components)',
    );
  });

  it('turns each broken pack file into one gate that always reports its problems', async () => {
    const gates = gatesOf(
      pack('good', rule({ id: 'a', expr: 'true' })),
      pack(
        'broken',
        rule({ id: 'a', expr: 'tier ==' }),
        rule({ id: 'a', expr: 'true' }),
      ),
      'not: [valid',
    );
    expect(gates.map(g => g.id)).toEqual([
      'policy:good/a',
      'policy:broken',
      'policy:pack3',
    ]);
    const broken = gates[1];
    expect(broken.title).toBe('Policy pack broken (not loaded)');
    expect(broken.enforcementFor).toBeUndefined();
    const result = await evaluate(broken, { tier: 'discover' });
    expect(result).toEqual({
      status: 'error',
      findings: [],
      summary: 'pack not loaded: 2 problems',
      error: expect.stringContaining(
        'Policy pack policies/pack2.yaml could not be loaded:\n',
      ),
    });
    expect(result.error!.split('\n').slice(1)).toEqual([
      expect.stringMatching(
        /^policies\/pack2\.yaml:8:11: rule 'a': CEL syntax error: .* \(at 1:8 of expr\)$/,
      ),
      "policies/pack2.yaml:11:9: rule 'a': duplicate rule id 'a' (first used at line 6)",
    ]);
    expect((await evaluate(gates[2])).error).toMatch(
      /^Policy pack policies\/pack3\.yaml could not be loaded:\npolicies\/pack3\.yaml:1:\d+: YAML: /,
    );
  });

  it('turns a pack over a limit into a gate that reports error naming the pack, the limit and the key', async () => {
    const content = pack(
      'governance',
      rule({ id: 'a', expr: 'true' }),
      rule({ id: 'b', expr: 'true' }),
    );
    const atLimit = createPolicyGates(
      loadPolicyPacks({
        files: [{ path: 'policies/governance.yaml', content }],
        limits: { maxRules: 2 },
      }),
    );
    expect(atLimit.map(g => g.id)).toEqual([
      'policy:governance/a',
      'policy:governance/b',
    ]);
    const [broken] = createPolicyGates(
      loadPolicyPacks({
        files: [{ path: 'policies/governance.yaml', content }],
        limits: { maxRules: 1 },
      }),
    );
    expect(broken.id).toBe('policy:governance');
    expect(await evaluate(broken)).toEqual({
      status: 'error',
      findings: [],
      summary: 'pack not loaded: 1 problem',
      error:
        'Policy pack policies/governance.yaml could not be loaded:\n' +
        'policies/governance.yaml:6:3: the pack has 2 rules, more than the limit of 1 (marketplace.policy.limits.maxRules); none was compiled',
    });
  });

  it('keeps the ids of broken pack gates unique', () => {
    const duplicate = pack('governance', rule({ id: 'a', expr: 'true' }));
    const broken = pack('governance', rule({ id: 'a', expr: 'nope(' }));
    const gates = createPolicyGates(
      loadPolicyPacks({
        files: [
          { path: 'a/governance.yaml', content: duplicate },
          { path: 'b/governance.yaml', content: duplicate },
          { path: 'c/governance.yml', content: broken },
          {
            path: 'd/OPA.yaml',
            content: pack('opa', rule({ id: 'a', expr: 'true' })),
          },
        ],
      }),
    );
    expect(gates.map(g => g.id)).toEqual([
      'policy:governance/a',
      'policy:governance-2',
      'policy:governance-3',
      'policy:opa-2',
    ]);
  });
});
