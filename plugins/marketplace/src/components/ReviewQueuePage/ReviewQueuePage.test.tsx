import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { PromotionRequest } from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import { ReviewQueuePage, waitingFor } from './ReviewQueuePage';

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
    { id: 'security', kind: 'human', state: 'pending', reviewers: [] },
    { id: 'cost', kind: 'human', state: 'approved', reviewers: [] },
  ],
});

function render(api: Partial<MarketplaceApi>) {
  return renderInTestApp(<ReviewQueuePage />, {
    apis: [[marketplaceApiRef, api as MarketplaceApi]],
  });
}

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
    expect(screen.getAllByText('security')).toHaveLength(2);
    expect(listPromotions).toHaveBeenCalledWith({ status: 'open', mine: true });
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
  });
});
