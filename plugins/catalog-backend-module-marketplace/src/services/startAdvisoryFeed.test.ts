import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { zipSync } from 'fflate';
import { ADVISORIES_DIR } from '../__testUtils__/fixtures';
import { AdvisoryFeed } from './AdvisoryFeed';
import { startAdvisoryFeed } from './startAdvisoryFeed';

const KEY = 'marketplace.gates.vulnerabilities.limits';
/** The fixture advisories, stored uncompressed: the zip is a little larger than they are. */
const STORED_ZIP = Buffer.from(
  zipSync(
    Object.fromEntries(
      fs
        .readdirSync(ADVISORIES_DIR)
        .filter(name => name.endsWith('.json'))
        .map(name => [
          name,
          [fs.readFileSync(path.join(ADVISORIES_DIR, name)), { level: 0 }],
        ]),
    ),
  ),
);

function start(vulnerabilities: object, urlReader?: UrlReaderService) {
  const logger = mockServices.logger.mock();
  // the feed logs through a child logger
  (logger.child as jest.Mock).mockReturnValue(logger);
  const scheduler = { scheduleTask: jest.fn() };
  return {
    logger,
    started: startAdvisoryFeed({
      config: new ConfigReader({
        marketplace: { gates: { vulnerabilities } },
      }),
      logger,
      urlReader: urlReader ?? mockServices.urlReader.mock(),
      scheduler: scheduler as any,
    }),
  };
}

describe('startAdvisoryFeed: marketplace.gates.vulnerabilities.limits', () => {
  it('loads within the configured limits and fails one over, naming the key', async () => {
    const atLimit = await start({
      feed: ADVISORIES_DIR,
      limits: { maxEntries: 34 },
    }).started;
    expect(atLimit?.getIndex()?.counts.advisories).toBe(34);

    const over = start({ feed: ADVISORIES_DIR, limits: { maxEntries: 33 } });
    const feed = await over.started;
    expect(feed?.getIndex()).toBeUndefined();
    expect(feed?.getLastError()).toBe(
      `Could not load the advisory feed ${ADVISORIES_DIR}: The advisory folder ${ADVISORIES_DIR} holds 34 files, more than the limit of 33 (${KEY}.maxEntries)`,
    );
    expect(over.logger.error).toHaveBeenCalledWith(feed?.getLastError());
  });

  it('logs each skipped advisory with its file name and the limit', async () => {
    const { logger, started } = start({
      feed: ADVISORIES_DIR,
      limits: { maxDepth: 6 },
    });
    await started;
    const first = fs
      .readdirSync(ADVISORIES_DIR)
      .filter(name => name.endsWith('.json'))
      .sort()[0];
    expect(logger.warn).toHaveBeenCalledWith(
      `Skipped advisory ${first}: nests objects and arrays deeper than the limit of 6 levels (${KEY}.maxDepth)`,
    );
  });

  it.each([
    [{ maxEntries: 0 }, `${KEY}.maxEntries must be a positive integer, got 0`],
    [{ maxDepth: -3 }, `${KEY}.maxDepth must be a positive integer, got -3`],
    [
      { timeoutMs: 3_000_000_000 },
      `${KEY}.timeoutMs must be at most 2147483647, got 3000000000`,
    ],
  ])('refuses %j, naming the key', async (limits, message) => {
    await expect(
      start({ feed: ADVISORIES_DIR, limits }).started,
    ).rejects.toThrow(message);
  });
});

describe('AdvisoryFeed: the zip file itself is at most maxTotalBytes', () => {
  const feedOf = (source: string, maxTotalBytes: number, data = STORED_ZIP) => {
    const urlReader = {
      readUrl: jest.fn(async () => ({
        buffer: async () => data,
        stream: undefined as any,
      })),
      readTree: jest.fn(),
      search: jest.fn(),
    } as unknown as UrlReaderService;
    return new AdvisoryFeed({
      source,
      urlReader,
      logger: mockServices.logger.mock(),
      limits: { maxTotalBytes },
    });
  };

  it('downloads a zip of exactly maxTotalBytes and refuses one byte less', async () => {
    const url = 'https://osv.example/npm/all.zip';
    const atLimit = feedOf(url, STORED_ZIP.length);
    await atLimit.refresh();
    expect(atLimit.getLastError()).toBeUndefined();
    expect(atLimit.getIndex()?.counts.advisories).toBe(34);

    const over = feedOf(url, STORED_ZIP.length - 1);
    await over.refresh();
    expect(over.getLastError()).toBe(
      `Could not load the advisory feed ${url}: The zip ${url} is more than the limit of ${
        STORED_ZIP.length - 1
      } bytes (${KEY}.maxTotalBytes)`,
    );
  });

  it('refuses a local zip over the limit before reading it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-zip-'));
    try {
      const file = path.join(dir, 'all.zip');
      fs.writeFileSync(file, STORED_ZIP);
      const atLimit = feedOf(file, STORED_ZIP.length);
      await atLimit.refresh();
      expect(atLimit.getIndex()?.counts.advisories).toBe(34);
      const over = feedOf(file, STORED_ZIP.length - 1);
      await over.refresh();
      expect(over.getLastError()).toContain(
        `The zip ${file} is more than the limit of ${
          STORED_ZIP.length - 1
        } bytes (${KEY}.maxTotalBytes)`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
