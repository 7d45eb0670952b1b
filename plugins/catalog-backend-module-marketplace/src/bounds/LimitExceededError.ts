import { CustomErrorBase, isError } from '@backstage/errors';

/**
 * An input was over one of the module's bounds (bytes, count, depth, time). Gates report it
 * as `error`, never `fail`: the input was not judged, it was refused unread.
 *
 * @internal
 */
export class LimitExceededError extends CustomErrorBase {
  name = 'LimitExceededError' as const;

  constructor(
    message: string,
    /** The option that was exceeded, e.g. `maxBytes` or `timeoutMs`. */
    readonly limit?: string,
  ) {
    super(message);
  }
}

/**
 * Whether an error is a {@link LimitExceededError}; by name, as errors may cross a cache.
 *
 * @internal
 */
export function isLimitExceededError(
  error: unknown,
): error is LimitExceededError {
  return isError(error) && error.name === 'LimitExceededError';
}
