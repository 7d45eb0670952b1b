import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { PromotionRequest } from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import { ReviewQueuePage, waitingFor } from './ReviewQueuePage';

const HOUR_MS = 60 * 60 * 1000;

const request = (
  id: string,
  updatedAt: string,
  entityRef = `microapp:default/${id}`,
): PromotionRequest => ({
  id,
  entityRef,
  fromTier: 'discover',
  targetTier: 'vetted',
  status: 'open',
  revision: 1,
  submitter: 'user:default/casey',
  createdAt: updatedAt,
  updatedAt,
  signoffs: [],
  stages: [
    { id: 'automated', kind: 'automated', state: 'passed' },
    {
      id: 'security',
      kind: 'human',
      state: 'pending',
      reviewers: [],
      mayReview: true,
    },
    {
      id: 'compliance',
      kind: 'human',
      state: 'pending',
      reviewers: [],
      mayReview: false,
    },
    { id: 'cost', kind: 'human', state: 'approved', reviewers: [] },
  ],
});

/** An ISO time this many hours ago. */
const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * HOUR_MS).toISOString();

function render(
  api: Partial<MarketplaceApi>,
  options: {
    getEntitiesByRefs?: jest.Mock;
    config?: NonNullable<Parameters<typeof renderInTestApp>[1]>['config'];
  } = {},
) {
  const getEntitiesByRefs =
    options.getEntitiesByRefs ??
    jest.fn(async ({ entityRefs }: { entityRefs: string[] }) => ({
      items: entityRefs.map(() => undefined),
    }));
  return renderInTestApp(<ReviewQueuePage />, {
    apis: [
      [marketplaceApiRef, api as MarketplaceApi],
      [catalogApiRef, catalogApiMock.mock({ getEntitiesByRefs })],
    ],
    ...(options.config && { config: options.config }),
  });
}

/** The table's rows below the header, as lists of cells. */
const rowCells = () =>
  within(screen.getByRole('table', { name: 'Promotion requests' }))
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell'));

