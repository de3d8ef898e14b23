import type {
  CdsDiscoveryResponse,
  CdsFeedbackRequest,
  CdsHookRequest,
  CdsServiceResponse,
} from '../../src/cds/cds-hooks-types';
import { validateFeedback } from '../../src/cds/validate-feedback';
import { validateHookRequest } from '../../src/cds/validate-hook-request';
import { cdsSchemaErrors } from '../support/cds-hooks-schemas';

// Examples shaped like those of the CDS Hooks 2.0 specification. Typing them with the project's
// types checks the types at compile time; the schemas and validators check them at run time.
const discoveryExample: CdsDiscoveryResponse = {
  services: [
    {
      hook: 'patient-view',
      title: 'Static CDS Service Example',
      description:
        'An example of a CDS Service that returns a card with SMART app recommendations.',
      id: 'static-patient-view',
      prefetch: { patientToGreet: 'Patient/{{context.patientId}}' },
    },
    {
      hook: 'order-select',
      title: 'Order Echo CDS Service',
      description: 'An example of a CDS Service that simply echoes the order(s) being placed',
      id: 'order-echo',
      prefetch: {
        patient: 'Patient/{{context.patientId}}',
        medications: 'MedicationRequest?patient={{context.patientId}}',
      },
    },
  ],
};

const requestExample: CdsHookRequest = {
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  fhirServer: 'http://hooks.smarthealthit.org:9080',
  hook: 'patient-view',
  fhirAuthorization: {
    access_token: 'some-opaque-fhir-access-token',
    token_type: 'Bearer',
    expires_in: 300,
    scope: 'user/Patient.read user/Observation.read',
    subject: 'cds-service4',
  },
  context: { userId: 'Practitioner/example', patientId: '1288992', encounterId: '89284' },
  prefetch: {
    patientToGreet: {
      resourceType: 'Patient',
      gender: 'male',
      birthDate: '1925-12-23',
      id: '1288992',
      active: true,
    },
  },
};

const responseExample: CdsServiceResponse = {
  cards: [
    {
      uuid: '4e0a3a1e-3283-4575-ab82-028d55fe2719',
      summary: 'Example Card',
      indicator: 'info',
      detail: 'This is an example card.',
      source: {
        label: 'Static CDS Service Example',
        url: 'https://example.com',
        icon: 'https://example.com/img/icon-100px.png',
        topic: {
          system: 'http://example.org/cds-services/fhir/CodeSystem/topics',
          code: 'BMS',
          display: 'Bone Mineral Screening',
        },
      },
      suggestions: [
        {
          label: 'Take a certain action',
          uuid: '1207df24-a7b5-4e5e-8f86-fb2a3e8e6a0e',
          isRecommended: true,
          actions: [
            {
              type: 'create',
              description: 'Create a prescription for Acetaminophen 250 MG',
              resource: {
                resourceType: 'MedicationRequest',
                status: 'draft',
                intent: 'order',
                subject: { reference: 'Patient/1' },
              },
            },
          ],
        },
      ],
      selectionBehavior: 'at-most-one',
      overrideReasons: [
        {
          code: 'reason-code-provided-by-service',
          system: 'http://example.org/cds-services/fhir/CodeSystem/override-reasons',
          display: 'Patient refused',
        },
      ],
      links: [
        { label: 'Google', url: 'https://google.com', type: 'absolute' },
        {
          label: 'Another SMART app',
          url: 'https://example.com/launch',
          type: 'smart',
          appContext: '{"session":3456356,"settings":{"module":4235}}',
        },
      ],
    },
  ],
};

const feedbackExample: CdsFeedbackRequest = {
  feedback: [
    {
      card: '9368d37b-283f-44a0-93ea-547cebab93ed',
      outcome: 'overridden',
      overrideReason: {
        reason: {
          code: 'reason-code-provided-by-service',
          system: 'http://example.org/cds-services/fhir/CodeSystem/override-reasons',
          display: 'Patient refused',
        },
        userComment: 'clarification of the override',
      },
      outcomeTimestamp: '2020-12-11T00:00:00Z',
    },
    {
      card: '4e0a3a1e-3283-4575-ab82-028d55fe2719',
      outcome: 'accepted',
      acceptedSuggestions: [{ id: 'e56e1945-20b3-4393-8503-a1a20fd73152' }],
      outcomeTimestamp: '2020-12-11T00:00:00Z',
    },
  ],
};

describe('CDS Hooks 2.0 types and schemas', () => {
  it('accept the specification-shaped discovery, request, response and feedback', () => {
    expect(cdsSchemaErrors('discovery', discoveryExample)).toEqual([]);
    expect(cdsSchemaErrors('service', responseExample)).toEqual([]);
    expect(validateHookRequest(requestExample, ['patient-view']).patientId).toBe('1288992');
    expect(validateFeedback(feedbackExample).feedback).toHaveLength(2);
  });

  it('reject a vendor indicator the specification does not have', () => {
    const hardStop = { cards: [{ ...responseExample.cards[0], indicator: 'hard-stop' }] };
    expect(cdsSchemaErrors('service', hardStop).join()).toMatch(/indicator/);
  });

  it('reject a null element, a long summary, and suggestions without selectionBehavior', () => {
    const base = responseExample.cards[0];
    expect(cdsSchemaErrors('service', { cards: [{ ...base, detail: null }] })).not.toEqual([]);
    expect(
      cdsSchemaErrors('service', { cards: [{ ...base, summary: 'x'.repeat(140) }] }),
    ).not.toEqual([]);
    const { selectionBehavior: _s, ...noBehaviour } = base!;
    expect(cdsSchemaErrors('service', { cards: [noBehaviour] })).not.toEqual([]);
  });
});
