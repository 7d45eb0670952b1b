/* eslint-disable no-console */
// The OPA server and the advisory feed go away under a running backend (real catalog, our
// catalog module with its OPA gate and the vulnerabilities gate reading an OSV zip over
// HTTP, the marketplace plugin). Real local HTTP servers play OPA and the feed:
//
// 1. both up: the gates run, the feed is loaded (an app with known vulnerabilities fails
//    with findings), OPA answers (its gate passes);
//    what is checked is what the marketplace shows (GET /apps/{ns}/{name}/gates), i.e. the
//    runs the catalog module evaluated and sent;
// 2. both stopped, feed refresh triggered, apps re-evaluated: the vulnerabilities gate keeps
//    the last good feed (the same findings), the OPA gate reports `error`, never `pass`, and
//    no run passes on an error that is enforced;
// 3. the feed serves a truncated zip and OPA answers garbage: the same;
// 4. both healthy again: OPA passes again (the outage left nothing behind).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { REPO } from '../src/__testUtils__/testBackend';
import { writeExampleApps } from './faultApps';
import { startFaultBackend, type FaultBackend } from './faultBackend';
import {
  check,
  faultTmpDir,
  figure,
  freePort,
  runFaults,
  sleep,
  waitFor,
} from './faultUtils';

const OPA_PATH = 'microapps/gates/deny';
const OPA_GATE = `policy:opa/${OPA_PATH}`;
/** A clean SBOM, requesting Vetted: an OPA error there blocks, so the run's status changes. */
const CLEAN = 'fault-clean';
/** Known vulnerabilities, requesting Vetted: blocked by the vulnerabilities gate. */
const VULNERABLE = 'fault-vulnerable';

type Mode = 'up' | 'down' | 'garbage';

/** A local HTTP server that can be stopped, restarted on its port, and made to misbehave. */
class FakeServer {
  mode: Mode = 'up';
  requests = 0;
  private server?: http.Server;

  constructor(
    readonly port: number,
    private readonly answer: (
      mode: Mode,
      req: http.IncomingMessage,
      res: http.ServerResponse,
    ) => void,
  ) {}

  async start(mode: Mode) {
    this.mode = mode;
    if (this.server) return;
    this.server = http.createServer((req, res) => {
      this.requests += 1;
      req.resume();
      req.on('end', () => this.answer(this.mode, req, res));
    });
    await new Promise<void>(resolve =>
      this.server!.listen(this.port, '127.0.0.1', resolve),
    );
  }

