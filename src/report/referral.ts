import type { Communication, ServiceRequest } from 'fhir/r4';

export interface ReferralInput {
  resourceType: 'ServiceRequest' | 'Communication';
  patientId: string;
  /** `Practitioner/123` of the user, when known. */
  requester?: string;
  studyTeam: { display: string; reference?: string };
  trial: { name: string; nctId: string };
  /** One line: the classification and why. */
  summary: string;
  /** ISO instant of the request. */
  authoredOn: string;
}

const REFERRAL = {
  system: 'http://snomed.info/sct',
  code: '3457005',
  display: 'Patient referral',
};

/**
 * The resource that notifies the study team about a possible candidate: the card's suggestion
 * and the SMART app's "notify" button create this same resource, so the team sees one kind of
 * request whichever way it was sent. A proposal for screening, never an enrolment.
 */
export function buildReferral(input: ReferralInput): ServiceRequest | Communication {
  const subject = { reference: `Patient/${input.patientId}` };
  const team = {
    display: input.studyTeam.display,
    ...(input.studyTeam.reference ? { reference: input.studyTeam.reference } : {}),
  };
  const text = `Screen for the ${input.trial.name} trial (${input.trial.nctId}): ${input.summary}`;
  const requester = input.requester?.match(/^(Practitioner|PractitionerRole)\/[A-Za-z0-9.-]+$/)
    ? { reference: input.requester }
    : undefined;
  if (input.resourceType === 'Communication') {
    return {
      resourceType: 'Communication',
      status: 'completed',
      category: [{ coding: [REFERRAL], text: 'Clinical trial screening referral' }],
      subject,
      sent: input.authoredOn,
      recipient: [team],
      ...(requester ? { sender: requester } : {}),
      payload: [{ contentString: text }],
    };
  }
  return {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'proposal',
    category: [{ coding: [REFERRAL], text: 'Clinical trial screening referral' }],
    code: { text: `${input.trial.name} trial screening (${input.trial.nctId})` },
    subject,
    authoredOn: input.authoredOn,
    ...(requester ? { requester } : {}),
    performer: [team],
    note: [{ text }],
  };
}
