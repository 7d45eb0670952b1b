import type { NextFunction, Request, Response } from 'express';
import { boundedJsonParser, type KeyedLimit } from './boundedJsonParser';

/**
 * Parses the JSON body of `POST` requests to one route with that route's own size limit, for
 * routes whose bodies are legitimately bigger than the others' (metrics, gate runs). The
 * general parser after it leaves the body it read alone.
 */
export function routeBodyParser(options: {
  route: RegExp;
  maxBytes: KeyedLimit;
  maxDepth: KeyedLimit;
}) {
  const parse = boundedJsonParser(options);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST' && options.route.test(req.path)) {
      parse(req, res, next);
      return;
    }
    next();
  };
}
