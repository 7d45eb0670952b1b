import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { InputError } from '@backstage/errors';
import { findTooDeep } from './jsonDepth';
import { PayloadTooLargeError } from './PayloadTooLargeError';

/** A limit and the config key that sets it, for the error that names both. */
export type KeyedLimit = { limit: number; key: string };

/**
 * express.json with a size limit (413 naming the limit and its key, instead of body-parser's
 * bare "request entity too large") and a depth limit (400 naming where the body is too
 * deep). A body an earlier parser read is left as it is: that parser checked it.
 */
export function boundedJsonParser(bounds: {
  maxBytes: KeyedLimit;
  maxDepth: KeyedLimit;
}) {
  const { maxBytes, maxDepth } = bounds;
  const parse = express.json({ limit: maxBytes.limit });
  return (req: Request, res: Response, next: NextFunction) => {
    // body-parser's own mark of a body already read
    if ((req as { _body?: boolean })._body) {
      next();
      return;
    }
    parse(req, res, (error?: any) => {
      if (error?.type === 'entity.too.large') {
        // `length` comes from content-length, which a chunked body has not
        const size = error.length
          ? `of ${error.length} bytes`
          : `of more than ${maxBytes.limit} bytes`;
        next(
          new PayloadTooLargeError(
            `request body ${size} is over the limit of ${maxBytes.limit} bytes (${maxBytes.key})`,
          ),
        );
        return;
      }
      if (error) {
        // bad JSON or charset: a 400 naming it, as the OpenAPI router made of it before
        next(new InputError(error.message));
        return;
      }
      const deep = findTooDeep(req.body, maxDepth.limit);
      if (deep) {
        next(
          new InputError(
            `request/body${deep.pointer} is nested ${deep.depth} levels deep, over the limit of ${maxDepth.limit} (${maxDepth.key})`,
          ),
        );
        return;
      }
      next();
    });
  };
}
