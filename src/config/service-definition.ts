import { join } from 'node:path';
import Ajv, { type JSONSchemaType } from 'ajv';
import type { ScreeningConfig } from '../engine/config-types';
import type { CandidateClassification } from '../engine/types';
import { requiredValueSetIds } from '../engine/data-requirements';
import { DEFAULT_SERVICE_DIR, loadScreeningConfig } from './load-screening-config';
import {
  ConfigError,
  describeSchemaErrors,
  readJsonFile,
  deepFreeze,
  shownPath,
} from './config-file';

/** The CDS Hooks this service answers. */
export const SUPPORTED_HOOKS = ['patient-view', 'encounter-start'] as const;
export type SupportedHook = (typeof SUPPORTED_HOOKS)[number];

/** An override reason offered on every card (CDS Hooks 2.0 `overrideReasons`). */
export interface OverrideReasonSetting {
  code: string;
  display: string;
}

export interface CardSettings {
  /** Which classifications get a card: `likely` always; `possible` if the site wants it. */
  classifications: CandidateClassification[];
  /** Days a card stays hidden after it was accepted or overridden with a suppressing reason. */
  suppressionDays: number;
  /** Override reason codes that hide the card for {@link suppressionDays}. */
  suppressingOverrideReasons: string[];
  overrideReasons: OverrideReasonSetting[];
  /** Who the "notify the study team" suggestion addresses. */
  studyTeam: { display: string; reference?: string };
  /** The resource the suggestion creates. */
  referralResource: 'ServiceRequest' | 'Communication';
}

export interface DataPlanSettings {
  /** `_count` of every search (the server may give less; `next` links are followed). */
  pageSize: number;
  /**
   * Search parameter for Observation codes. `code` matches Observation.code only, so blood gas
   * panel codes are searched as well; `combo-code` also matches component codes, where a server
   * supports it.
   */
  observationCodeParam: 'code' | 'combo-code';
  /**
   * Live fetch only: how far back ventilator settings and procedures are read, in days; null
   * reads the whole record. Prefetch templates cannot carry a date (CDS Hooks 2.0 has no date
   * tokens), so prefetched data are never cut.
   */
  ventilationHistoryDays: number | null;
}

/** Everything that defines the `stellar-screening` CDS service, loaded from its folder. */
export interface ServiceDefinition {
  id: string;
  title: string;
  description: string;
  hooks: SupportedHook[];
  usageRequirements?: string;
  trial: { name: string; nctId: string; title: string; registryUrl: string };
  dataPlan: DataPlanSettings;
  cards: CardSettings;
  screening: ScreeningConfig;
}

type ServiceFile = Omit<ServiceDefinition, 'screening'>;

const text = { type: 'string', minLength: 1 } as const;
const serviceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9-]+$' },
    title: text,
    description: text,
    hooks: {
      type: 'array',
      items: { type: 'string', enum: [...SUPPORTED_HOOKS] },
      minItems: 1,
      uniqueItems: true,
    },
    usageRequirements: { ...text, nullable: true },
    trial: {
      type: 'object',
      properties: {
        name: text,
        nctId: { type: 'string', pattern: '^NCT[0-9]{8}$' },
        title: text,
        registryUrl: { type: 'string', pattern: '^https://' },
      },
      required: ['name', 'nctId', 'title', 'registryUrl'],
      additionalProperties: false,
    },
    dataPlan: {
      type: 'object',
      properties: {
        pageSize: { type: 'integer', minimum: 1, maximum: 10000 },
        observationCodeParam: { type: 'string', enum: ['code', 'combo-code'] },
        ventilationHistoryDays: { type: 'number', exclusiveMinimum: 0, nullable: true },
      },
      required: ['pageSize', 'observationCodeParam', 'ventilationHistoryDays'],
      additionalProperties: false,
    },
    cards: {
      type: 'object',
      properties: {
        classifications: {
          type: 'array',
          items: { type: 'string', enum: ['likely', 'possible'] },
          uniqueItems: true,
        },
        suppressionDays: { type: 'number', minimum: 0 },
        suppressingOverrideReasons: { type: 'array', items: text },
        overrideReasons: {
          type: 'array',
          items: {
            type: 'object',
            properties: { code: { type: 'string', pattern: '^[a-z0-9-]+$' }, display: text },
            required: ['code', 'display'],
            additionalProperties: false,
          },
        },
        studyTeam: {
          type: 'object',
          properties: { display: text, reference: { ...text, nullable: true } },
          required: ['display'],
          additionalProperties: false,
        },
        referralResource: { type: 'string', enum: ['ServiceRequest', 'Communication'] },
      },
      required: [
        'classifications',
        'suppressionDays',
        'suppressingOverrideReasons',
        'overrideReasons',
        'studyTeam',
        'referralResource',
      ],
      additionalProperties: false,
    },
  },
  required: ['id', 'title', 'description', 'hooks', 'trial', 'dataPlan', 'cards'],
  additionalProperties: false,
} as unknown as JSONSchemaType<ServiceFile>;

const validateService = new Ajv({ allErrors: true, strict: true }).compile(serviceSchema);

/**
 * Reads a CDS service's folder (`service.json` plus the screening criteria and value sets) and
 * validates it, so discovery, data plan, cards and rules all come from one place and a site's
 * bad edit stops start-up with a message naming the file and the field.
 */
export function loadServiceDefinition(dir: string = DEFAULT_SERVICE_DIR): ServiceDefinition {
  const file = join(dir, 'service.json');
  const shown = shownPath(file);
  const service = readJsonFile(file, shown);
  if (!validateService(service)) {
    throw new ConfigError(`${shown}: ${describeSchemaErrors(validateService.errors)}`);
  }
  const codes = new Set(service.cards.overrideReasons.map((r) => r.code));
  for (const [i, code] of service.cards.suppressingOverrideReasons.entries()) {
    if (!codes.has(code)) {
      throw new ConfigError(
        `${shown}: /cards/suppressingOverrideReasons/${i} "${code}" is not one of /cards/overrideReasons`,
      );
    }
  }
  const screening = loadScreeningConfig(dir);
  if (screening.criteria.id !== service.id) {
    throw new ConfigError(
      `${shown}: /id "${service.id}" differs from criteria.json /id "${screening.criteria.id}"`,
    );
  }
  // The data plan searches value sets beyond the engine's own (blood-gas panels).
  for (const id of requiredValueSetIds()) {
    if (!screening.valueSets[id]) {
      throw new ConfigError(`${shownPath(join(dir, 'value-sets'))}: missing value set ${id}.json`);
    }
  }
  return deepFreeze({ ...service, screening });
}
