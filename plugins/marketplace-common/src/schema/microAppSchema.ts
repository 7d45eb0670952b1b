/**
 * The JSON Schema of `spec` of the MicroApp kind. It is the single source of truth: the
 * validator compiles it, `MicroAppSpec` is derived from it at the type level, and
 * `renderKindDocs` turns its descriptions into the reference table in the README.
 *
 * Unknown fields are refused (`additionalProperties: false`) so that a typo such as
 * `spec.cost.montlyForecast` is a processing error instead of a silently ignored field.
 *
 * @public
 */
export const microAppSpecSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'owner', 'cost'],
  properties: {
    type: {
      type: 'string',
      minLength: 1,
      description:
        'Free text like Component.spec.type, e.g. web-app, workflow, api.',
    },
    owner: {
      type: 'string',
      minLength: 1,
      description:
        'Entity ref of the owning group or user, e.g. group:default/finance-apps.',
    },
    tier: {
      type: 'string',
      enum: ['discover', 'vetted', 'enterprise'],
      description:
        'The requested tier (default discover). The effective tier is decided by the marketplace.',
    },
    template: {
      type: 'string',
      minLength: 1,
      description:
        'Entity ref of the template the app came from; its privilege baseline.',
    },
    audience: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description:
        'Entity refs of users or groups that may see the app while in Discover.',
    },
    support: {
      type: 'object',
      additionalProperties: false,
      description: 'Who supports the app and how fast.',
      properties: {
        roster: {
          type: 'string',
          minLength: 1,
          description:
            'Entity ref of the on-call group; required from Vetted on.',
        },
        contact: {
          type: 'string',
          minLength: 1,
          description: 'E-mail address or chat channel of the support team.',
        },
        slaTier: {
          type: 'string',
          enum: ['S1', 'S2', 'S3'],
          description: 'Support SLA: S1 (1 h response), S2 (4 h), S3 (24 h).',
        },
        runbook: {
          type: 'string',
          format: 'uri',
          description: 'URL of the runbook; required for Enterprise.',
        },
      },
    },
    data: {
      type: 'object',
      additionalProperties: false,
      description: 'The data the app handles.',
      properties: {
        classification: {
          type: 'string',
          enum: ['public', 'internal', 'confidential', 'restricted'],
          description: 'Data classification.',
        },
        residency: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Regions where the data may live, e.g. [eu].',
        },
      },
    },
    permissions: {
      type: 'array',
      description: "What the app's identity may do.",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['scope'],
        properties: {
          scope: {
            type: 'string',
            minLength: 1,
            description: 'The permission scope, e.g. expenses.write.',
          },
          justification: {
            type: 'string',
            description: 'Why the app needs the scope.',
          },
          pii: {
            type: 'boolean',
            description: 'True when the scope reaches personal data.',
          },
        },
      },
    },
    cost: {
      type: 'object',
      additionalProperties: false,
      required: ['center', 'monthlyForecast'],
      description: 'Who pays for the app and how much.',
      properties: {
        center: {
          type: 'string',
          minLength: 1,
          description: 'The cost center that pays, e.g. CC-4711.',
        },
        monthlyForecast: {
          type: 'number',
          minimum: 0,
          description: 'Forecast monthly cost in marketplace.cost.currency.',
        },
      },
    },
    dependsOn: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description:
        'Entity refs of what the app depends on, e.g. resource:default/expenses-db.',
    },
  },
} as const;

/**
 * The JSON Schema of a whole MicroApp entity. The envelope (`metadata`) is checked by the
 * catalog itself; this schema adds what is specific to the kind.
 *
 * @public
 */
export const microAppEntitySchema = {
  $id: 'MicroAppV1alpha1',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'microapps.dev/v1alpha1' },
    kind: { const: 'MicroApp' },
    metadata: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' } },
    },
    spec: microAppSpecSchema,
  },
} as const;
