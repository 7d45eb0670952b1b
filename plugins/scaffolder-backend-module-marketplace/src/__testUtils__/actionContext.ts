import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

type Context = ActionContext<any, any>;

/**
 * A mock action context whose checkpoints behave as in a task that is retried: a key that
 * already succeeded returns its stored value without running again.
 */
export function createActionContext(
  options: Partial<Context> & {
    input: Context['input'];
    workspacePath: string;
    checkpoints?: Map<string, unknown>;
  },
): Context {
  const { checkpoints = new Map(), ...rest } = options;
  return {
    ...createMockActionContext(rest),
    // createMockActionContext drops these
    ...(rest.isDryRun !== undefined && { isDryRun: rest.isDryRun }),
    ...(rest.signal && { signal: rest.signal }),
    checkpoint: jest.fn(async ({ key, fn }) => {
      if (!checkpoints.has(key)) checkpoints.set(key, await fn());
      return checkpoints.get(key);
    }) as Context['checkpoint'],
  };
}

/** The outputs an action set, by name. */
export function outputsOf(ctx: Context): Record<string, unknown> {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}
