// Deliberately open (other properties are allowed): the full SPDX schema would refuse
// documents for fields no gate reads.
/**
 * JSON Schema for the parts of an SPDX 2.3 JSON document that the marketplace relies on.
 *
 * @internal
 */
export const SPDX_2_3_SCHEMA = {
  type: 'object',
  required: ['spdxVersion', 'SPDXID', 'name'],
  properties: {
    spdxVersion: { const: 'SPDX-2.3' },
    SPDXID: { const: 'SPDXRef-DOCUMENT' },
    name: { type: 'string', minLength: 1 },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['SPDXID', 'name'],
        properties: {
          SPDXID: { type: 'string', pattern: '^SPDXRef-[A-Za-z0-9.-]+$' },
          name: { type: 'string', minLength: 1 },
          versionInfo: { type: 'string' },
          licenseConcluded: { type: 'string', minLength: 1 },
          licenseDeclared: { type: 'string', minLength: 1 },
          externalRefs: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'referenceCategory',
                'referenceType',
                'referenceLocator',
              ],
              properties: {
                // SPDX 2.3 accepts both spellings.
                referenceCategory: {
                  enum: [
                    'SECURITY',
                    'PACKAGE-MANAGER',
                    'PACKAGE_MANAGER',
                    'PERSISTENT-ID',
                    'PERSISTENT_ID',
                    'OTHER',
                  ],
                },
                referenceType: { type: 'string', minLength: 1 },
                referenceLocator: { type: 'string', minLength: 1 },
              },
              if: {
                properties: { referenceType: { const: 'purl' } },
                required: ['referenceType'],
              },
              then: {
                properties: {
                  referenceCategory: {
                    enum: ['PACKAGE-MANAGER', 'PACKAGE_MANAGER'],
                  },
                  referenceLocator: {
                    type: 'string',
                    pattern: '^pkg:[A-Za-z.+-][A-Za-z0-9.+-]*/\\S+$',
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The shape {@link SPDX_2_3_SCHEMA} guarantees. @internal */
export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  SPDXID: string;
  name: string;
  packages?: Array<{
    SPDXID: string;
    name: string;
    versionInfo?: string;
    licenseConcluded?: string;
    licenseDeclared?: string;
    externalRefs?: Array<{
      referenceCategory: string;
      referenceType: string;
      referenceLocator: string;
    }>;
  }>;
}
