import { mockServices } from '@backstage/backend-test-utils';
import { Notifier } from './Notifier';

describe('Notifier', () => {
  it('sends each notice to its entities under the marketplace topic, skips empty ones, and logs failures', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new Error('notifications backend down'))
      .mockResolvedValue(undefined);
    const logger = mockServices.logger.mock();
    const notifier = new Notifier({ notifications: { send }, logger });
    await notifier.send([
      { to: ['group:default/a'], title: 'first', description: 'd', link: '/a' },
      { to: [], title: 'nobody', description: 'd', link: '/b' },
      {
        to: ['microapp:default/x'],
        title: 'second',
        description: 'd',
        link: '/c',
        severity: 'high',
      },
    ]);
    expect(send).toHaveBeenCalledTimes(2);
    expect(send).toHaveBeenLastCalledWith({
      recipients: { type: 'entity', entityRef: ['microapp:default/x'] },
      payload: {
        title: 'second',
        description: 'd',
        link: '/c',
        severity: 'high',
        topic: 'marketplace',
      },
    });
    await notifier.send([
      {
        to: ['group:default/security-reviewers'],
        exclude: ['user:default/sam'],
        title: 'third',
        description: 'd',
        link: '/d',
      },
    ]);
    expect(send).toHaveBeenLastCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/security-reviewers'],
          excludeEntityRef: ['user:default/sam'],
        },
      }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("Could not send 'first'"),
      { recipients: 'group:default/a' },
    );
  });
});