  /** Stops listening and drops kept-alive connections: the next request is refused. */
  async stop() {
    this.mode = 'down';
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
}

/** The examples' OSV advisories as one zip, as OSV publishes per ecosystem. */
function advisoriesZip(dir: string): Buffer {
  const zip = path.join(dir, 'osv.zip');
  const sources = path.join(REPO, 'examples/advisories');
  const files = fs
    .readdirSync(sources)
    .filter(f => f.endsWith('.json'))
    .map(f => path.join(sources, f));
  execFileSync('zip', ['-q', '-j', zip, ...files]);
  return fs.readFileSync(zip);
}

type Observation = {
  app: string;
  /** No run was stored since the fault began: this is the one from before. */
  stale?: boolean;
  evaluatedAt: number;
  status: string;
  opa: { status: string; enforcement: string; error?: string };
  vulnerabilities: { status: string; findings: string[] };
};

async function observe(
  backend: FaultBackend,
  app: string,
): Promise<Observation | undefined> {
  const res = await backend.get('ada', `/apps/default/${app}/gates`);
  if (res.status !== 200 || !res.body.results) return undefined;
  const result = (id: string) =>
    res.body.results.find((r: any) => r.gateId === id);
  const opa = result(OPA_GATE);
  const vulnerabilities = result('vulnerabilities');
  if (!opa || !vulnerabilities) return undefined;
  return {
    app,
    evaluatedAt: Date.parse(res.body.evaluatedAt),
    status: res.body.status,
    opa: { status: opa.status, enforcement: opa.enforcement, error: opa.error },
    vulnerabilities: {
      status: vulnerabilities.status,
      findings: vulnerabilities.findings.map((f: any) => f.id).sort(),
    },
  };
}

/**
 * What the marketplace shows for both apps over `windowMs` (several re-processing cycles of
 * the catalog, every 2 s): every run evaluated after `since`, or the app's latest run when
 * none was stored since (the catalog re-sends an unchanged run only hourly).
 */
async function shownAfter(
  backend: FaultBackend,
  since: number,
  marginMs = 1000,
  windowMs = 15_000,
): Promise<Observation[]> {
  const seen = new Map<string, Observation>();
  const latest = new Map<string, Observation>();
  for (const end = Date.now() + windowMs; Date.now() < end; await sleep(300)) {
    for (const app of [CLEAN, VULNERABLE]) {
      const o = await observe(backend, app);
      if (!o) continue;
      latest.set(app, o);
      // a run finishing this long after `since` began after it: OPA answers in ms
      if (o.evaluatedAt > since + marginMs) {
        seen.set(`${app}@${o.evaluatedAt}`, o);
      }
    }
  }
  return [CLEAN, VULNERABLE].flatMap(app => {
    const fresh = [...seen.values()].filter(o => o.app === app);
    return fresh.length ? fresh : [{ ...latest.get(app)!, stale: true }];
  });
}

function checkOutage(
  label: string,
  observations: Observation[],
  baseline: Map<string, Observation>,
) {
  for (const app of [CLEAN, VULNERABLE]) {
    const mine = observations.filter(o => o.app === app);
    figure(
      `${label}: runs of ${app} stored since`,
      mine[0]?.stale ? 0 : mine.length,
    );
    check(
      `${label}: the OPA gate of ${app} is shown as error, never pass`,
      mine.every(o => o.opa.status === 'error' && !!o.opa.error),
      mine.map(o => ({ status: o.status, stale: !!o.stale, opa: o.opa })),
    );
  }
  check(
    `${label}: the vulnerabilities gate keeps the last good feed (same status and findings)`,
    observations.every(
      o =>
        JSON.stringify(o.vulnerabilities) ===
        JSON.stringify(baseline.get(o.app)!.vulnerabilities),
    ),
    observations.map(o => [o.app, o.vulnerabilities]),
  );
  check(
    `${label}: no run passes while an enforced gate errs`,
    observations.every(o => o.opa.enforcement === 'off' || o.status !== 'pass'),
    observations.map(o => [o.app, o.status, o.opa.enforcement]),
  );
}

runFaults('OPA and advisory feed outage', async () => {
  const tmp = faultTmpDir('mp-faults-gates-');
  const zip = advisoriesZip(tmp);
  const feed = new FakeServer(await freePort(), (mode, _req, res) => {
    // garbage: the zip cut in half, as a dropped download would leave it
    const body = mode === 'garbage' ? zip.subarray(0, zip.length / 2) : zip;
    res.writeHead(200, { 'content-type': 'application/zip' }).end(body);
  });
  const opa = new FakeServer(await freePort(), (mode, req, res) => {
    if (req.method !== 'POST' || req.url !== `/v1/data/${OPA_PATH}`) {
      res.writeHead(404).end('{"code":"not_found","message":"no route"}');
    } else if (mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy');
    } else {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"result":[]}');
    }
  });
  let backend: FaultBackend | undefined;
  try {
    await feed.start('up');
    await opa.start('up');
    const clean = path.join(tmp, 'clean');
    const vulnerable = path.join(tmp, 'vulnerable');
    fs.mkdirSync(clean);
    fs.mkdirSync(vulnerable);
    backend = await startFaultBackend({
      locations: [
        writeExampleApps({
          dir: clean,
          example: 'status-page',
          names: [CLEAN],
          change: app => {
            app.spec.tier = 'vetted';
          },
        }),
        writeExampleApps({
          dir: vulnerable,
          example: 'team-dinner-splitter',
          names: [VULNERABLE],
          change: app => {
            app.spec.tier = 'vetted';
          },
        }),
      ],
      backend: {
        reading: {
          allow: [{ host: `127.0.0.1:${feed.port}` }],
        },
      },
      marketplace: {
        reading: { allowInternalTargets: true },
        gates: {
          vulnerabilities: {
            feed: `http://127.0.0.1:${feed.port}/osv/all.zip`,
            blockSeverity: 'high',
          },
        },
        policy: {
          packs: [path.join(REPO, 'examples/policies/governance.yaml')],
          opa: {
            baseUrl: `http://127.0.0.1:${opa.port}`,
            packagePath: OPA_PATH,
            timeoutMs: 1000,
          },
        },
      },
    });
    const started = backend;
    const refresh = () =>
      started.scheduler.triggerTask('marketplace-advisory-feed-refresh');

    console.log('-- both up');
    const baseline = new Map<string, Observation>();
    for (const app of [CLEAN, VULNERABLE]) {
      baseline.set(
        app,
        await waitFor(`${app} evaluated with OPA answering`, async () => {
          const o = await observe(started, app);
          return o?.opa.status === 'pass' ? o : undefined;
        }),
      );
    }
    // the first runs change while templates and tiers arrive; the catalog module sends a
    // run only when its inputs or status change: wait until nothing is sent any more
    let last = '';
    let quietSince = Date.now();
    await waitFor(
      'the stored runs to settle',
      async () => {
        const now = await Promise.all(
          [CLEAN, VULNERABLE].map(app => observe(started, app)),
        );
        const stamp = JSON.stringify(now.map(o => o?.evaluatedAt));
        if (stamp !== last) {
          last = stamp;
          quietSince = Date.now();
          for (const o of now) if (o) baseline.set(o.app, o);
        }
        return Date.now() - quietSince > 8000 ? true : undefined;
      },
      120_000,
      500,
    );
    check(
      'OPA answers for both apps before the outage',
      [...baseline.values()].every(o => o.opa.status === 'pass'),
      [...baseline.values()].map(o => o.opa),
    );
    const known = baseline.get(VULNERABLE)!.vulnerabilities;
    figure('feed requests', feed.requests);
    figure('OPA requests', opa.requests);
    figure('findings of the vulnerable app', known.findings.length);
    check(
      'the feed was read over HTTP and finds the known vulnerabilities',
      feed.requests > 0 && known.status === 'fail' && known.findings.length > 0,
      known,
    );
    console.log('-- both down');
    await feed.stop();
    await opa.stop();
    let since = Date.now();
    await refresh();
    checkOutage('down', await shownAfter(started, since), baseline);
    const label = (await started.entity('ada', 'microapp', CLEAN))?.metadata
      ?.labels?.['microapps.dev/gate-status'];
    figure('gate-status label of the clean app while OPA is down', label);

    console.log('-- truncated feed, OPA answering garbage');
    const feedRequests = feed.requests;
    await feed.start('garbage');
    await opa.start('garbage');
    since = Date.now();
    await refresh();
    check(
      'the refresh read the truncated feed',
      feed.requests > feedRequests,
      feed.requests,
    );
    checkOutage('garbage', await shownAfter(started, since), baseline);

    console.log('-- both healthy again');
    feed.mode = 'up';
    opa.mode = 'up';
    since = Date.now();
    await refresh();
    const opaRequests = opa.requests;
    // the newest run of each app stored since: one begun before may still carry the error
    const shown = await shownAfter(started, since, 0);
    const healed = [CLEAN, VULNERABLE]
      .map(app => shown.filter(o => o.app === app && !o.stale).pop())
      .filter((o): o is Observation => !!o);
    figure('OPA requests after healing', opa.requests - opaRequests);
    figure('runs stored after healing', healed.length);
    check(
      'OPA passes again in the newest runs stored since, with the findings of the first load',
      healed.length > 0 &&
        healed.every(
          o =>
            o.opa.status === 'pass' &&
            JSON.stringify(o.vulnerabilities) ===
              JSON.stringify(baseline.get(o.app)!.vulnerabilities),
        ),
      shown,
    );
  } finally {
    await backend?.stop().catch(() => {});
    await feed.stop();
    await opa.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
