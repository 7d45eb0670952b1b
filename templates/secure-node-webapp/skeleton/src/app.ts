import { fileURLToPath } from 'node:url';
import cookieSession from 'cookie-session';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import {
  authRouter,
  currentUser,
  discoveryProvider,
  requireUser,
  type OidcProvider,
} from './auth.js';
import type { AppConfig } from './config.js';
import { createMetrics } from './metrics.js';

/** public/ of the project, from dist/src/ where the compiled app runs. */
const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** Content Security Policy: only our own origin, no inline code, no framing. */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'upgrade-insecure-requests': [],
};

export interface AppOptions {
  /** The identity provider's configuration; by default discovered from OIDC_ISSUER. */
  oidcProvider?: OidcProvider;
}

export function createApp(config: AppConfig, options: AppOptions = {}) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // readiness: server.ts sets it to false when the process starts to shut down
  app.locals.ready = true;

  const metrics = createMetrics();
  app.use(metrics.middleware);

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: CONTENT_SECURITY_POLICY,
      },
      strictTransportSecurity: { maxAge: 63_072_000, includeSubDomains: true },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );

  // browsers may call the app only from the configured origins; no origins, no CORS headers
  app.use(
    cors({
      origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
      credentials: true,
      methods: ['GET', 'POST'],
    }),
  );

  app.use(
    cookieSession({
      // the __Host- prefix pins the cookie to this host, path / and HTTPS
      name: config.session.secure ? '__Host-session' : 'session',
      keys: config.session.keys,
      httpOnly: true,
      secure: config.session.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: config.session.maxAgeMs,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', (_req, res) => {
    if (app.locals.ready) {
      res.json({ status: 'ready' });
    } else {
      res.status(503).json({ status: 'shutting down' });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });

  const provider =
    options.oidcProvider ??
    (config.oidc ? discoveryProvider(config.oidc) : undefined);
  app.use(authRouter({ provider, settings: config.oidc }));

  app.get('/me', requireUser, (req, res) => {
    res.json(currentUser(req.session));
  });

  // the page and its script and styles: files from our own origin, as the CSP wants
  app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '1h' }));

  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found' });
  });

  const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
    console.error(error);
    res.status(500).json({ error: 'Internal error' });
  };
  app.use(errorHandler);

  return app;
}
