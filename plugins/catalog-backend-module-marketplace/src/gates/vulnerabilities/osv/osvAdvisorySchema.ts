// The subset of the OSV JSON schema the gate depends on. Optional fields may be null, as
// some stored advisories have them; `fixed: ""` is allowed and read as "no fix".

const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const strings = { type: 'array', items: { type: 'string' } };
const severities = {
  type: 'array',
  items: {
    type: 'object',
    required: ['type', 'score'],
    properties: { type: { type: 'string' }, score: { type: 'string' } },
  },
};
const eventKeys = ['introduced', 'fixed', 'last_affected', 'limit'];

/**
 * JSON schema of the advisories the gate accepts.
 *
 * @internal
 */
export const OSV_ADVISORY_SCHEMA = {
  type: 'object',
  required: ['id', 'modified'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 256 },
    modified: { type: 'string', minLength: 1 },
    published: nullable({ type: 'string' }),
    withdrawn: nullable({ type: 'string' }),
    aliases: nullable(strings),
    summary: nullable({ type: 'string' }),
    details: nullable({ type: 'string' }),
    severity: nullable(severities),
    database_specific: nullable({ type: 'object' }),
    affected: nullable({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          package: nullable({
            type: 'object',
            required: ['ecosystem', 'name'],
            properties: {
              ecosystem: { type: 'string', minLength: 1 },
              name: { type: 'string', minLength: 1 },
              purl: { type: 'string' },
            },
          }),
          ranges: nullable({
            type: 'array',
            items: {
              type: 'object',
              required: ['type', 'events'],
              properties: {
                type: { type: 'string' },
                repo: { type: 'string' },
                events: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    properties: Object.fromEntries(
                      eventKeys.map(k => [k, { type: 'string' }]),
                    ),
                    oneOf: eventKeys.map(k => ({ required: [k] })),
                  },
                },
              },
            },
          }),
          versions: nullable(strings),
          severity: nullable(severities),
          database_specific: nullable({ type: 'object' }),
          ecosystem_specific: nullable({ type: 'object' }),
        },
      },
    }),
  },
};
