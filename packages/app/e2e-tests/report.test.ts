import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  apiAs,
  BACKEND_URL,
  seriousA11yViolations,
  shot,
  signIn,
  waitForPortal,
} from './portal';

// Cost and support in the demo portal: the FOCUS export of examples/costs is imported after
// startup, a budget reviewer reads the chargeback report, a monitoring service posts metrics
// with the demo's static token, and the app's support card shows what they add up to.
test.describe.configure({ mode: 'serial' });

const MONTH = '2026-11';
const OUR_PAGE = { exclude: [['nav[aria-label="sidebar nav"]']] };

test('the budget reviewer reads the chargeback report and downloads its CSV', async ({
  browser,
  request,
}) => {
  test.setTimeout(600_000);
  await waitForPortal(request);
  const bea = await apiAs(request, 'bea');
  // the cost import runs 15 s after startup
  await expect
    .poll(
      async () => {
        const res = await bea.get(`/reports/chargeback?month=${MONTH}`);
        return res.ok() ? (await res.json()).totals.actual : res.status();
      },
      { timeout: 120_000, intervals: [2_000] },
    )
    .toBeGreaterThan(0);
  const report = await (
    await bea.get(`/reports/chargeback?month=${MONTH}`)
  ).json();

  const page = await signIn(browser, 'bea');
  await page.getByRole('link', { name: 'Chargeback', exact: true }).click();
  await expect(
    page.getByRole('heading', { name: 'Chargeback', exact: true }),
  ).toBeVisible();
  await page.getByLabel('Month').waitFor();
  // the page opens on the last full month; the example export ends in November 2026
  await page.goto(`/marketplace/reports/chargeback?month=${MONTH}`);
  await expect(page.getByTestId('chargeback-chart')).toBeVisible();
  // the cost centre table repeats the chart's numbers; the biggest overspend comes first
  const centres = page.getByRole('table', { name: 'Cost centres' });
  await expect(centres).toBeVisible();
  const first = report.byCostCenter[0];
  await expect(centres.getByRole('row').nth(1)).toContainText(first.key);
  // each app links to its Governance tab
  const app = report.apps[0];
  await expect(
    page
      .getByRole('table', { name: 'Apps' })
      .getByRole('link', { name: app.title }),
  ).toHaveAttribute(
    'href',
    new RegExp(`${app.entityRef.split('/')[1]}/governance`),
  );
  expect(await seriousA11yViolations(page, OUR_PAGE)).toEqual([]);
  await shot(page, '22-chargeback-report');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`chargeback-${MONTH}.csv`);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  // a BOM for spreadsheets, then the header row
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv.slice(1).split('\r\n')[0]).toMatch(
    /^group,key,title,apps,forecast,actual,variance/,
  );
  expect(csv).toContain(`TOTAL`);
  await page.context().close();
});

test('a citizen developer has no chargeback link, and the page says why', async ({
  browser,
  request,
}) => {
  const casey = await apiAs(request, 'casey');
  expect((await casey.get(`/reports/chargeback?month=${MONTH}`)).status()).toBe(
    403,
  );
  const page = await signIn(browser, 'casey');
  await expect(
    page.getByRole('link', { name: 'Marketplace', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Chargeback', exact: true }),
  ).toHaveCount(0);
  await page.goto('/marketplace/reports/chargeback');
  await expect(page.getByText('You need the report permission')).toBeVisible();
  await page.context().close();
});

test('metrics posted with the static token show on the support card', async ({
  browser,
  request,
}) => {
  const body = JSON.parse(
    fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../examples/metrics/mail-relay-monitor.json',
      ),
      'utf8',
    ),
  );
  const res = await request.post(
    `${BACKEND_URL}/api/marketplace/apps/default/mail-relay-monitor/metrics`,
    {
      headers: { authorization: 'Bearer demo-metrics-feeder-token' },
      data: body,
    },
  );
  expect([res.status(), await res.json()]).toEqual([
    200,
    { samples: 111, incidents: 3 },
  ]);
  const page = await signIn(browser, 'ada');
  await page.goto('/catalog/default/microapp/mail-relay-monitor');
  const card = page
    .locator('article, .MuiCard-root')
    .filter({ has: page.getByText('Support', { exact: true }) })
    .first();
  // the README's figures: uptime 109 of 111 samples, MTTA (27 + 102 + 18) / 3 = 49 min
  await expect(card).toContainText('98.198');
  await expect(card).toContainText('49 min');
  await expect(card).toContainText(/1 breach/);
  await shot(page, '23-support-card-with-metrics');
  await page.context().close();
});
