import { createCardIds } from '../../src/cds/card-ids';

describe('createCardIds', () => {
  const ids = createCardIds('a-site-secret-of-some-length');

  it('gives the same patient on the same server the same key, whatever trailing slash', () => {
    expect(ids.patientKey('https://ehr/fhir', 'p1')).toBe(
      ids.patientKey('https://ehr/fhir/', 'p1'),
    );
    expect(ids.patientKey('https://ehr/fhir', 'p1')).not.toBe(
      ids.patientKey('https://ehr/fhir', 'p2'),
    );
    expect(ids.patientKey('https://ehr/fhir', 'p1')).not.toBe(
      ids.patientKey('https://other/fhir', 'p1'),
    );
  });

  it('makes stable RFC 4122-shaped card uuids that change with the classification and rule set', () => {
    const key = ids.patientKey('https://ehr/fhir', 'p1');
    const uuid = ids.cardUuid(key, 'likely', '1.0.0');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.cardUuid(key, 'likely', '1.0.0')).toBe(uuid);
    expect(ids.cardUuid(key, 'possible', '1.0.0')).not.toBe(uuid);
    expect(ids.cardUuid(key, 'likely', '1.1.0')).not.toBe(uuid);
    expect(ids.suggestionUuid(uuid)).not.toBe(uuid);
  });

  it('keys everything with the site secret: another secret gives other ids', () => {
    const other = createCardIds('another-site-secret-entirely');
    expect(other.patientKey('https://ehr/fhir', 'p1')).not.toBe(
      ids.patientKey('https://ehr/fhir', 'p1'),
    );
    expect(ids.patientKey('https://ehr/fhir', 'p1')).not.toContain('p1');
  });
});
