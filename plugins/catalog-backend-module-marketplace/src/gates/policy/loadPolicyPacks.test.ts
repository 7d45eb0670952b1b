import { loadPolicyPacks } from './loadPolicyPacks';
import { formatPolicyProblem } from './policyProblem';

const HEADER = `apiVersion: microapps.dev/v1alpha1
kind: PolicyPack
metadata:
  name: data-governance
rules:
`;

const RULE = `  - id: restricted-needs-fast-sla
    title: Restricted data needs an S1 or S2 support tier
    expr: "app.spec.data.classification != 'restricted' || app.spec.support.slaTier in ['S1', 'S2']"
    message: Apps handling restricted data must publish an S1 or S2 support SLA.
    severity: high
    enforcement: { discover: warn, vetted: block, enterprise: block }
`;

const loadWith = (limits: object, ...contents: string[]) =>
  loadPolicyPacks({
    files: contents.map((content, i) => ({
      path: `packs/pack${i + 1}.yaml`,
      content,
    })),
    limits,
  });
const load = (...contents: string[]) => loadWith({}, ...contents);

describe('loadPolicyPacks', () => {
  it('loads a pack with compiled rules', () => {
    const { packs, problems } = load(
      `${HEADER}${RULE}  - id: no-enforcement
    title: t
    expr: "true"
    message: m
    severity: low
    url: https://wiki.example.com/policies
`,
    );
    expect(problems).toEqual([]);
    expect(packs).toEqual([
      {
        name: 'data-governance',
        file: 'packs/pack1.yaml',
        rules: [
          expect.objectContaining({
            id: 'restricted-needs-fast-sla',
            severity: 'high',
            enforcement: {
              discover: 'warn',
              vetted: 'block',
              enterprise: 'block',
            },
            program: expect.any(Function),
          }),
          expect.objectContaining({
            id: 'no-enforcement',
            enforcement: {},
            url: 'https://wiki.example.com/policies',
          }),
        ],
      },
    ]);
  });

  it('reports bad YAML with line and column', () => {
    const { packs, problems } = load(
      `${HEADER}  - id: a\n    title: [unclosed\n    expr: x\n`,
    );
    expect(packs).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'packs/pack1.yaml', line: 8, column: 5 }),
    ]);
    expect(problems[0].message).toMatch(/^YAML: /);
  });

  it('reports duplicate YAML keys and several documents in one file', () => {
    expect(load(`${HEADER}${RULE}kind: PolicyPack\n`).problems).toEqual([
      expect.objectContaining({
        line: 12,
        column: 1,
        message: 'YAML: Map keys must be unique',
      }),
    ]);
    expect(load(`${HEADER}${RULE}---\n${HEADER}${RULE}`).problems).toEqual([
      expect.objectContaining({
        line: 12,
        message: 'a policy pack file holds exactly one YAML document',
      }),
    ]);
  });

  it('refuses a file that is not a mapping, and an empty one', () => {
    for (const content of ['- a\n- b\n', '']) {
      expect(load(content).problems).toEqual([
        {
          file: 'packs/pack1.yaml',
          line: 1,
          column: 1,
          message:
            'a policy pack is a YAML mapping with apiVersion, kind, metadata and rules',
        },
      ]);
    }
  });

  it('reports schema violations with the field path, the rule and the line', () => {
    const content = `${HEADER}${RULE.replace(
      'severity: high',
      'severity: urgent',
    ).replace('enforcement:', 'enforcment:')}  - id: Bad_Id
    title: t
    message: m
    severity: low
`;
    const { packs, problems } = load(content);
    expect(packs).toEqual([]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'restricted-needs-fast-sla',
          line: 10,
          column: 15,
          message: expect.stringMatching(
            /^rules\[0\]\.severity: Invalid enum value\. Expected 'critical' \| 'high' .* received 'urgent'$/,
          ),
        }),
        expect.objectContaining({
          rule: 'restricted-needs-fast-sla',
          line: 11,
          column: 5,
          message: 'rules[0].enforcment: unknown field',
        }),
        expect.objectContaining({
          rule: 'Bad_Id',
          line: 12,
          column: 9,
          message:
            'rules[1].id: must be lowercase letters and digits, separated by single dashes',
        }),
        expect.objectContaining({
          rule: 'Bad_Id',
          line: 12,
          column: 5,
          message: 'rules[1].expr: required field is missing',
        }),
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(problems.every(p => p.pack === 'data-governance')).toBe(true);
  });

  it('reports missing top-level fields and a wrong kind at their place, in file order', () => {
    const { problems } = load('# a pack\nkind: Policy\n');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 1,
        message: 'apiVersion: required field is missing',
      }),
      expect.objectContaining({
        line: 2,
        column: 1,
        message: 'metadata: required field is missing',
      }),
      expect.objectContaining({
        line: 2,
        column: 1,
        message: 'rules: required field is missing',
      }),
      expect.objectContaining({
        line: 2,
        column: 7,
        message: 'kind: Invalid literal value, expected "PolicyPack"',
      }),
    ]);
  });

  it('reports a CEL syntax error with its position in expr and the line of expr', () => {
    const { packs, problems } = load(
      `${HEADER}${RULE.replace("!= 'restricted'", "== = 'restricted'")}`,
    );
    expect(packs).toEqual([]);
    expect(problems).toEqual([
      {
        file: 'packs/pack1.yaml',
        pack: 'data-governance',
        rule: 'restricted-needs-fast-sla',
        line: 8,
        column: 11,
        exprLine: 1,
        exprColumn: 33,
        message: 'CEL syntax error: Unexpected character: =',
      },
    ]);
    expect(formatPolicyProblem(problems[0])).toBe(
      "packs/pack1.yaml:8:11: rule 'restricted-needs-fast-sla': CEL syntax error: Unexpected character: = (at 1:33 of expr)",
    );
  });

  it('positions errors inside a multi-line expr', () => {
    const { problems } = load(`${HEADER}  - id: multi
    title: t
    expr: |
      app.spec.type == 'web-app' &&
        app.spec.owner ==
    message: m
    severity: low
`);
    expect(problems).toEqual([
      expect.objectContaining({
        line: 8,
        column: 11,
        exprLine: 3,
        exprColumn: 1,
      }),
    ]);
    expect(problems[0].message).toMatch(/^CEL syntax error: /);
  });

  it('names a rule without a usable id by its path', () => {
    const { problems } = load(
      `${HEADER}  - title: t\n    expr: "tier =="\n    message: m\n    severity: low\n`,
    );
    expect(problems).toEqual([
      {
        file: 'packs/pack1.yaml',
        pack: 'data-governance',
        line: 6,
        column: 5,
        message: 'rules[0].id: required field is missing',
      },
      expect.objectContaining({
        line: 7,
        column: 11,
        exprLine: 1,
        exprColumn: 8,
        message: expect.stringMatching(/^rules\[0\]\.expr: CEL syntax error: /),
      }),
    ]);
    expect(problems[1].rule).toBeUndefined();
  });

  it('type-checks expressions: unknown variables and functions, non-bool results', () => {
    const rule = (id: string, expr: string) =>
      `  - id: ${id}\n    title: t\n    expr: ${JSON.stringify(
        expr,
      )}\n    message: m\n    severity: low\n`;
    const { problems } = load(
      `${HEADER}${rule(
        'unknown-variable',
        "entity.spec.tier == 'vetted'",
      )}${rule('unknown-function', 'isRestricted(app)')}${rule(
        'string-result',
        "'vetted'",
      )}${rule('type-mismatch', "1 + 'a' == 2")}`,
    );
    expect(problems.map(p => [p.rule, p.message, p.exprColumn])).toEqual([
      ['unknown-variable', 'CEL type error: Unknown variable: entity', 1],
      [
        'unknown-function',
        "CEL type error: found no matching overload for 'isRestricted(map<dyn, dyn>)'",
        1,
      ],
      [
        'string-result',
        'the expression must be a bool (true when the app complies), it is string',
        1,
      ],
      ['type-mismatch', 'CEL type error: no such overload: int + string', 1],
    ]);
  });

  it('bounds the size of an expression when parsing', () => {
    const expr = Array.from({ length: 600 }, (_, i) => `tier == 't${i}'`).join(
      ' || ',
    );
    // long enough for maxExpressionLength to let it through to the parser
    const { problems } = loadWith(
      { maxExpressionLength: expr.length },
      `${HEADER}  - id: huge\n    title: t\n    expr: "${expr}"\n    message: m\n    severity: low\n`,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'huge',
        message: 'CEL syntax error: Exceeded maxAstNodes (1000)',
      }),
    ]);
  });

  it('reports duplicate rule ids at the second one, naming the first', () => {
    const { packs, problems } = load(`${HEADER}${RULE}${RULE}`);
    expect(packs).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'restricted-needs-fast-sla',
        line: 12,
        column: 9,
        message:
          "duplicate rule id 'restricted-needs-fast-sla' (first used at line 6)",
      }),
    ]);
  });

  it('reports duplicate pack names across files and the reserved name opa', () => {
    const { packs, problems } = load(
      `${HEADER}${RULE}`,
      `${HEADER}${RULE}`,
      `${HEADER.replace('data-governance', 'opa')}${RULE}`,
    );
    expect(packs.map(p => p.file)).toEqual(['packs/pack1.yaml']);
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'packs/pack2.yaml',
        pack: 'data-governance',
        line: 4,
        column: 9,
        message:
          "duplicate pack name 'data-governance' (already used by packs/pack1.yaml)",
      }),
      expect.objectContaining({
        file: 'packs/pack3.yaml',
        message: "the pack name 'opa' is reserved for the OPA adapter",
      }),
    ]);
  });

  it('keeps loading other files when one is broken, and never throws', () => {
    const broken = [
      'rules: *missing-anchor\n',
      '\tkind: tab\n',
      'kind: PolicyPack\nrules: 42\n',
      `${HEADER}  - just a string\n`,
      `${HEADER}  - id: x\n    expr: 42\n`,
    ];
    const good = `${HEADER.replace('data-governance', 'other')}${RULE}`;
    const { packs, problems } = load(...broken, good);
    expect(packs.map(p => p.name)).toEqual(['other']);
    const files = new Set(problems.map(p => p.file));
    expect(files).toEqual(
      new Set(broken.map((_, i) => `packs/pack${i + 1}.yaml`)),
    );
    for (const problem of problems) {
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.message).not.toBe('');
    }
  });

  // Each limit: at it the pack loads; one over, it does not load, and its problem names
  // the pack, the limit and the key.
  describe('limits, at and just over', () => {
    const KEY = 'marketplace.policy.limits';
    const rules = (count: number, expr = 'true') =>
      Array.from(
        { length: count },
        (_, i) =>
          `  - id: rule-${i + 1}\n    title: Rüle ${
            i + 1
          }\n    expr: ${JSON.stringify(
            expr,
          )}\n    message: m\n    severity: low\n`,
      ).join('');

    it('maxPackBytes: a file of exactly maxPackBytes loads; one byte less and it is not parsed', () => {
      const content = `${HEADER}${rules(2)}`;
      // bytes, not characters: the titles have an ü
      const bytes = Buffer.byteLength(content);
      expect(bytes).toBe(content.length + 2);
      const atLimit = loadWith({ maxPackBytes: bytes }, content);
      expect(atLimit.problems).toEqual([]);
      expect(atLimit.packs[0].rules).toHaveLength(2);

      const over = loadWith({ maxPackBytes: bytes - 1 }, content);
      expect(over.packs).toEqual([]);
      expect(over.problems).toEqual([
        {
          file: 'packs/pack1.yaml',
          message: `the file is ${bytes} bytes, more than the limit of ${
            bytes - 1
          } bytes (${KEY}.maxPackBytes); it was not parsed`,
        },
      ]);
    });

    it('maxRules: a pack with exactly maxRules rules loads; one rule more and none is compiled', () => {
      const content = `${HEADER}${rules(3)}`;
      expect(loadWith({ maxRules: 3 }, content).packs[0].rules).toHaveLength(3);
      const over = loadWith({ maxRules: 2 }, content);
      expect(over.packs).toEqual([]);
      expect(over.problems).toEqual([
        {
          file: 'packs/pack1.yaml',
          pack: 'data-governance',
          line: 6,
          column: 3,
          message: `the pack has 3 rules, more than the limit of 2 (${KEY}.maxRules); none was compiled`,
        },
      ]);
    });

    it('maxExpressionLength: an expr of exactly maxExpressionLength characters loads; one more is not compiled', () => {
      const expr = "tier == 'vetted' || tier == 'enterprise'";
      const content = `${HEADER}${rules(1, expr)}`;
      expect(
        loadWith({ maxExpressionLength: expr.length }, content).problems,
      ).toEqual([]);
      const over = loadWith({ maxExpressionLength: expr.length - 1 }, content);
      expect(over.packs).toEqual([]);
      expect(over.problems).toEqual([
        expect.objectContaining({
          file: 'packs/pack1.yaml',
          pack: 'data-governance',
          rule: 'rule-1',
          line: 8,
          message: `the expression is ${
            expr.length
          } characters long, more than the limit of ${
            expr.length - 1
          } (${KEY}.maxExpressionLength); it was not compiled`,
        }),
      ]);
    });

    it('has defaults that load the example pack and refuse absurd ones', () => {
      expect(load(`${HEADER}${rules(200)}`).problems).toEqual([]);
      expect(load(`${HEADER}${rules(201)}`).problems[0].message).toContain(
        `more than the limit of 200 (${KEY}.maxRules)`,
      );
      const long = `tier == '${'x'.repeat(4096)}'`;
      expect(load(`${HEADER}${rules(1, long)}`).problems[0].message).toContain(
        `more than the limit of 4096 (${KEY}.maxExpressionLength)`,
      );
      expect(
        load(`${HEADER}${rules(1)}#${' '.repeat(1024 * 1024)}`).problems[0]
          .message,
      ).toContain(`more than the limit of 1048576 bytes (${KEY}.maxPackBytes)`);
    });
  });
});
