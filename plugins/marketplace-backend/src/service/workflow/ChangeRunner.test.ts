import { mockServices } from '@backstage/backend-test-utils';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import { ChangeRunner } from './ChangeRunner';

const entry: AuditEntry = {
  seq: 7,
  at: '2026-11-28T12:00:00.000Z',
  actor: 'user:default/sam',
  action: 'signoff.recorded',
  entityRef: 'microapp:default/ledger',
  data: { stage: 'security', decision: 'approve' },
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};

function setup(options: { failNotify?: boolean; failRefresh?: boolean } = {}) {
  const auditor = mockServices.auditor.mock();
  const success = jest.fn();
  auditor.createEvent.mockResolvedValue({ success, fail: jest.fn() });
  const send = jest.fn(async () => {
    if (options.failNotify) throw new Error('notifications down');
  });
  const refresh = jest.fn(async () => {
    if (options.failRefresh) throw new Error('catalog down');
  });
  const logger = mockServices.logger.mock();
  const store = {
    inAppTransaction: jest.fn(async (_ref: string, fn: any) => fn({})),
  };
  const runner = new ChangeRunner({
    store: store as any,
    directory: { refresh } as any,
    notifier: { send } as any,
    auditor,
    logger,
  });
  return { runner, auditor, success, send, refresh, logger, store };
}

describe('ChangeRunner', () => {
  it('reports each audit entry to the auditor, then notifies and refreshes, after the change', async () => {
    const { runner, auditor, success, send, refresh } = setup();
    const notice = {
      to: ['group:default/a'],
      title: 't',
      description: 'd',
      link: '/x',
    };
    const result = await runner.run('microapp:default/ledger', async () => ({
      result: 42,
      audit: [entry],
      notices: [notice],
      refresh: ['microapp:default/ledger'],
    }));
    expect(result).toBe(42);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'marketplace-signoff-recorded',
      severityLevel: 'high',
      meta: {
        seq: 7,
        hash: entry.hash,
        actor: entry.actor,
        entityRef: entry.entityRef,
        data: entry.data,
      },
    });
    expect(success).toHaveBeenCalled();
    expect(send).toHaveBeenCalledWith([notice]);
    expect(refresh).toHaveBeenCalledWith('microapp:default/ledger');
  });

  it('does nothing after a change that failed', async () => {
    const { runner, auditor, send, refresh } = setup();
    await expect(
      runner.run('microapp:default/ledger', async () => {
        throw new Error('conflict');
      }),
    ).rejects.toThrow('conflict');
    expect(auditor.createEvent).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
    expect(refresh).not.toHaveBeenCalled();
  });

  it('logs, never fails, when the catalog cannot refresh after a committed change', async () => {
    const { runner, logger } = setup({ failRefresh: true });
    await expect(
      runner.run('microapp:default/ledger', async () => ({
        result: 'done',
        audit: [entry],
        refresh: ['microapp:default/ledger'],
      })),
    ).resolves.toBe('done');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("Could not refresh 'microapp:default/ledger'"),
    );
  });
});
