import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import {
  statusPageEntity,
  statusPageState,
} from '../../__testUtils__/statusPage';
import {
  EntityCostCard,
  EntitySupportCard,
  EntityTierCard,
} from './EntityCards';

const entity = statusPageEntity;
const app = statusPageState;

function render(card: JSX.Element, getApp: MarketplaceApi['getApp']) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{card}</EntityProvider>,
    {
      apis: [[marketplaceApiRef, { getApp } as MarketplaceApi]],
    },
  );
}

describe('entity cards', () => {
  it('summarises tier and gates, linking to the Governance tab', async () => {
    await render(<EntityTierCard />, jest.fn().mockResolvedValue(app));
    expect(
      await screen.findByText('9 of 12 gates passed', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText('Vetted')).toBeInTheDocument();
    expect(screen.getByText('requests enterprise')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Governance' })).toHaveAttribute(
      'href',
      '/catalog/default/microapp/status-page/governance',
    );
  });

  it('counts down the days of a Discover app', async () => {
    const expiresAt = new Date(Date.now() + 12 * 86_400_000).toISOString();
    await render(
      <EntityTierCard />,
      jest.fn().mockResolvedValue({
        ...app,
        tier: 'discover',
        requestedTier: 'discover',
        expiresAt,
      }),
    );
    expect(
      await screen.findByText(/^Expires in 12 days \(\d{1,2} \w{3,4} \d{4}\)$/),
    ).toBeInTheDocument();
  });

  it('says an expired app is hidden until renewed', async () => {
    await render(
      <EntityTierCard />,
      jest.fn().mockResolvedValue({
        ...app,
        tier: 'expired',
        requestedTier: 'discover',
        expiresAt: '2026-11-20T12:00:00.000Z',
      }),
    );
    expect(
      await screen.findByText(
        'Expired on 20 Nov 2026: hidden from the marketplace until renewed',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Expired')).toBeInTheDocument();
  });

  it('shows no expiry above Discover', async () => {
    await render(<EntityTierCard />, jest.fn().mockResolvedValue(app));
    expect(await screen.findByText('Vetted')).toBeInTheDocument();
    expect(screen.queryByText(/Expire/)).toBeNull();
  });

  it('shows the support tier with its response time, and says what is not set', async () => {
    await render(<EntitySupportCard />, jest.fn().mockResolvedValue(app));
    expect(
      await screen.findByText('S2 (response within 4 hours)'),
    ).toBeInTheDocument();
    expect(screen.getByText('#platform-oncall')).toBeInTheDocument();
    expect(screen.getByText('not set')).toBeInTheDocument();
  });

  it('has an empty state when no support is declared', async () => {
    await render(
      <EntitySupportCard />,
      jest.fn().mockResolvedValue({ ...app, support: {} }),
    );
    expect(
      await screen.findByText(/No support is declared/),
    ).toBeInTheDocument();
  });

  it('shows the forecast in its currency', async () => {
    await render(<EntityCostCard />, jest.fn().mockResolvedValue(app));
    expect(await screen.findByText('€6.00')).toBeInTheDocument();
    expect(screen.getByText(/Cost centre CC-1000/)).toBeInTheDocument();
  });

  const cards = [
    ['tier', <EntityTierCard />],
    ['support', <EntitySupportCard />],
    ['cost', <EntityCostCard />],
  ] as const;

  it.each(cards)(
    'the %s card shows progress while loading',
    async (_, card) => {
      await render(card, () => new Promise(() => {}));
      expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    },
  );

  it.each(cards)(
    'the %s card shows the error of the backend',
    async (_, card) => {
      await render(
        card,
        jest.fn().mockRejectedValue(new Error('backend unavailable')),
      );
      const [message] = await screen.findAllByText(/backend unavailable/);
      expect(message).toBeInTheDocument();
      expect(screen.queryByRole('progressbar')).toBeNull();
    },
  );

  it('says when the gates have not been evaluated yet', async () => {
    await render(
      <EntityTierCard />,
      jest.fn().mockResolvedValue({
        ...app,
        gateStatus: 'pending',
        gates: { status: 'pending', counts: {} },
      }),
    );
    expect(
      await screen.findByText('The gates have not been evaluated yet.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/gates passed/)).toBeNull();
  });
});
