import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { incidentEvent, type IncidentEvent } from './events.js';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from './signature.js';

export interface WebhookServerOptions {
  secret: string;
  maxAgeSeconds: number;
  /** What to do with a verified, valid event. */
  handle: (event: IncidentEvent) => Promise<void>;
  maxBodyBytes?: number;
}

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * POST /webhook: verifies the HMAC signature and the timestamp before it parses anything,
 * validates the payload, then hands it on. GET /healthz for the platform's probes.
 */
export function createWebhookServer(options: WebhookServerOptions): Server {
  const limit = options.maxBodyBytes ?? 64 * 1024;

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz' && req.method === 'GET') {
      send(res, 200, { status: 'ok' });
      return;
    }
    if (path !== '/webhook') {
      send(res, 404, { error: 'Not found' });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      send(res, 405, { error: 'Method not allowed' });
      return;
    }

    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      if (error instanceof TooLarge) {
        send(res, 413, { error: 'Payload too large' });
        req.resume();
        return;
      }
      throw error;
    }

    const verdict = verifySignature({
      secret: options.secret,
      body,
      signature: header(req, SIGNATURE_HEADER),
      timestamp: header(req, TIMESTAMP_HEADER),
      maxAgeSeconds: options.maxAgeSeconds,
    });
    if (!verdict.ok) {
      console.warn(`Refused a delivery: signature ${verdict.reason}`);
      send(res, 401, { error: 'Invalid signature' });
      return;
    }

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      send(res, 400, { error: 'Body is not JSON' });
      return;
    }
    const event = incidentEvent.safeParse(json);
    if (!event.success) {
      send(res, 400, {
        error: 'Unexpected payload',
        issues: event.error.issues.map(
          i => `${i.path.join('.')}: ${i.message}`,
        ),
      });
      return;
    }

    try {
      await options.handle(event.data);
      send(res, 202, { status: 'accepted' });
    } catch (error) {
      console.error(
        `Handling ${event.data.type} failed: ${(error as Error).message}`,
      );
      send(res, 502, { error: 'Could not process the event' });
    }
  };

  return createServer((req, res) => {
    route(req, res).catch(error => {
      console.error(error);
      if (!res.headersSent) send(res, 500, { error: 'Internal error' });
      else res.end();
    });
  });
}
