import { listOpenIncidents, postToChat, type Fetch } from './clients.js';
import type { JobConfig } from './config.js';
import type { Incident } from './events.js';

const SEVERITY_ORDER = { sev1: 0, sev2: 1, sev3: 2 } as const;

export function formatDigest(incidents: Incident[]): string {
  const lines = [...incidents]
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
    .map(i => `- ${i.severity} ${i.id}: ${i.title}${i.url ? ` ${i.url}` : ''}`);
  return [`${incidents.length} open incident(s):`, ...lines].join('\n');
}

/**
 * The scheduled job: posts a digest of the open incidents to chat, or nothing when there are
 * none. Needs incidents.read and chat.post, nothing else.
 */
export async function runDigest(
  config: JobConfig,
  fetchImpl: Fetch = fetch,
): Promise<{ posted: boolean; incidents: number }> {
  const incidents = await listOpenIncidents(
    config.INCIDENTS_API_URL,
    config.SERVICE_TOKEN,
    fetchImpl,
  );
  if (incidents.length === 0) {
    return { posted: false, incidents: 0 };
  }
  await postToChat(config.CHAT_WEBHOOK_URL, formatDigest(incidents), fetchImpl);
  return { posted: true, incidents: incidents.length };
}
