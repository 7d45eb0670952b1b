import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { DemoSignInPage } from './DemoSignInPage';
import { DEMO_PERSONA_HEADER, PERSONA_STORAGE_KEY } from './personas';

const base = {
  app: { title: 'Demo Portal' },
  backend: { baseUrl: 'http://localhost:7007' },
};
const config = {
  ...base,
  demo: {
    personas: [
      {
        userEntityRef: 'user:default/casey',
        title: 'Casey Citizen',
        description: 'Citizen developer.',
      },
      { userEntityRef: 'user:default/sam', title: 'Sam Security' },
    ],
  },
};

const jwt = (payload: object) =>
  `e30.${btoa(JSON.stringify(payload))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')}.sig`;

function session(userEntityRef: string) {
  return {
    profile: { displayName: userEntityRef },
    backstageIdentity: {
      token: jwt({ sub: userEntityRef, exp: Date.now() / 1000 + 3600 }),
      identity: {
        type: 'user',
        userEntityRef,
        ownershipEntityRefs: [userEntityRef],
      },
    },
  };
}

const fetchMock = jest.fn();

beforeEach(() => {
  window.localStorage.clear();
  fetchMock.mockReset();
  global.fetch = fetchMock;
});

function answer(status: number, body: object) {
  fetchMock.mockResolvedValue(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    }),
  );
}

describe('DemoSignInPage', () => {
  it('lists the configured personas and signs in as the one picked', async () => {
    answer(200, session('user:default/sam'));
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <DemoSignInPage onSignInSuccess={onSignInSuccess} />,
      {
        config,
      },
    );

    expect(screen.getByText('Casey Citizen')).toBeInTheDocument();
    expect(screen.getByText('Citizen developer.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();

    fireEvent.click(
      screen.getByRole('button', { name: 'Sign in as Sam Security' }),
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());

    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toMatch(/\/auth\/demo\/refresh$/);
    expect(new Headers(init.headers).get(DEMO_PERSONA_HEADER)).toBe(
      'user:default/sam',
    );
    const identity = onSignInSuccess.mock.calls[0][0];
    expect((await identity.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/sam',
    );
    expect(window.localStorage.getItem(PERSONA_STORAGE_KEY)).toBe(
      'user:default/sam',
    );

    // signing out forgets the persona, so the next visit shows the picker
    await identity.signOut();
    expect(window.localStorage.getItem(PERSONA_STORAGE_KEY)).toBeNull();
  });

  it('signs in again as the remembered persona without asking', async () => {
    window.localStorage.setItem(PERSONA_STORAGE_KEY, 'user:default/casey');
    answer(200, session('user:default/casey'));
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <DemoSignInPage onSignInSuccess={onSignInSuccess} />,
      {
        config,
      },
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(screen.queryByText('Sam Security')).not.toBeInTheDocument();
  });

  it('shows why a sign-in failed and lets the person pick again', async () => {
    window.localStorage.setItem(PERSONA_STORAGE_KEY, 'user:default/gone');
    answer(403, {
      error: {
        name: 'NotAllowedError',
        message: '"user:default/gone" is not one of the demo personas',
      },
      request: { method: 'GET', url: '/api/auth/demo/refresh' },
      response: { statusCode: 403 },
    });
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <DemoSignInPage onSignInSuccess={onSignInSuccess} />,
      {
        config,
      },
    );
    expect(await screen.findByText(/Could not sign in/)).toBeInTheDocument();
    expect(
      screen.getByText(/"user:default\/gone" is not one of the demo personas/),
    ).toBeInTheDocument();
    expect(onSignInSuccess).not.toHaveBeenCalled();

    answer(200, session('user:default/casey'));
    fireEvent.click(
      screen.getByRole('button', { name: 'Sign in as Casey Citizen' }),
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
  });

  it('says how to add personas when none are configured', async () => {
    await renderInTestApp(<DemoSignInPage onSignInSuccess={jest.fn()} />, {
      config: base,
    });
    expect(screen.getByText(/No demo personas/)).toBeInTheDocument();
    expect(
      screen.getByText(/Add users under demo.personas/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Sign in as/ }),
    ).not.toBeInTheDocument();
  });
});
