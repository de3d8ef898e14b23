/**
 * JSON Schema of the trusted-issuers file: the shape only. Rules a schema says badly (exactly one
 * key source, asymmetric algorithms, URL scheme, usable inline keys) are checked in code by
 * `parseTrustedIssuers`, so their messages can say what to do.
 */
export const trustedIssuersSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    properties: {
      iss: { type: 'string', minLength: 1 },
      jwksUrl: { type: 'string', minLength: 1 },
      jwks: {
        type: 'object',
        properties: {
          keys: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              properties: { kty: { type: 'string' }, kid: { type: 'string', minLength: 1 } },
              required: ['kty', 'kid'],
            },
          },
        },
        required: ['keys'],
        additionalProperties: false,
      },
      tenants: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', minLength: 1 },
      },
      algorithms: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string' } },
    },
    required: ['iss'],
    additionalProperties: false,
  },
} as const;
