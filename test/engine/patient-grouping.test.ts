import type { BundleEntry } from 'fhir/r4';
import { groupResourcesByPatient } from '../../src/engine';

describe('groupResourcesByPatient', () => {
  it('assigns resources by relative, absolute and urn:uuid references and counts the rest', () => {
    const entries: BundleEntry[] = [
      { fullUrl: 'urn:uuid:aaa', resource: { resourceType: 'Patient', id: 'p1' } },
      { resource: { resourceType: 'Patient', id: 'p2' } },
      {
        resource: {
          resourceType: 'Observation',
          id: 'o1',
          status: 'final',
          code: {},
          subject: { reference: 'urn:uuid:aaa' },
        },
      },
      {
        resource: {
          resourceType: 'Observation',
          id: 'o2',
          status: 'final',
          code: {},
          subject: { reference: 'https://ehr.example/fhir/Patient/p2' },
        },
      },
      {
        resource: {
          resourceType: 'AllergyIntolerance',
          id: 'a1',
          patient: { reference: 'Patient/p1' },
        },
      },
      {
        resource: {
          resourceType: 'Condition',
          id: 'c1',
          subject: { reference: 'Patient/elsewhere' },
        },
      },
    ];
    const { patients, unassigned } = groupResourcesByPatient(entries);
    expect(patients.map((p) => [p.patientId, p.resources.map((r) => r.id)])).toEqual([
      ['p1', ['p1', 'o1', 'a1']],
      ['p2', ['p2', 'o2']],
    ]);
    expect(unassigned).toBe(1);
  });
});

describe('groupResourcesByPatient with devices', () => {
  it('places a Device that names no patient with the patient whose DeviceUseStatement uses it', () => {
    const entries: BundleEntry[] = [
      { resource: { resourceType: 'Patient', id: 'p1' } },
      { fullUrl: 'urn:uuid:vent', resource: { resourceType: 'Device', id: 'vent-1' } },
      {
        resource: {
          resourceType: 'DeviceUseStatement',
          id: 'dus-1',
          status: 'active',
          subject: { reference: 'Patient/p1' },
          device: { reference: 'urn:uuid:vent' },
        },
      },
    ];
    const { patients, unassigned } = groupResourcesByPatient(entries);
    expect(patients[0]?.resources.map((r) => r.id)).toEqual(['p1', 'dus-1', 'vent-1']);
    expect(unassigned).toBe(0);
  });
});
