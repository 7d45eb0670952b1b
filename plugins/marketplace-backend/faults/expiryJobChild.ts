/* eslint-disable no-console */
// One run of the Discover expiry job (`marketplace-discover-expiry`: ExpiryService.runOnce
// with the real store, ChangeRunner and Notifier) against the database FAULTS_DB_URL, at
// the fixed time FAULTS_NOW. Run as a child process by jobKill.faults.ts, which kills it
// mid-run. Each notification is appended to FAULTS_NOTIFICATIONS as one JSON line, written
// synchronously, so a kill loses none that was sent.
import fs from 'node:fs';
import knexFactory from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { DatabaseMarketplaceStore } from '../src/database/DatabaseMarketplaceStore';
import { ExpiryService } from '../src/service/lifecycle/ExpiryService';
import { Notifier } from '../src/service/Notifier';
import { ChangeRunner } from '../src/service/workflow/ChangeRunner';
import { readWorkflowConfig } from '../src/service/workflow/readWorkflowConfig';

const quiet: any = {
  info() {},
  debug() {},
  warn: (m: string) => console.error(m),
  error: (m: string) => console.error(m),
  child: () => quiet,
};

async function main() {
  const db = knexFactory({
    client: 'pg',
    connection: process.env.FAULTS_DB_URL,
    pool: { min: 0, max: 4 },
  });
  const database: DatabaseService = { getClient: async () => db };
  const store = await DatabaseMarketplaceStore.create({ database });
  const notificationsFile = process.env.FAULTS_NOTIFICATIONS!;
  const now = new Date(process.env.FAULTS_NOW!);
  // only the catalog refresh is used by the job: nothing to refresh here
  const directory: any = { refresh: async () => {} };
  const changes = new ChangeRunner({
    store,
    directory,
    logger: quiet,
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    } as any,
    notifier: new Notifier({
      logger: quiet,
      notifications: {
        send: async n => {
          fs.appendFileSync(notificationsFile, `${JSON.stringify(n)}\n`);
        },
      },
    }),
  });
  const expiry = new ExpiryService({
    store,
    directory,
    changes,
    guard: {} as any,
    apps: {} as any,
    config: readWorkflowConfig(new ConfigReader({})),
    logger: quiet,
    now: () => now,
  });
  const result = await expiry.runOnce();
  console.log(JSON.stringify(result));
  await db.destroy();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
