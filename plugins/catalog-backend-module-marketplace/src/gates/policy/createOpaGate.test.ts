import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '@backstage/errors';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type { GateInput } from '@microapps/plugin-marketplace-node';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { buildPolicyInput } from './buildPolicyInput';
import { createOpaGate } from './createOpaGate';

type Handler = (
  req: http.IncomingMessage,
  body: string,
  res: http.ServerResponse,
) => void;

/** A local stand-in for OPA's v1 Data API; each test sets how it answers. */
async function startOpa() {
  let handler: Handler = (_req, _body, res) => res.end('{}');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () =>
      handler(req, Buffer.concat(chunks).toString('utf8'), res),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    answer(next: Handler) {
      handler = next;
    },
    json(status: number, body: unknown) {
      handler = (_req, _body, res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

const input: GateInput = {
  entity: {
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: {
      name: 'vendor-portal',
      annotations: { 'microapps.dev/sbom': './sbom.cdx.json' },
    },
    spec: {
      type: 'web-app',
      owner: 'group:default/procurement-apps',
      tier: 'vetted',
      data: { classification: 'restricted', residency: ['eu'] },
      cost: { center: 'CC-3100', monthlyForecast: 60 },
    },
    relations: [],
  } as MicroAppEntityV1alpha1,
  tier: 'vetted',
  facts: { cost: { known: true } },
};

describe('createOpaGate', () => {
  let opa: Awaited<ReturnType<typeof startOpa>>;
  beforeEach(async () => {
    opa = await startOpa();
  });
  afterEach(async () => {
    await opa.close();
  });

  const gate = (options: { packagePath?: string; timeoutMs?: number } = {}) =>
    createOpaGate({
      baseUrl: opa.baseUrl,
      packagePath: 'microapps/gates/deny',
      ...options,
    });

  it('POSTs the policy input document to the Data API of the package', async () => {
    let request: {
      method?: string;
      url?: string;
      type?: string;
      body?: unknown;
    } = {};
    opa.answer((req, body, res) => {
      request = {
        method: req.method,
        url: req.url,
        type: req.headers['content-type'],
        body: JSON.parse(body),
      };
      res.end('{"result": []}');
    });
    const opaGate = gate();
    expect(opaGate.id).toBe('policy:opa/microapps/gates/deny');
    expect(opaGate.after).toContain('sbom');
    await opaGate.evaluate(input, createTestGateContext());
    expect(request).toEqual({
      method: 'POST',
      url: '/v1/data/microapps/gates/deny',
      type: 'application/json',
      body: { input: buildPolicyInput(input) },
    });
  });

  it('passes on an empty set of violations', async () => {
    opa.json(200, { result: [], decision_id: 'd1' });
    await expect(
      gate().evaluate(input, createTestGateContext()),
    ).resolves.toEqual({
      status: 'pass',
      findings: [],
      summary: 'no violations',
    });
  });

  it('fails with one finding per violation, strings and objects', async () => {
    opa.json(200, {
      result: [
        'restricted data needs S1 or S2',
        {
          id: 'eu-only',
          msg: 'EU data goes to a US dependency',
          severity: 'critical',
        },
        { message: 'no runbook', severity: 'LOW' },
        {
          id: 'eu-only',
          msg: 'a second one with the same id',
          severity: 'urgent',
        },
      ],
    });
    const result = await gate().evaluate(input, createTestGateContext());
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('4 violations');
    expect(result.findings).toEqual([
      {
        id: expect.stringMatching(/^opa-[0-9a-f]{12}$/),
        severity: 'high',
        message: 'restricted data needs S1 or S2',
        location: 'opa:microapps/gates/deny',
      },
      {
        id: 'eu-only',
        severity: 'critical',
        message: 'EU data goes to a US dependency',
        location: 'opa:microapps/gates/deny',
      },
      {
        id: expect.stringMatching(/^opa-[0-9a-f]{12}$/),
        severity: 'low',
        message: 'no runbook',
        location: 'opa:microapps/gates/deny',
      },
      {
        id: 'eu-only#2',
        severity: 'high',
        message: 'a second one with the same id',
        location: 'opa:microapps/gates/deny',
      },
    ]);
  });

  it('gives a violation without id the same id whatever its position', async () => {
    opa.json(200, { result: ['a', 'b'] });
    const first = await gate().evaluate(input, createTestGateContext());
    opa.json(200, { result: ['c', 'b', 'a'] });
    const second = await gate().evaluate(input, createTestGateContext());
    const idOf = (findings: typeof first.findings, message: string) =>
      findings.find(f => f.message === message)?.id;
    expect(idOf(second.findings, 'a')).toBe(idOf(first.findings, 'a'));
    expect(idOf(second.findings, 'b')).toBe(idOf(first.findings, 'b'));
    expect(idOf(first.findings, 'a')).not.toBe(idOf(first.findings, 'b'));
  });

  it('reports error when the package is undefined ({} from OPA)', async () => {
    opa.json(200, {});
    await expect(
      gate().evaluate(input, createTestGateContext()),
    ).resolves.toEqual({
      status: 'error',
      findings: [],
      error: `OPA package microapps/gates/deny is undefined: OPA has no rule or data at ${opa.baseUrl}/v1/data/microapps/gates/deny`,
    });
  });

  it('reports error when the result is not a set of violations', async () => {
    opa.json(200, { result: { deny: [] } });
    const result = await gate({ packagePath: 'microapps/gates' }).evaluate(
      input,
      createTestGateContext(),
    );
    expect(result.status).toBe('error');
    expect(result.error).toMatch(
      /^OPA package microapps\/gates: the result is object, not a set/,
    );
  });

  it('reports error with OPA’s message on an HTTP error', async () => {
    opa.json(500, {
      code: 'internal_error',
      message:
        'eval_conflict_error: complete rules must not produce multiple outputs',
    });
    await expect(
      gate().evaluate(input, createTestGateContext()),
    ).resolves.toEqual({
      status: 'error',
      findings: [],
      error:
        'OPA package microapps/gates/deny: OPA answered HTTP 500: eval_conflict_error: complete rules must not produce multiple outputs',
    });
    opa.answer((_req, _body, res) => {
      res.writeHead(502);
      res.end('Bad Gateway');
    });
    expect((await gate().evaluate(input, createTestGateContext())).error).toBe(
      'OPA package microapps/gates/deny: OPA answered HTTP 502: Bad Gateway',
    );
  });

  it('reports error on a body that is not JSON', async () => {
    opa.answer((_req, _body, res) => res.end('<html>proxy login</html>'));
    const result = await gate().evaluate(input, createTestGateContext());
    expect(result.status).toBe('error');
    expect(result.error).toBe(
      'OPA package microapps/gates/deny: OPA answered with a body that is not a JSON object: <html>proxy login</html>',
    );
  });

  it('reports error when OPA does not answer in time', async () => {
    opa.answer(() => {
      // never answers
    });
    const started = Date.now();
    const result = await gate({ timeoutMs: 200 }).evaluate(
      input,
      createTestGateContext(),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toEqual({
      status: 'error',
      findings: [],
      error: `OPA package microapps/gates/deny: OPA at ${opa.baseUrl}/v1/data/microapps/gates/deny did not answer within 200 ms`,
    });
  });

  it('reports error when the run is aborted', async () => {
    opa.answer(() => {
      // never answers
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await gate().evaluate(
      input,
      createTestGateContext({ signal: controller.signal }),
    );
    expect(result.error).toBe(
      'OPA package microapps/gates/deny: the evaluation was aborted',
    );
  });

  it('reports error when OPA cannot be reached', async () => {
    const { baseUrl } = opa;
    await opa.close();
    const result = await createOpaGate({
      baseUrl,
      packagePath: 'microapps/gates/deny',
    }).evaluate(input, createTestGateContext());
    expect(result.status).toBe('error');
    expect(result.error).toBe(
      `OPA package microapps/gates/deny: OPA at ${baseUrl}/v1/data/microapps/gates/deny could not be reached: connect ECONNREFUSED ${baseUrl.replace(
        'http://',
        '',
      )}`,
    );
    opa = await startOpa(); // for afterEach
  });

  it('keeps a path prefix of baseUrl', async () => {
    let url: string | undefined;
    opa.answer((req, _body, res) => {
      url = req.url;
      res.end('{"result": []}');
    });
    await createOpaGate({
      baseUrl: `${opa.baseUrl}/opa`,
      packagePath: '/microapps/gates/deny/',
    }).evaluate(input, createTestGateContext());
    expect(url).toBe('/opa/v1/data/microapps/gates/deny');
  });

  it('refuses bad configuration with an InputError', () => {
    const make =
      (options: Partial<Parameters<typeof createOpaGate>[0]>) => () =>
        createOpaGate({
          baseUrl: 'http://localhost:8181',
          packagePath: 'microapps/deny',
          ...options,
        });
    expect(make({ packagePath: 'microapps.gates.deny' })).toThrow(InputError);
    expect(make({ packagePath: 'a/../b' })).toThrow(
      /must be Rego identifiers separated by slashes/,
    );
    expect(make({ baseUrl: 'localhost:8181' })).toThrow(
      /must be an http or https URL/,
    );
    expect(make({ baseUrl: 'not a url' })).toThrow(InputError);
    expect(make({ timeoutMs: 0 })).toThrow(InputError);
    expect(make({})().id).toBe('policy:opa/microapps/deny');
  });
});
