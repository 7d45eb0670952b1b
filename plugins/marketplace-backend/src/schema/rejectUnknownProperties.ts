import { InputError } from '@backstage/errors';
import type { NextFunction, Request, Response } from 'express';

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, unknown>;
  additionalProperties?: boolean;
};
type Spec = {
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, Schema> };
};

/**
 * Names the unknown property of a request body. The OpenAPI validator refuses it too, but
 * its message ("must NOT have additional properties") does not say which one, and the bad
 * input rule is that the error names what is wrong. Runs before the validator, top level
 * only, for bodies whose schema forbids extra properties.
 */
export function rejectUnknownProperties(openApiSpec: unknown) {
  const spec = openApiSpec as Spec;
  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref
      ? spec.components?.schemas?.[schema.$ref.split('/').pop()!]
      : schema;
  const routes = Object.entries(spec.paths).flatMap(([template, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => {
      const schema = resolve(
        operation?.requestBody?.content?.['application/json']?.schema,
      );
      if (!schema?.properties || schema.additionalProperties !== false) {
        return [];
      }
      const pattern = new RegExp(
        `^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`,
      );
      return [{ method: method.toUpperCase(), pattern, schema }];
    }),
  );

  return (req: Request, _res: Response, next: NextFunction) => {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      next();
      return;
    }
    const route = routes.find(
      r => r.method === req.method && r.pattern.test(req.path),
    );
    const unknown = route
      ? Object.keys(body).filter(
          key => !Object.hasOwn(route.schema.properties!, key),
        )
      : [];
    if (unknown.length) {
      next(
        new InputError(
          `request/body has unknown propert${
            unknown.length === 1 ? 'y' : 'ies'
          } ${unknown.map(k => `'${k}'`).join(', ')}; allowed: ${Object.keys(
            route!.schema.properties!,
          ).join(', ')}`,
        ),
      );
      return;
    }
    next();
  };
}
