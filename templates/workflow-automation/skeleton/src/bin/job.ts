import { loadJobConfig } from '../config.js';
import { runDigest } from '../job.js';

// One run per start: schedule it with your platform (a Kubernetes CronJob, a cron entry, ...).
try {
  const result = await runDigest(loadJobConfig());
  console.log(
    result.posted
      ? `Posted a digest of ${result.incidents} open incident(s)`
      : 'No open incidents, nothing posted',
  );
} catch (error) {
  console.error(`Digest failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
