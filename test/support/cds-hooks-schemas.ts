import Ajv from 'ajv';

/**
 * JSON Schemas of the CDS Hooks 2.0 discovery and service responses, written from the
 * specification (https://cds-hooks.hl7.org/2.0/) for the tests: what a CDS client may rely on.
 * No element is ever null (optional elements with no value are left out).
 */
const coding = {
  type: 'object',
  properties: {
    code: { type: 'string', minLength: 1 },
    system: { type: 'string', minLength: 1 },
    display: { type: 'string', minLength: 1 },
  },
  required: ['code'],
  additionalProperties: false,
};

const uuid = {
  type: 'string',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
};

const action = {
  type: 'object',
  properties: {
    type: { enum: ['create', 'update', 'delete'] },
    description: { type: 'string', minLength: 1 },
    resource: { type: 'object', required: ['resourceType'] },
    resourceId: { type: 'string' },
  },
  required: ['type', 'description'],
  additionalProperties: false,
  allOf: [
    { if: { properties: { type: { const: 'create' } } }, then: { required: ['resource'] } },
    { if: { properties: { type: { const: 'delete' } } }, then: { required: ['resourceId'] } },
  ],
};

const card = {
  type: 'object',
  properties: {
    uuid,
    summary: { type: 'string', minLength: 1, maxLength: 139 },
    detail: { type: 'string', minLength: 1 },
    indicator: { enum: ['info', 'warning', 'critical'] },
    source: {
      type: 'object',
      properties: {
        label: { type: 'string', minLength: 1 },
        url: { type: 'string', pattern: '^https?://' },
        icon: { type: 'string', pattern: '^https?://' },
        topic: coding,
      },
      required: ['label'],
      additionalProperties: false,
    },
    suggestions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          label: { type: 'string', minLength: 1 },
          uuid,
          isRecommended: { type: 'boolean' },
          actions: { type: 'array', items: action },
        },
        required: ['label'],
        additionalProperties: false,
      },
    },
    selectionBehavior: { enum: ['at-most-one', 'any'] },
    overrideReasons: {
      type: 'array',
      items: { ...coding, required: ['code', 'display'] },
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          label: { type: 'string', minLength: 1 },
          url: { type: 'string', pattern: '^https?://' },
          type: { enum: ['absolute', 'smart'] },
          appContext: { type: 'string' },
        },
        required: ['label', 'url', 'type'],
        additionalProperties: false,
        if: { properties: { type: { const: 'absolute' } } },
        then: { not: { required: ['appContext'] } },
      },
    },
  },
  required: ['summary', 'indicator', 'source'],
  additionalProperties: false,
  // Required when there are suggestions (CDS Hooks 2.0).
  if: { required: ['suggestions'] },
  then: { required: ['selectionBehavior'] },
};

export const serviceResponseSchema = {
  type: 'object',
  properties: {
    cards: { type: 'array', items: card },
    systemActions: { type: 'array', items: action },
  },
  required: ['cards'],
  additionalProperties: false,
};

export const discoveryResponseSchema = {
  type: 'object',
  properties: {
    services: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          hook: { type: 'string', minLength: 1 },
          title: { type: 'string', minLength: 1 },
          description: { type: 'string', minLength: 1 },
          id: { type: 'string', pattern: '^[A-Za-z0-9._~-]+$' },
          prefetch: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
          usageRequirements: { type: 'string' },
        },
        required: ['hook', 'description', 'id'],
        additionalProperties: false,
      },
    },
  },
  required: ['services'],
  additionalProperties: false,
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = {
  service: ajv.compile(serviceResponseSchema),
  discovery: ajv.compile(discoveryResponseSchema),
};

/** Schema errors of a response, as readable lines ([] when it conforms). */
export function cdsSchemaErrors(kind: 'service' | 'discovery', value: unknown): string[] {
  const validate = validators[kind];
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(top)'} ${e.message ?? ''}`);
}
