import Ajv, { type JSONSchemaType } from 'ajv';
import { describeSchemaErrors } from '../config/config-file';
import { ServiceError } from '../errors/service-error';
import { parseIsoInstant } from '../store/iso-instant';
import type { CdsFeedbackRequest } from './cds-hooks-types';

/** More feedback items in one call than any EHR sends; a cap keeps one request bounded. */
export const MAX_FEEDBACK_ITEMS = 500;

const coding = {
  type: 'object',
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 200 },
    system: { type: 'string', maxLength: 500, nullable: true },
    display: { type: 'string', maxLength: 1000, nullable: true },
  },
  required: ['code'],
} as const;

const feedbackSchema = {
  type: 'object',
  properties: {
    feedback: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_FEEDBACK_ITEMS,
      items: {
        type: 'object',
        properties: {
          card: { type: 'string', minLength: 1, maxLength: 200 },
          outcome: { type: 'string', enum: ['accepted', 'overridden'] },
          acceptedSuggestions: {
            type: 'array',
            maxItems: 50,
            items: {
              type: 'object',
              properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
              required: ['id'],
            },
            nullable: true,
          },
          overrideReason: {
            type: 'object',
            properties: {
              reason: { ...coding, nullable: true },
              userComment: { type: 'string', maxLength: 10000, nullable: true },
            },
            nullable: true,
          },
          outcomeTimestamp: { type: 'string', minLength: 1, maxLength: 100 },
        },
        required: ['card', 'outcome', 'outcomeTimestamp'],
      },
    },
  },
  required: ['feedback'],
} as unknown as JSONSchemaType<CdsFeedbackRequest>;

const validate = new Ajv({ allErrors: true, strict: false }).compile(feedbackSchema);

/**
 * Checks a feedback call against CDS Hooks 2.0: `accepted` names the suggestions taken,
 * `overridden` may carry a reason. 400 with the field that is wrong.
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
export function validateFeedback(body: unknown): CdsFeedbackRequest {
  if (!validate(body)) {
    throw new ServiceError(
      400,
      `Invalid CDS Hooks feedback: ${describeSchemaErrors(validate.errors)}`,
    );
  }
  // The store's own reading of an instant (zone required, real calendar dates), so a timestamp
  // the schema lets through cannot be refused later with other words.
  for (const [i, item] of body.feedback.entries()) {
    parseIsoInstant(
      item.outcomeTimestamp,
      `Invalid CDS Hooks feedback: /feedback/${i}/outcomeTimestamp`,
      400,
    );
  }
  return body;
}
