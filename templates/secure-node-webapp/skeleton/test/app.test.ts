import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const ALLOWED_ORIGIN = 'https://portal.example.com';

/** A configuration as the environment would give it; keys are random per run. */
function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    SESSION_KEYS: randomBytes(32).toString('base64url'),
    TRUST_PROXY: 'loopback',
    CORS_ORIGINS: ALLOWED_ORIGIN,
    ...env,
  });
}

function base64url(value: object | string): string {
  return Buffer.from(
    typeof value === 'string' ? value : JSON.stringify(value),
  ).toString('base64url');
}

/** The Set-Cookie header lines of a response. */
function setCookies(res: request.Response): string[] {
  const header = res.headers['set-cookie'] as unknown;
  return Array.isArray(header) ? header : [];
}

/** Cookie pairs to send back, from a response's Set-Cookie lines. */
function cookiePairs(res: request.Response): string {
  return setCookies(res)
    .map(line => line.split(';')[0])
    .join('; ');
}

describe('security headers', () => {
  const app = createApp(testConfig());

  it('sends a strict content security policy', async () => {
    const res = await request(app).get('/');
    assert.equal(res.status, 200);
    const csp = res.headers['content-security-policy'] as string;
    assert.ok(csp, 'Content-Security-Policy is set');
    const directives = new Map(
      csp.split(';').map(part => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  it('sends HSTS for two years, including subdomains', async () => {
    const res = await request(app).get('/healthz');
    const hsts = res.headers['strict-transport-security'] as string;
    assert.match(hsts, /max-age=63072000/);
    assert.match(hsts, /includeSubDomains/);
  });

  it('sends the other hardening headers and hides the framework', async () => {
    const res = await request(app).get('/healthz');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  it('serves the page, its script and its styles as files, with no inline code', async () => {
    const page = await request(app).get('/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.match(page.text, /<script type="module" src="\/app\.js"><\/script>/);
    assert.doesNotMatch(page.text, /<script>|<style|\sstyle=|\son[a-z]+=/);
    const script = await request(app).get('/app.js');
    assert.equal(script.status, 200);
    assert.match(script.headers['content-type'] as string, /javascript/);
    const styles = await request(app).get('/styles.css');
    assert.equal(styles.status, 200);
    assert.match(styles.headers['content-type'] as string, /^text\/css/);
  });

  it('allows CORS only from the configured origins', async () => {
    const allowed = await request(app)
      .get('/healthz')
      .set('Origin', ALLOWED_ORIGIN);
    assert.equal(
      allowed.headers['access-control-allow-origin'],
      ALLOWED_ORIGIN,
    );
    assert.equal(allowed.headers['access-control-allow-credentials'], 'true');

    const other = await request(app)
      .get('/healthz')
      .set('Origin', 'https://elsewhere.example.org');
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  it('refuses a CORS origin that is not a bare origin', () => {
    assert.throws(
      () => testConfig({ CORS_ORIGINS: 'https://portal.example.com/path' }),
      /bare origins/,
    );
  });
});

describe('health and metrics', () => {
  it('answers /healthz and /readyz, and /readyz turns 503 while shutting down', async () => {
    const app = createApp(testConfig());
    assert.equal((await request(app).get('/healthz')).status, 200);
    assert.equal((await request(app).get('/readyz')).status, 200);
    app.locals.ready = false;
    const res = await request(app).get('/readyz');
    assert.equal(res.status, 503);
    assert.equal(res.body.status, 'shutting down');
  });

  it('exposes Prometheus metrics with process and request metrics', async () => {
    const app = createApp(testConfig());
    await request(app).get('/healthz');
    const res = await request(app).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    assert.match(res.text, /process_cpu_user_seconds_total/);
    assert.match(
      res.text,
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1/,
    );
  });
});

describe('configuration', () => {
  it('needs SESSION_KEYS in production', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_KEYS/);
  });

  it('refuses insecure cookies in production', () => {
    assert.throws(
      () =>
        loadConfig({
          NODE_ENV: 'production',
          SESSION_KEYS: randomBytes(32).toString('base64url'),
          COOKIE_SECURE: 'false',
        }),
      /COOKIE_SECURE/,
    );
  });

  it('refuses short session keys', () => {
    assert.throws(() => loadConfig({ SESSION_KEYS: 'short' }), /32 characters/);
  });
});

describe('sign-in', () => {
  it('is unavailable when OIDC is not configured, and /me needs a session', async () => {
    const app = createApp(testConfig());
    assert.equal((await request(app).get('/auth/login')).status, 503);
    const me = await request(app).get('/me');
    assert.equal(me.status, 401);
    assert.equal(me.body.login, '/auth/login');
    assert.equal(
      (await request(app).get('/auth/callback?code=x&state=y')).status,
      400,
    );
  });

  describe('with an identity provider', () => {
    const clientId = 'sample-client';
    let idp: Server;
    let issuer: string;
    let lastChallenge: string | undefined;
    let nonce: string | undefined;
    let redeemedVerifier: string | undefined;

    // a tiny stand-in for the identity provider's token endpoint
    before(async () => {
      idp = createServer((req, res) => {
        let body = '';
        req.on('data', chunk => (body += chunk));
        req.on('end', () => {
          const form = new URLSearchParams(body);
          redeemedVerifier = form.get('code_verifier') ?? undefined;
          const now = Math.floor(Date.now() / 1000);
          const idToken = [
            base64url({ alg: 'RS256', typ: 'JWT' }),
            base64url({
              iss: issuer,
              aud: clientId,
              sub: 'user-1',
              name: 'Ada <Lovelace>',
              email: 'ada@example.com',
              nonce,
              iat: now,
              exp: now + 300,
            }),
            base64url('signature'),
          ].join('.');
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              access_token: randomBytes(16).toString('hex'),
              token_type: 'Bearer',
              expires_in: 300,
              id_token: idToken,
            }),
          );
        });
      });
      idp.listen(0, '127.0.0.1');
      await once(idp, 'listening');
      issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    });

    after(() => {
      idp.close();
    });

    function appWithIdp() {
      const config = testConfig({
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: clientId,
        OIDC_REDIRECT_URI: 'https://app.example.com/auth/callback',
      });
      return createApp(config, {
        oidcProvider: async () => {
          const configuration = new oidc.Configuration(
            {
              issuer,
              authorization_endpoint: `${issuer}/authorize`,
              token_endpoint: `${issuer}/token`,
            },
            clientId,
            undefined,
            oidc.None(),
          );
          // only the test's stand-in provider speaks plain HTTP
          oidc.allowInsecureRequests(configuration);
          return configuration;
        },
      });
    }

    it('redirects to the provider with PKCE, state and nonce, in a secure session cookie', async () => {
      const app = appWithIdp();
      const res = await request(app)
        .get('/auth/login')
        .set('X-Forwarded-Proto', 'https');
      assert.equal(res.status, 302);
      const location = new URL(res.headers.location as string);
      assert.equal(location.origin + location.pathname, `${issuer}/authorize`);
      assert.equal(location.searchParams.get('response_type'), 'code');
      assert.equal(location.searchParams.get('client_id'), clientId);
      assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(location.searchParams.get('code_challenge'));
      assert.ok(location.searchParams.get('state'));
      assert.ok(location.searchParams.get('nonce'));
      assert.equal(
        location.searchParams.get('redirect_uri'),
        'https://app.example.com/auth/callback',
      );

      const cookies = setCookies(res);
      assert.ok(cookies.length > 0, 'a session cookie is set');
      for (const cookie of cookies) {
        assert.match(cookie, /^__Host-session(\.sig)?=/);
        assert.match(cookie, /; httponly/i);
        assert.match(cookie, /; secure/i);
        assert.match(cookie, /; samesite=lax/i);
        assert.match(cookie, /; path=\//i);
      }
    });

    it('signs the user in on the callback and protects /me with the session', async () => {
      const app = appWithIdp();
      const login = await request(app)
        .get('/auth/login?returnTo=/me')
        .set('X-Forwarded-Proto', 'https');
      const location = new URL(login.headers.location as string);
      lastChallenge = location.searchParams.get('code_challenge') ?? undefined;
      nonce = location.searchParams.get('nonce') ?? undefined;
      const state = location.searchParams.get('state') ?? '';

      const callback = await request(app)
        .get(
          `/auth/callback?code=sample-code&state=${encodeURIComponent(state)}`,
        )
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookiePairs(login));
      assert.equal(callback.status, 302, callback.text);
      assert.equal(callback.headers.location, '/me');
      // the provider got the verifier that belongs to the challenge
      assert.equal(
        createHash('sha256')
          .update(redeemedVerifier ?? '')
          .digest('base64url'),
        lastChallenge,
      );

      const me = await request(app)
        .get('/me')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookiePairs(callback));
      assert.equal(me.status, 200);
      assert.deepEqual(me.body, {
        sub: 'user-1',
        name: 'Ada <Lovelace>',
        email: 'ada@example.com',
      });
    });

    it('refuses a callback whose state does not match', async () => {
      const app = appWithIdp();
      const login = await request(app)
        .get('/auth/login')
        .set('X-Forwarded-Proto', 'https');
      const res = await request(app)
        .get('/auth/callback?code=sample-code&state=forged')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookiePairs(login));
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'Sign-in failed');
    });

    it('never redirects to another site after sign-in', async () => {
      const app = appWithIdp();
      const login = await request(app)
        .get('/auth/login?returnTo=//evil.example.org')
        .set('X-Forwarded-Proto', 'https');
      const location = new URL(login.headers.location as string);
      nonce = location.searchParams.get('nonce') ?? undefined;
      const callback = await request(app)
        .get(
          `/auth/callback?code=sample-code&state=${location.searchParams.get(
            'state',
          )}`,
        )
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookiePairs(login));
      assert.equal(callback.headers.location, '/');
    });
  });
});
