import { incidentList, type Incident } from './events.js';

/** Outbound calls use the global fetch; tests pass their own. */
export type Fetch = typeof fetch;

const TIMEOUT_MS = 10_000;

/** Posts a message to the chat webhook (scope chat.post). */
export async function postToChat(
  chatWebhookUrl: string,
  text: string,
  fetchImpl: Fetch = fetch,
): Promise<void> {
  const res = await fetchImpl(chatWebhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) {
    throw new Error(`Chat webhook answered ${res.status}`);
  }
}

/** Lists the open incidents (scope incidents.read), with the app's own service token. */
export async function listOpenIncidents(
  apiUrl: string,
  serviceToken: string,
  fetchImpl: Fetch = fetch,
): Promise<Incident[]> {
  const url = new URL(
    'incidents',
    apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
  );
  url.searchParams.set('status', 'open');
  const res = await fetchImpl(url, {
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${serviceToken}`,
    },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) {
    throw new Error(`Incidents API answered ${res.status}`);
  }
  return incidentList.parse(await res.json()).items;
}
