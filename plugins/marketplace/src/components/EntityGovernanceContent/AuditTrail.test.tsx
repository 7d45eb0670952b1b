import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import { MarketplaceApi, marketplaceApiRef } from '../../api';
import { AuditTrail, auditDetails } from './AuditTrail';

const entry = (
  seq: number,
  action: string,
  data: Record<string, unknown>,
): AuditEntry => ({
  seq,
  at: `2026-11-28T1${seq}:00:00.000Z`,
  actor: 'user:default/sam',
  action,
  entityRef: 'microapp:default/ledger',
  data,
  prevHash: '0'.repeat(64),
  hash: `${seq}`.repeat(64),
});

describe('AuditTrail', () => {
  it('lists the entries newest first with what they changed and their hash', async () => {
    const listAudit = jest.fn().mockResolvedValue({
      items: [
        entry(1, 'promotion.created', { targetTier: 'vetted' }),
        entry(2, 'signoff.recorded', {
          stage: 'security',
          decision: 'approve',
          comment: 'ok',
          tierChange: { from: 'discover', to: 'vetted' },
        }),
      ],
    });
    await renderInTestApp(<AuditTrail entityRef="microapp:default/ledger" />, {
      apis: [[marketplaceApiRef, { listAudit } as unknown as MarketplaceApi]],
    });
    const rows = await screen.findAllByRole('row');
    expect(rows[1]).toHaveTextContent('signoff.recorded');
    expect(rows[1]).toHaveTextContent(
      'stage security · approve · tier discover → vetted · “ok”',
    );
    expect(rows[2]).toHaveTextContent('promotion.created');
    expect(rows[2]).toHaveTextContent('111111111111…');
    expect(listAudit).toHaveBeenCalledWith({
      entityRef: 'microapp:default/ledger',
      limit: 1000,
    });
  });

  it('says when nothing is recorded', async () => {
    await renderInTestApp(<AuditTrail entityRef="microapp:default/x" />, {
      apis: [
        [
          marketplaceApiRef,
          {
            listAudit: jest.fn().mockResolvedValue({ items: [] }),
          } as unknown as MarketplaceApi,
        ],
      ],
    });
    expect(
      await screen.findByText('Nothing recorded yet.'),
    ).toBeInTheDocument();
  });

  it('describes an exception by its gate and finding', () => {
    expect(
      auditDetails(
        entry(3, 'exception.granted', {
          gateId: 'secrets',
          findingId: 's1',
          reason: 'test key',
        }),
      ),
    ).toBe('gate secrets · finding s1 · “test key”');
    const expiresAt = '2027-01-28T09:00:00.000Z';
    expect(
      auditDetails(
        entry(4, 'app.registered', {
          tier: 'discover',
          registeredBy: 'user:default/casey',
          expiresAt,
        }),
      ),
    ).toBe(
      `by user:default/casey · expires ${new Date(
        expiresAt,
      ).toLocaleDateString()}`,
    );
  });
});
