import { Router, type RequestHandler } from 'express';
import * as oidc from 'openid-client';
import type { OidcSettings } from './config.js';

/** Gives the client configuration of the identity provider. */
export type OidcProvider = () => Promise<oidc.Configuration>;

/** The signed-in user, as kept in the session cookie: a few claims, never tokens. */
export interface SessionUser {
  sub: string;
  name?: string;
  email?: string;
}

/** What the login step remembers for the callback. */
interface PendingLogin {
  codeVerifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

/** Discovers the provider's metadata on first use (and again after a failure). */
export function discoveryProvider(settings: OidcSettings): OidcProvider {
  let pending: Promise<oidc.Configuration> | undefined;
  return () => {
    pending ??= oidc
      .discovery(
        settings.issuer,
        settings.clientId,
        undefined,
        settings.clientSecret
          ? oidc.ClientSecretPost(settings.clientSecret)
          : oidc.None(),
      )
      .catch(error => {
        pending = undefined;
        throw error;
      });
    return pending;
  };
}

/** Only local paths: a login must never redirect to another site afterwards. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.startsWith('/\\')
    ? value
    : '/';
}

export function currentUser(session: unknown): SessionUser | undefined {
  const user = (session as { user?: SessionUser } | null | undefined)?.user;
  return user && typeof user.sub === 'string' ? user : undefined;
}

/** Lets signed-in users through; answers 401 to everyone else. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (currentUser(req.session)) {
    next();
    return;
  }
  res.status(401).json({ error: 'Sign-in required', login: '/auth/login' });
};

/**
 * /auth/login, /auth/callback and /auth/logout: OpenID Connect authorization code flow
 * with PKCE (S256), state and nonce. The provider is unset when sign-in is not configured.
 */
export function authRouter(options: {
  provider?: OidcProvider;
  settings?: Pick<OidcSettings, 'redirectUri' | 'scopes'>;
}): Router {
  const router = Router();
  const { provider, settings } = options;

  router.get('/auth/login', async (req, res) => {
    if (!provider || !settings || !req.session) {
      res.status(503).json({ error: 'Sign-in is not configured' });
      return;
    }
    const config = await provider();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pendingLogin: PendingLogin = {
      codeVerifier,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      returnTo: safeReturnTo(req.query.returnTo),
    };
    req.session.login = pendingLogin;
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri.href,
      scope: settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pendingLogin.state,
      nonce: pendingLogin.nonce,
    });
    res.redirect(url.href);
  });

  router.get('/auth/callback', async (req, res) => {
    const pendingLogin = req.session?.login as PendingLogin | undefined;
    if (!provider || !settings || !req.session || !pendingLogin) {
      res.status(400).json({ error: 'No sign-in in progress' });
      return;
    }
    delete req.session.login;
    const config = await provider();
    // the URL the provider redirected to, built on the configured origin, never the Host header
    const currentUrl = new URL(req.originalUrl, settings.redirectUri);
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pendingLogin.codeVerifier,
        expectedState: pendingLogin.state,
        expectedNonce: pendingLogin.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      console.warn(`Sign-in failed: ${(error as Error).message}`);
      res.status(400).json({ error: 'Sign-in failed' });
      return;
    }
    const claims = tokens.claims();
    if (!claims) {
      res.status(400).json({ error: 'Sign-in failed' });
      return;
    }
    const user: SessionUser = { sub: claims.sub };
    if (typeof claims.name === 'string') user.name = claims.name;
    if (typeof claims.email === 'string') user.email = claims.email;
    req.session.user = user;
    res.redirect(pendingLogin.returnTo);
  });

  router.post('/auth/logout', (req, res) => {
    req.session = null;
    res.status(204).end();
  });

  return router;
}
