// How Chromium is launched here, shared by the e2e tests (playwright.config.ts) and
// scripts/screenshot.js: Debian's binary (or CHROMIUM_PATH) with the flags this machine's
// closed network needs (see README, Tests).
function chromiumLaunchOptions() {
  return {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}

module.exports = { chromiumLaunchOptions };
