import { randomBytes } from 'node:crypto';

/** Settings of the OpenID Connect sign-in (authorization code flow with PKCE). */
export interface OidcSettings {
  /** The issuer URL; its /.well-known/openid-configuration is read on first use. */
  issuer: URL;
  clientId: string;
  /** Only for confidential clients; public clients rely on PKCE alone. */
  clientSecret?: string;
  /** Must be registered at the identity provider and end in /auth/callback. */
  redirectUri: URL;
  scopes: string;
}

export interface AppConfig {
  port: number;
  production: boolean;
  /** Origins that may call the app from a browser (CORS); empty: none. */
  corsOrigins: string[];
  /** Express "trust proxy" setting, e.g. 1 behind one TLS-terminating proxy. */
  trustProxy: boolean | number | string;
  session: {
    /** Signing keys of the session cookie; the first signs, all verify (rotation). */
    keys: string[];
    secure: boolean;
    maxAgeMs: number;
  };
  /** Unset when OIDC_ISSUER is not set: sign-in is then unavailable. */
  oidc?: OidcSettings;
}

type Env = Record<string, string | undefined>;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new Error(`Environment variable ${name} is required`);
  }
  return value;
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  const hops = Number(value);
  return Number.isInteger(hops) ? hops : value;
}

function parseOrigin(origin: string): string {
  const url = new URL(origin);
  if (url.origin !== origin) {
    throw new Error(
      `CORS_ORIGINS entries must be bare origins such as https://app.example.com, got '${origin}'`,
    );
  }
  return origin;
}

/**
 * Reads the configuration from environment variables only; nothing secret lives in the code.
 * See the README for the variables.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';

  let keys = list(env.SESSION_KEYS);
  if (keys.length === 0) {
    if (production) {
      throw new Error(
        'Environment variable SESSION_KEYS is required in production',
      );
    }
    // development only: a throw-away key, so sessions end when the process does
    keys = [randomBytes(32).toString('base64url')];
  }
  if (keys.some(key => key.length < 32)) {
    throw new Error('Each SESSION_KEYS entry needs at least 32 characters');
  }

  const secure = env.COOKIE_SECURE !== 'false';
  if (!secure && production) {
    throw new Error('COOKIE_SECURE=false is only allowed outside production');
  }

  let oidc: OidcSettings | undefined;
  if (env.OIDC_ISSUER) {
    const redirectUri = new URL(required(env, 'OIDC_REDIRECT_URI'));
    if (redirectUri.pathname !== '/auth/callback') {
      throw new Error('OIDC_REDIRECT_URI must end in /auth/callback');
    }
    oidc = {
      issuer: new URL(env.OIDC_ISSUER),
      clientId: required(env, 'OIDC_CLIENT_ID'),
      clientSecret: env.OIDC_CLIENT_SECRET || undefined,
      redirectUri,
      scopes: env.OIDC_SCOPES || 'openid email profile',
    };
  }

  return {
    port: Number(env.PORT || 3000),
    production,
    corsOrigins: list(env.CORS_ORIGINS).map(parseOrigin),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    session: {
      keys,
      secure,
      maxAgeMs: Number(env.SESSION_MAX_AGE_SECONDS || 8 * 60 * 60) * 1000,
    },
    oidc,
  };
}
