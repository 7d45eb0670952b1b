import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import {
  statusPageEntity,
  statusPageState,
} from '../../__testUtils__/statusPage';
import {
  noDataOperations,
  overForecastOperations,
  withinBudgetOperations,
} from '../../__testUtils__/operations';
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
      await screen.findByText('S2 · respond within 4 h'),
    ).toBeInTheDocument();
    expect(screen.getByText('#platform-oncall')).toBeInTheDocument();
    expect(screen.getByText('not set')).toBeInTheDocument();
  });

  it('links a web runbook, and shows any other scheme as text instead of failing', async () => {
    const withRunbook = (runbook: string) =>
      jest
        .fn()
        .mockResolvedValue({ ...app, support: { ...app.support, runbook } });
    await render(
      <EntitySupportCard />,
      withRunbook('https://runbooks.example.com/status-page'),
    );
    expect(
      await screen.findByRole('link', {
        name: /^https:\/\/runbooks\.example\.com\/status-page/,
      }),
    ).toBeInTheDocument();

    // a payload the card must not turn into a link, never followed by the test
    // eslint-disable-next-line no-script-url
    const scriptUrl = 'javascript:window.__xss=1';
    await render(<EntitySupportCard />, withRunbook(scriptUrl));
    expect(await screen.findByText(scriptUrl)).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /javascript:/ }),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText('On-call roster').length).toBeGreaterThan(0);
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

  describe('with cost and support figures', () => {
    it('shows the actual over the forecast as a number, a bar and in words', async () => {
      await render(
        <EntityCostCard />,
        jest
          .fn()
          .mockResolvedValue({ ...app, operations: overForecastOperations }),
      );
      expect(
        await screen.findByText('€44.80 of €40.00 forecast'),
      ).toBeInTheDocument();
      expect(screen.getByText('December 2026')).toBeInTheDocument();
      const bar = screen.getByRole('progressbar', {
        name: 'Cost of December 2026: €44.80 of €40.00 forecast (112 %)',
      });
      // over the limit: a full bar in the error colour, not the Gauge's thirds
      expect(bar).toHaveAttribute('aria-valuenow', '100');
      expect(bar.querySelector('[class*="over"]')).not.toBeNull();
      expect(
        screen.getByText('+€4.80 (+12 %), over forecast'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Alert fired: 10 % over forecast'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('No approved budget: compared with the forecast'),
      ).toBeInTheDocument();
      expect(screen.getByText('Cost centre CC-1000')).toBeInTheDocument();
    });

    it('compares with the approved budget when there is one, and says who approved it', async () => {
      await render(
        <EntityCostCard />,
        jest
          .fn()
          .mockResolvedValue({ ...app, operations: withinBudgetOperations }),
      );
      expect(
        await screen.findByText('€31.00 of €45.00 budget'),
      ).toBeInTheDocument();
      const bar = screen.getByRole('progressbar', {
        name: 'Cost of December 2026: €31.00 of €45.00 budget (69 %)',
      });
      expect(bar).toHaveAttribute('aria-valuenow', '69');
      expect(bar.querySelector('[class*="within"]')).not.toBeNull();
      expect(
        screen.getByText('-€14.00 (-31.1 %), within budget'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('No overrun alert this month'),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          'Approved budget €45.00 per month, by user:default/fin on 20 Nov 2026 (forecast €6.00)',
        ),
      ).toBeInTheDocument();
    });

    it('says when no costs were imported for the month', async () => {
      await render(
        <EntityCostCard />,
        jest.fn().mockResolvedValue({ ...app, operations: noDataOperations }),
      );
      expect(
        await screen.findByText('No costs imported for December 2026.'),
      ).toBeInTheDocument();
      expect(screen.getByText('€40.00')).toBeInTheDocument();
      expect(screen.queryByRole('progressbar')).toBeNull();
      expect(screen.queryByText(/over forecast|within forecast/)).toBeNull();
    });

    it("shows the month's SLA figures with the tier's target", async () => {
      await render(
        <EntitySupportCard />,
        jest.fn().mockResolvedValue({
          ...app,
          support: { ...app.support, slaTier: 'S1' },
          operations: overForecastOperations,
        }),
      );
      expect(
        await screen.findByText('S1 · respond within 1 h'),
      ).toBeInTheDocument();
      expect(screen.getByText('Breached')).toBeInTheDocument();
      expect(screen.getByText('99.95 %')).toBeInTheDocument();
      expect(screen.getByText('0.125 %')).toBeInTheDocument();
      expect(screen.getByText('Incidents').nextSibling).toHaveTextContent(
        /^3$/,
      );
      expect(screen.getByText('43 min')).toBeInTheDocument();
      expect(screen.getByText('1 h 30 min')).toBeInTheDocument();
      expect(
        screen.getByText('1 breach of the 1 h target'),
      ).toBeInTheDocument();
      expect(screen.getByText(/^3 Dec 2026, \d\d:\d\d$/)).toBeInTheDocument();
    });

    it('says the SLA is met, and takes the target the server configured', async () => {
      await render(
        <EntitySupportCard />,
        jest.fn().mockResolvedValue({
          ...app,
          operations: {
            ...withinBudgetOperations,
            sla: { ...withinBudgetOperations.sla, responseTargetMinutes: 120 },
          },
        }),
      );
      expect(
        await screen.findByText('S2 · respond within 2 h'),
      ).toBeInTheDocument();
      expect(screen.getByText('Met')).toBeInTheDocument();
      expect(screen.getByText('No breaches')).toBeInTheDocument();
      expect(screen.getByText('not measured')).toBeInTheDocument();
    });

    it('says when no metrics were reported, and where to report them', async () => {
      await render(
        <EntitySupportCard />,
        jest.fn().mockResolvedValue({ ...app, operations: noDataOperations }),
      );
      expect(
        await screen.findByText('No metrics reported'),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          'POST /api/marketplace/apps/default/status-page/metrics',
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText('Uptime')).toBeNull();
    });

    it('says when the backend reports no figures', async () => {
      await render(<EntitySupportCard />, jest.fn().mockResolvedValue(app));
      expect(
        await screen.findByText(
          'No operational figures: this marketplace backend reports none.',
        ),
      ).toBeInTheDocument();
    });

    it('shows why the listing needs attention and its last activity on the tier card', async () => {
      await render(
        <EntityTierCard />,
        jest
          .fn()
          .mockResolvedValue({ ...app, operations: overForecastOperations }),
      );
      expect(
        await screen.findByText('Enterprise listing without a runbook'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Idle: no activity since 3 Oct 2026 (usage)'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Last activity 3 Oct 2026 (usage)'),
      ).toBeInTheDocument();
    });

    it('flags nothing without figures', async () => {
      await render(<EntityTierCard />, jest.fn().mockResolvedValue(app));
      expect(await screen.findByText('Vetted')).toBeInTheDocument();
      expect(
        screen.queryByText(/Enterprise listing|Idle|Last activity/),
      ).toBeNull();
    });
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
