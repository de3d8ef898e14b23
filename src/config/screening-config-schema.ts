import type { JSONSchemaType } from 'ajv';
import type {
  CodeSystemAliases,
  CriteriaParameters,
  ValueSetFile,
  ValueSetEntry,
} from '../engine/config-types';

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const nonNegative = { type: 'number', minimum: 0 } as const;
const range = {
  type: 'array',
  items: [{ type: 'number' }, { type: 'number' }],
  minItems: 2,
  maxItems: 2,
} as const;

function object<P extends Record<string, unknown>>(properties: P) {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  } as const;
}

/** Schema of `criteria.json`. Every number of the rules document is here, named. */
export const criteriaSchema = object({
  id: { type: 'string', minLength: 1 },
  version: { type: 'string', minLength: 1 },
  timeZone: { type: 'string', minLength: 1 },
  age: object({ min: nonNegative, max: nonNegative }),
  bloodGas: object({
    lookbackHours: positive,
    fio2BeforeHours: nonNegative,
    fio2AfterMinutes: nonNegative,
    ventilatorSettingHours: nonNegative,
  }),
  thresholds: object({
    pfRatioMax: positive,
    peepMin: nonNegative,
    paco2Min: positive,
    plateauMin: positive,
    phMax: positive,
  }),
  plausibility: object({
    pao2: range,
    paco2: range,
    fio2: range,
    pfRatio: range,
    peep: range,
    plateau: range,
    ph: range,
  }),
  ventilation: object({
    episodeGapHours: positive,
    reintubationWindowHours: nonNegative,
    currentWithinHours: positive,
    minimumDays: nonNegative,
    extubationChartingGraceMinutes: nonNegative,
    tubeExchangeMinutes: nonNegative,
    requireCorroboration: { type: 'boolean' },
  }),
  weaning: object({ failedAttemptsMin: { type: 'integer', minimum: 1 }, prolongedDays: positive }),
  exclusions: object({
    solidCancerYears: positive,
    pregnancyStatusDays: positive,
    hcgDays: positive,
    breastfeedingDays: positive,
  }),
}) as unknown as JSONSchemaType<CriteriaParameters>;

/** Schema of `code-systems.json`: alias -> URIs. */
export const codeSystemsSchema = {
  type: 'object',
  minProperties: 1,
  additionalProperties: {
    type: 'object',
    properties: {
      uris: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      normalize: { type: 'string', enum: ['icd'] },
    },
    required: ['uris'],
    additionalProperties: false,
  },
} as unknown as JSONSchemaType<CodeSystemAliases>;

const entrySchema = {
  type: 'object',
  properties: {
    system: { type: 'string', minLength: 1 },
    code: { type: 'string', minLength: 1 },
    prefix: { type: 'string', minLength: 1 },
    range: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 2, maxItems: 2 },
    display: { type: 'string' },
    note: { type: 'string' },
  },
  required: ['system'],
  oneOf: [{ required: ['code'] }, { required: ['prefix'] }, { required: ['range'] }],
  additionalProperties: false,
} as unknown as JSONSchemaType<ValueSetEntry>;

/** Schema of one `value-sets/<id>.json` file. */
export const valueSetSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9-]+$' },
    title: { type: 'string', minLength: 1 },
    include: { type: 'array', items: entrySchema },
    exclude: { type: 'array', items: entrySchema, nullable: true },
    reject: { type: 'array', items: entrySchema, nullable: true },
    text: { type: 'array', items: { type: 'string', minLength: 1 }, nullable: true },
  },
  required: ['id', 'title', 'include'],
  additionalProperties: false,
} as unknown as JSONSchemaType<ValueSetFile>;