describe('ReviewQueuePage', () => {
  it("lists the requests waiting for the user's stages, oldest first, linked to their Governance tab", async () => {
    const listPromotions = jest.fn().mockResolvedValue({
      items: [
        request('newer-app', '2026-11-28T10:00:00.000Z'),
        request('older-app', '2026-11-20T10:00:00.000Z'),
      ],
    });
    await render({ listPromotions });
    const links = await screen.findAllByRole('link', {
      name: /microapp:default/,
    });
    expect(links.map(l => l.textContent)).toEqual([
      'microapp:default/older-app',
      'microapp:default/newer-app',
    ]);
    expect(links[0]).toHaveAttribute(
      'href',
      '/catalog/default/microapp/older-app/governance',
    );
    // only the stages the user may sign; compliance waits for others
    expect(screen.getAllByText('security')).toHaveLength(2);
    expect(screen.queryByText(/compliance/)).toBeNull();
    expect(listPromotions).toHaveBeenCalledWith({ status: 'open', mine: true });
  });

  it("shows the apps' titles, read from the catalog in one call, linked to their Governance tab", async () => {
    const getEntitiesByRefs = jest.fn().mockResolvedValue({
      items: [
        {
          kind: 'MicroApp',
          metadata: {
            namespace: 'default',
            name: 'pay-widget',
            title: 'Pay Widget',
          },
        },
        undefined,
      ],
    });
    await render(
      {
        listPromotions: jest.fn().mockResolvedValue({
          items: [
            request('pay-widget', hoursAgo(5)),
            request('untitled-app', hoursAgo(4)),
          ],
        }),
      },
      { getEntitiesByRefs },
    );
    expect(
      await screen.findByRole('link', { name: 'Pay Widget' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/microapp/pay-widget/governance',
    );
    // no title: the ref
    expect(
      screen.getByRole('link', { name: 'microapp:default/untitled-app' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/microapp/untitled-app/governance',
    );
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'microapp:default/pay-widget',
        'microapp:default/untitled-app',
      ],
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
    });
  });

  it('falls back to the refs when the catalog does not answer', async () => {
    await render(
      {
        listPromotions: jest.fn().mockResolvedValue({
          items: [request('pay-widget', hoursAgo(5))],
        }),
      },
      { getEntitiesByRefs: jest.fn().mockRejectedValue(new Error('down')) },
    );
    expect(
      await screen.findByRole('link', { name: 'microapp:default/pay-widget' }),
    ).toBeInTheDocument();
  });

  it('sorts overdue requests first and says so in words; all waiting stages on All pending', async () => {
    const listPromotions = jest.fn().mockResolvedValue({
      items: [
        request('recent-app', hoursAgo(2)),
        request('stale-app', '2020-01-01T00:00:00.000Z'),
      ],
    });
    await render({ listPromotions });
    fireEvent.click(screen.getByRole('tab', { name: 'All pending' }));
    await waitFor(() =>
      expect(listPromotions).toHaveBeenLastCalledWith({
        status: 'open',
        mine: undefined,
      }),
    );
    await screen.findByRole('link', { name: 'microapp:default/stale-app' });
    const [stale, recent] = rowCells();
    expect(stale[0]).toHaveTextContent('microapp:default/stale-app');
    expect(stale[6]).toHaveTextContent(/^Overdue by \d+ days$/);
    // due 72 hours after the last change
    expect(
      within(stale[6])
        .getByText(/Overdue/)
        .closest('time'),
    ).toHaveAttribute('dateTime', '2020-01-04T00:00:00.000Z');
    expect(recent[0]).toHaveTextContent('microapp:default/recent-app');
    expect(recent[6]).toHaveTextContent('in 2 days');
    expect(recent[5]).toHaveTextContent('2 hours');
    // every waiting stage, whoever may sign it
    expect(recent[2]).toHaveTextContent('security, compliance');
  });

  it('takes the due time from marketplace.reviews.dueAfterHours', async () => {
    const updatedAt = hoursAgo(3);
    await render(
      {
        listPromotions: jest.fn().mockResolvedValue({
          items: [request('pay-widget', updatedAt)],
        }),
      },
      { config: { marketplace: { reviews: { dueAfterHours: 1 } } } },
    );
    await screen.findByRole('link', { name: 'microapp:default/pay-widget' });
    const [[, , , , , , due]] = rowCells();
    expect(due).toHaveTextContent('Overdue by 2 hours');
    expect(due.querySelector('time')).toHaveAttribute(
      'dateTime',
      new Date(Date.parse(updatedAt) + HOUR_MS).toISOString(),
    );
  });

  it('shows progress while the requests load', async () => {
    await render({ listPromotions: jest.fn(() => new Promise(() => {})) });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByText('Nothing waiting for you')).toBeNull();
  });

  it('switches to all pending requests, and says when nothing waits', async () => {
    const listPromotions = jest.fn().mockResolvedValue({ items: [] });
    await render({ listPromotions });
    expect(
      await screen.findByText('Nothing waiting for you'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'All pending' }));
    await waitFor(() =>
      expect(listPromotions).toHaveBeenLastCalledWith({
        status: 'open',
        mine: undefined,
      }),
    );
    expect(await screen.findByText('No open requests')).toBeInTheDocument();
  });

  it('shows the error of the backend', async () => {
    await render({
      listPromotions: jest
        .fn()
        .mockRejectedValue(new Error('queue unavailable')),
    });
    const [message] = await screen.findAllByText(/queue unavailable/);
    expect(message).toBeInTheDocument();
  });

  it('writes how long a request has waited', () => {
    const now = Date.parse('2026-11-28T12:00:00.000Z');
    expect(waitingFor('2026-11-28T07:00:00.000Z', now)).toBe('5 hours');
    expect(waitingFor('2026-11-27T11:00:00.000Z', now)).toBe('1 day');
    expect(waitingFor('2026-11-20T12:00:00.000Z', now)).toBe('8 days');
    expect(waitingFor('2026-11-28T11:30:00.000Z', now)).toBe(
      'less than an hour',
    );
  });
});
