import { CustomErrorBase } from '@backstage/errors';

/** A request body over its size limit: Backstage's error handler answers its `statusCode`, 413. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  readonly statusCode = 413;
}
