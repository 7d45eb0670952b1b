#!/usr/bin/env node
// Takes a screenshot of a page of the running portal in headless Chromium (Debian's
// /usr/bin/chromium, or CHROMIUM_PATH), signing in as a demo persona when the sign-in page
// shows (PERSONA, the card's title; Guest by default).
// Usage: [PERSONA="Sam Security"] node scripts/screenshot.js <url> <out.png> [text to wait for]
const { chromium } = require('playwright-core');
const { chromiumLaunchOptions } = require('./chromium');

async function main() {
  const [url, out, waitForText] = process.argv.slice(2);
  if (!url || !out) {
    throw new Error('usage: screenshot.js <url> <out.png> [text to wait for]');
  }
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
    });
    await page.goto(url);
    const persona = process.env.PERSONA ?? 'Guest';
    const signIn = page.getByRole('button', { name: `Sign in as ${persona}` });
    const asked = await signIn
      .waitFor({ timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    if (asked) {
      await signIn.click();
    }
    if (waitForText) {
      await page.getByText(waitForText).first().waitFor({ timeout: 60_000 });
    }
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
