import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject, JsonValue } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { authModuleDemoPersonas, DEMO_PERSONA_HEADER } from './demoPersonas';

const user = (name: string, memberOf: string[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf, profile: { displayName: `${name} (demo)` } },
  relations: memberOf.map(group => ({
    type: 'memberOf',
    targetRef: `group:default/${group}`,
  })),
});

async function startAuth(personas: JsonValue[], provider: JsonObject = {}) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleDemoPersonas,
      catalogServiceMock.factory({
        entities: [
          user('casey', ['finance-apps']),
          user('sam', ['security-reviewers']),
          user('mallory', ['marketplace-admins']),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          demo: { personas },
          auth: { providers: { demo: provider } },
        },
      }),
    ],
  });
  const refresh = (persona?: string) => {
    const req = request(server)
      .get('/api/auth/demo/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    return persona ? req.set(DEMO_PERSONA_HEADER, persona) : req;
  };
  return { refresh };
}

describe('demo persona sign-in', () => {
  const previousEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = previousEnv;
  });

  const personas = [
    { userEntityRef: 'user:default/casey', title: 'Casey' },
    { userEntityRef: 'sam', title: 'Sam' },
  ];

  it('signs in as a listed persona with the groups the catalog gives it', async () => {
    process.env.NODE_ENV = 'development';
    const { refresh } = await startAuth(personas);
    const res = await refresh('user:default/casey');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/casey',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/casey',
        'group:default/finance-apps',
      ]),
    });
    expect(res.body.profile).toEqual({ displayName: 'casey (demo)' });
    // a bare name in config and in the header means user:default/<name>
    const sam = await refresh('sam');
    expect(sam.status).toBe(200);
    expect(sam.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/sam',
    );
  });

  it('refuses a user who is not a persona, even one in the catalog', async () => {
    process.env.NODE_ENV = 'development';
    const { refresh } = await startAuth(personas);
    const res = await refresh('user:default/mallory');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      '"user:default/mallory" is not one of the demo personas',
    );
    const missing = await refresh();
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toContain(DEMO_PERSONA_HEADER);
  });

  it('is off outside development unless explicitly allowed', async () => {
    process.env.NODE_ENV = 'production';
    const off = await startAuth(personas);
    const res = await off.refresh('casey');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('only runs in development');

    const allowed = await startAuth(personas, {
      dangerouslyAllowOutsideDevelopment: true,
    });
    expect((await allowed.refresh('casey')).status).toBe(200);
  });

  it('names a persona whose ref is broken at startup', async () => {
    process.env.NODE_ENV = 'development';
    await expect(
      startAuth([{ userEntityRef: 'group:default/security-reviewers' }]),
    ).rejects.toThrow(
      'demo.personas[0].userEntityRef "group:default/security-reviewers" must name a User, not a group',
    );
    await expect(
      startAuth([{ userEntityRef: 'casey' }, { userEntityRef: 'user:' }]),
    ).rejects.toThrow(
      'demo.personas[1].userEntityRef "user:" is not an entity ref',
    );
  });
});
