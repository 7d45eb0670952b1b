#!/usr/bin/env node
// The adoption test's checks against the generated app's running backend:
//   node assert-backend.mjs <baseUrl> <static token>
// Each check prints PASS with what it saw; the first failure exits 1 with what it got.

const [baseUrl, staticToken] = process.argv.slice(2);
const started = Date.now();
const log = msg =>
  console.log(
    `[adoption backend ${Math.round((Date.now() - started) / 1000)}s] ${msg}`,
  );
const fail = msg => {
  console.error(`[adoption] FAIL ${msg}`);
  process.exit(1);
};
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function call(path, token, init = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...init.headers,
    },
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** Polls `fn` until it returns a value, or fails with the last thing it saw. */
async function waitFor(what, fn, seconds) {
  let last;
  for (const end = Date.now() + seconds * 1000; Date.now() < end; ) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error.message;
    }
    await sleep(2000);
  }
  return fail(`${what} within ${seconds} s (last: ${last ?? 'no answer'})`);
}

await waitFor(
  'the backend to become ready',
  async () => (await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).ok,
  240,
);
log('backend ready');

// 1. The MicroApps of the file location are ingested, with the labels the processor sets
const entityPath = name =>
  `/api/catalog/entities/by-name/microapp/default/${name}`;
for (const name of ['hidden-ledger', 'guest-notes']) {
  const entity = await waitFor(
    `microapp:default/${name} to be ingested with its gate-status label`,
    async () => {
      const { status, body } = await call(entityPath(name), staticToken);
      if (status !== 200) throw new Error(`catalog answered ${status}`);
      if (!body.metadata.labels?.['microapps.dev/gate-status']) {
        throw new Error(
          `labels so far: ${JSON.stringify(body.metadata.labels)}`,
        );
      }
      return body;
    },
    180,
  );
  const labels = entity.metadata.labels;
  if (labels['microapps.dev/tier'] !== 'discover') {
    fail(
      `${name}: tier label ${labels['microapps.dev/tier']}, expected discover`,
    );
  }
  log(
    `PASS MicroApp ${name} ingested from a file location, labels ${JSON.stringify(
      labels,
    )}`,
  );
}

// 2. The marketplace API answers, and 3. the catalog's gate run is stored there
const list = await call('/api/marketplace/apps?tier=discover', staticToken);
const names = list.body?.items?.map(a => a.name) ?? [];
if (
  list.status !== 200 ||
  !names.includes('hidden-ledger') ||
  !names.includes('guest-notes')
) {
  fail(
    `GET /api/marketplace/apps as a service: ${list.status} ${JSON.stringify(
      list.body,
    )}`,
  );
}
log(`PASS GET /api/marketplace/apps answers 200 with ${names.join(', ')}`);

/** The app's latest gate run, once the catalog has stored one. */
const storedGateRun = name =>
  waitFor(
    `a stored gate run for ${name}`,
    async () => {
      const { status, body } = await call(
        `/api/marketplace/apps/default/${name}/gates`,
        staticToken,
      );
      if (status !== 200) throw new Error(`${status} ${JSON.stringify(body)}`);
      return body.evaluatedAt && body.results.length > 0 ? body : undefined;
    },
    120,
  );

const gates = await storedGateRun('hidden-ledger');
log(
  `PASS gate run stored at ${gates.evaluatedAt}: ${
    gates.status
  }, ${gates.results.map(r => `${r.gateId}=${r.status}`).join(' ')}`,
);

// docs/install.md's first micro app: its minimal SBOM is read and its licenses pass
const first = await storedGateRun('guest-notes');
// what docs/install.md says a fresh install shows: these pass, the rest warn or error
const gateStatus = id => first.results.find(r => r.gateId === id)?.status;
const passing = ['metadata', 'sbom', 'licenses', 'privileges'];
if (passing.some(id => gateStatus(id) !== 'pass') || first.status !== 'warn') {
  fail(
    `guest-notes (the doc's first app): ${first.status} ${JSON.stringify(
      first.results,
    )}`,
  );
}
log(`PASS the doc's first micro app: ${passing.join(', ')} pass, overall warn`);

// 4. The marketplace's permission policy is the active one (allow-all would show everything)
const refresh = await call('/api/auth/guest/refresh', undefined, {
  headers: { 'x-requested-with': 'XMLHttpRequest' },
});
const guestToken = refresh.body?.backstageIdentity?.token;
if (!guestToken)
  fail(`guest sign-in: ${refresh.status} ${JSON.stringify(refresh.body)}`);
const guest = refresh.body.backstageIdentity.identity;
log(
  `signed in as ${guest.userEntityRef} (${guest.ownershipEntityRefs.join(
    ', ',
  )})`,
);

const hidden = await call(entityPath('hidden-ledger'), guestToken);
if (hidden.status !== 404) {
  fail(
    `the guest reads hidden-ledger from the catalog: ${hidden.status}, expected 404`,
  );
}
const guestList = await call('/api/marketplace/apps?tier=discover', guestToken);
const guestNames = guestList.body?.items?.map(a => a.name) ?? [];
if (guestList.status !== 200 || guestNames.includes('hidden-ledger')) {
  fail(
    `GET /api/marketplace/apps as the guest: ${
      guestList.status
    } ${JSON.stringify(guestNames)}`,
  );
}
// guest-notes is owned by the guest (fixtures/microapps), so the policy shows it to them
if (!guestNames.includes('guest-notes')) {
  fail(
    `the guest does not see their own app guest-notes: ${JSON.stringify(
      guestNames,
    )}`,
  );
}
const report = await call(
  '/api/marketplace/reports/chargeback?month=2026-11',
  guestToken,
);
if (report.status !== 403) {
  fail(`the guest reads the chargeback report: ${report.status}, expected 403`);
}
log(
  `PASS permission policy active: the guest gets 404 for hidden-ledger, sees [${guestNames.join(
    ', ',
  )}] in /apps (a service sees both), and 403 for the chargeback report`,
);
