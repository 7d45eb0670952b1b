#!/usr/bin/env node
// The adoption test's look at the generated app's frontend, as the guest, in Chromium:
//   node assert-ui.mjs <backend baseUrl, which serves the built app> <screenshot folder>
// The sidebar has the marketplace's items but not Chargeback (docs/install.md's sidebar step),
// the Marketplace page lists the guest's app only, and its entity page has the Governance tab.
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../chromium.js';

const [baseUrl, shots] = process.argv.slice(2);
const fail = msg => {
  console.error(`[adoption] FAIL ${msg}`);
  process.exit(1);
};
const log = msg => console.log(`[adoption ui] ${msg}`);

const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(30_000);
const step = async (what, fn) => {
  try {
    await fn();
  } catch (error) {
    await page.screenshot({ path: `${shots}/ui-failed.png`, fullPage: true });
    await browser.close();
    fail(
      `${what}: ${
        error.message.split('\n')[0]
      } (screenshot ${shots}/ui-failed.png)`,
    );
  }
};

await step('sign in as the guest', async () => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('link', { name: 'Marketplace' }).waitFor();
});
const sidebar = page.locator('nav');
await step(
  'the sidebar shows Marketplace and Review queue, not Chargeback',
  async () => {
    await sidebar.getByRole('link', { name: 'Review queue' }).waitFor();
    if (
      (await sidebar.getByRole('link', { name: 'Chargeback' }).count()) !== 0
    ) {
      throw new Error('the guest sees the Chargeback item');
    }
  },
);
log(
  'PASS the sidebar has Marketplace and Review queue, and no Chargeback for the guest',
);

await step('the Marketplace page lists the guest app only', async () => {
  await sidebar.getByRole('link', { name: 'Marketplace' }).click();
  await page.getByRole('heading', { name: 'Micro App Marketplace' }).waitFor();
  await page.getByRole('link', { name: 'Guest Notes' }).waitFor();
  if ((await page.getByText('Hidden Ledger').count()) !== 0) {
    throw new Error('the guest sees Hidden Ledger');
  }
});
await page.screenshot({ path: `${shots}/ui-marketplace.png`, fullPage: true });
log('PASS the Marketplace page lists Guest Notes and not Hidden Ledger');

await step("the app's Governance tab shows its gates", async () => {
  await page.getByRole('link', { name: 'Guest Notes' }).click();
  await page
    .getByRole('link', { name: 'Governance', exact: true })
    .first()
    .click();
  // the sbom gate's summary of docs/install.md's minimal SBOM
  await page.getByText('CycloneDX 1.5, 1 component').waitFor();
});
await page.screenshot({ path: `${shots}/ui-governance.png`, fullPage: true });
log(`PASS Guest Notes' Governance tab shows its gate results (${page.url()})`);
await browser.close();
