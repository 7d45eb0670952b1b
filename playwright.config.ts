import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  APP_URL as appUrl,
  BACKEND_PORT as backendPort,
  BACKEND_URL as backendUrl,
} from './packages/app/e2e-tests/portal';
import { chromiumLaunchOptions } from './scripts/chromium';

// The end-to-end run starts the real portal with the README's first command
// (./scripts/start.sh) on its own ports and a fresh SQLite folder, so it neither needs nor
// disturbs a portal you may have running on 3000/7007. Chromium is Debian's (see README).
// a fresh SQLite folder per run, removed afterwards (teardown.ts)
const dataDir = (process.env.E2E_DATA_DIR ??= fs.mkdtempSync(
  path.join(os.tmpdir(), 'microapps-e2e-'),
));

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  // one scenario, step after step, against one portal
  workers: 1,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: 'node_modules/.cache/e2e-test-results',
  globalTeardown: './packages/app/e2e-tests/teardown.ts',

  webServer: {
    command: 'bash scripts/start.sh',
    url: `${backendUrl}/.backstage/health/v1/readiness`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: process.env.E2E_PORTAL_LOG ? 'pipe' : 'ignore',
    stderr: 'pipe',
    env: {
      APP_CONFIG_app_baseUrl: appUrl,
      APP_CONFIG_backend_baseUrl: backendUrl,
      APP_CONFIG_backend_listen_port: String(backendPort),
      APP_CONFIG_backend_cors_origin: appUrl,
      APP_CONFIG_backend_database_connection_directory: dataDir,
      // gates see the templates sooner on a fresh catalog
      APP_CONFIG_catalog_processingInterval: JSON.stringify({ seconds: 10 }),
      // apps made from the templates are published next to the database, and go with it
      APP_CONFIG_marketplace_scaffolder_localPublish_directory: path.join(
        dataDir,
        'published',
      ),
      BROWSER: 'none',
    },
  },

  use: {
    baseURL: appUrl,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 30_000,
    navigationTimeout: 120_000,
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
});
