import { APIRequestContext, Browser, expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** Where the e2e run starts the portal (see playwright.config.ts). */
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const BACKEND_PORT = Number(process.env.E2E_BACKEND_PORT ?? 7107);
export const APP_URL = `http://localhost:${APP_PORT}`;
export const BACKEND_URL = `http://localhost:${BACKEND_PORT}`;

/** The demo personas of app-config.yaml, by their card titles. */
export const PERSONAS = {
  casey: { ref: 'user:default/casey', title: 'Casey Citizen' },
  sam: { ref: 'user:default/sam', title: 'Sam Security' },
  cora: { ref: 'user:default/cora', title: 'Cora Compliance' },
  bea: { ref: 'user:default/bea', title: 'Bea Budget' },
  ada: { ref: 'user:default/ada', title: 'Ada Admin' },
} as const;
export type Persona = keyof typeof PERSONAS;

const REPO = path.resolve(__dirname, '../../..');
// committed screenshots are refreshed only when asked for, so a test run leaves git clean
const SHOTS = process.env.E2E_UPDATE_SCREENSHOTS
  ? path.join(REPO, 'docs/screenshots/e2e')
  : path.join(REPO, 'node_modules/.cache/e2e-screenshots');

/**
 * Opens a fresh browser context and signs in as the persona on the sign-in page; with
 * `pickerShot`, the sign-in page is saved under that name first.
 */
export async function signIn(
  browser: Browser,
  persona: Persona,
  pickerShot?: string,
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  const button = page.getByRole('button', {
    name: `Sign in as ${PERSONAS[persona].title}`,
  });
  await button.waitFor();
  if (pickerShot) await shot(page, pickerShot);
  await button.click();
  await expect(
    page.getByRole('link', { name: 'Marketplace', exact: true }),
  ).toBeVisible({ timeout: 60_000 });
  return page;
}

/** A Backstage token for the persona, from the backend's demo provider. */
export async function tokenOf(request: APIRequestContext, persona: Persona) {
  const res = await request.get(`${BACKEND_URL}/api/auth/demo/refresh`, {
    headers: { 'x-demo-persona': PERSONAS[persona].ref },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).backstageIdentity.token as string;
}

/** The marketplace API as the persona. */
export async function apiAs(request: APIRequestContext, persona: Persona) {
  const headers = {
    authorization: `Bearer ${await tokenOf(request, persona)}`,
  };
  const url = (p: string) => `${BACKEND_URL}/api/marketplace${p}`;
  return {
    get: (p: string) => request.get(url(p), { headers }),
    post: (p: string, data: unknown) => request.post(url(p), { headers, data }),
  };
}

/**
 * Waits until the portal serves its frontend (Playwright waited for the backend; the
 * frontend may still be compiling) and the personas can sign in (the catalog has ingested
 * examples/org.yaml); returns the marketplace API as Casey. Give the test 10 minutes.
 */
export async function waitForPortal(request: APIRequestContext) {
  await expect
    .poll(
      async () =>
        (await request.get(APP_URL).catch(() => undefined))?.status() ?? 0,
      { timeout: 420_000, intervals: [2_000] },
    )
    .toBe(200);
  let casey: Awaited<ReturnType<typeof apiAs>> | undefined;
  await expect
    .poll(
      async () => {
        casey = await apiAs(request, 'casey').catch(() => undefined);
        return !!casey;
      },
      { timeout: 120_000, intervals: [2_000] },
    )
    .toBe(true);
  return casey!;
}

/** Saves a full-page screenshot of a step (see SHOTS). */
export async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForLoadState('networkidle');
  await page.screenshot({
    path: path.join(SHOTS, `${name}.png`),
    fullPage: true,
  });
}

/**
 * Runs axe-core in the page; returns the serious and critical violations. `context` picks
 * what is checked (axe's include/exclude), by default the whole document.
 */
export async function seriousA11yViolations(
  page: Page,
  context: { include?: string[][]; exclude?: string[][] } = {},
) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations: Array<{
    id: string;
    impact: string;
    help: string;
    nodes: Array<{ target: string[]; html: string }>;
  }> = await page.evaluate(async scope => {
    const axe = (window as any).axe;
    const target = scope.include || scope.exclude ? scope : document;
    const result = await axe.run(target, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations;
  }, context);
  return violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map(n => `${n.target.join(' ')}: ${n.html.slice(0, 200)}`),
    }));
}
