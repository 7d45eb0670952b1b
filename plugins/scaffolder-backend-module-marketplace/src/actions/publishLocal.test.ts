import { existsSync, readdirSync } from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createActionContext, outputsOf } from '../__testUtils__/actionContext';
import { createPublishLocalAction } from './publishLocal';

describe('marketplace:publish:local', () => {
  const mockDir = createMockDirectory();
  const workspace = mockDir.resolve('workspace');
  const published = mockDir.resolve('published');
  const action = createPublishLocalAction({
    config: new ConfigReader({
      marketplace: { scaffolder: { localPublish: { directory: published } } },
    }),
  });

  afterEach(() => jest.restoreAllMocks());
  beforeEach(() =>
    mockDir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: MicroApp\n',
        'src/index.js': 'console.log(1);\n',
        '.git/HEAD': 'ref: refs/heads/main\n',
        'node_modules/ms/index.js': '',
        '.gitignore': 'node_modules\n',
      },
    }),
  );

  const run = async (
    options: {
      name?: string;
      isDryRun?: boolean;
      checkpoints?: Map<string, unknown>;
    } = {},
    act = action,
  ) => {
    const ctx = createActionContext({
      input: { name: options.name ?? 'expense-helper' },
      workspacePath: workspace,
      isDryRun: options.isDryRun,
      checkpoints: options.checkpoints,
    });
    await act.handler(ctx);
    return ctx;
  };

  it('copies the workspace without .git and node_modules', async () => {
    const ctx = await run();
    const target = mockDir.resolve('published/expense-helper');
    expect(outputsOf(ctx)).toEqual({
      remoteUrl: `file://${target}`,
      path: target,
      catalogInfoUrl: `${target}/catalog-info.yaml`,
    });
    expect(mockDir.content({ path: 'published' })).toEqual({
      'expense-helper': {
        'catalog-info.yaml': 'kind: MicroApp\n',
        '.gitignore': Buffer.from('node_modules\n'),
        src: { 'index.js': 'console.log(1);\n' },
      },
    });
  });

  it('refuses a folder that exists, and does not copy again when the task is retried', async () => {
    const checkpoints = new Map<string, unknown>();
    await run({ checkpoints });
    await expect(run({ checkpoints })).resolves.toBeDefined();
    await expect(run()).rejects.toThrow(
      /name: .*published\/expense-helper already exists; choose another name/,
    );
    // no staging folders left behind
    expect(readdirSync(published)).toEqual(['expense-helper']);
  });

  it('resolves a relative directory against the working directory', async () => {
    jest.spyOn(process, 'cwd').mockReturnValue(mockDir.path);
    const relative = createPublishLocalAction({
      config: new ConfigReader({
        marketplace: { scaffolder: { localPublish: { directory: 'apps' } } },
      }),
    });
    const ctx = await run({}, relative);
    expect(outputsOf(ctx).path).toBe(mockDir.resolve('apps/expense-helper'));
    expect(
      existsSync(mockDir.resolve('apps/expense-helper/src/index.js')),
    ).toBe(true);
  });

  it('refuses to run unless configured, and names that are not entity names', async () => {
    const unconfigured = createPublishLocalAction({
      config: new ConfigReader({}),
    });
    await expect(run({}, unconfigured)).rejects.toThrow(
      'marketplace.scaffolder.localPublish.directory is not set',
    );
    await expect(run({ name: '../escape' })).rejects.toThrow(
      "name must be a valid entity name (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), got '../escape'",
    );
  });

  it('copies nothing in a dry run, but computes the outputs and refuses an existing folder', async () => {
    const ctx = await run({ isDryRun: true });
    expect(outputsOf(ctx).path).toBe(
      mockDir.resolve('published/expense-helper'),
    );
    expect(existsSync(published)).toBe(false);
    expect(ctx.checkpoint).not.toHaveBeenCalled();

    await run();
    await expect(run({ isDryRun: true })).rejects.toThrow(/already exists/);
  });
});
