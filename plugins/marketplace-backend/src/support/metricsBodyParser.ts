import express from 'express';
import type { NextFunction, Request, Response } from 'express';

const METRICS_ROUTE = /^\/apps\/[^/]+\/[^/]+\/metrics$/;

/**
 * Parses the JSON body of `POST /apps/{namespace}/{name}/metrics` with a limit that fits its
 * bounds (10,000 samples and 1,000 incidents are about 2 MB; express.json's default is
 * 100 kB). Other routes keep the default: the next `express.json()` sees the body parsed.
 */
export function metricsBodyParser() {
  const parse = express.json({ limit: '5mb' });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST' && METRICS_ROUTE.test(req.path)) {
      parse(req, res, next);
      return;
    }
    next();
  };
}
