import { parseAppContext } from '../../src/smart-app/app-context';
import { launchScope, parseResourceScopes, scopeAllows } from '../../src/smart-app/smart-scopes';

describe('launchScope', () => {
  const configured =
    'launch launch/patient openid fhirUser patient/Observation.read patient/ServiceRequest.write';

  it('asks for launch (and not launch/patient) in an EHR launch', () => {
    expect(launchScope(configured, 'ehr')).toBe(
      'launch openid fhirUser patient/Observation.read patient/ServiceRequest.write',
    );
  });

  it('asks for launch/patient (and never launch) in a standalone launch', () => {
    expect(launchScope(configured, 'standalone')).toBe(
      'launch/patient openid fhirUser patient/Observation.read patient/ServiceRequest.write',
    );
  });
});

describe('scopeAllows', () => {
  it('reads SMART v1 and v2 resource scopes', () => {
    expect(scopeAllows('patient/ServiceRequest.write', 'ServiceRequest', 'create')).toBe(true);
    expect(scopeAllows('patient/ServiceRequest.c', 'ServiceRequest', 'create')).toBe(true);
    expect(scopeAllows('patient/*.cruds', 'ServiceRequest', 'create')).toBe(true);
    expect(scopeAllows('user/*.*', 'Communication', 'create')).toBe(true);
    expect(scopeAllows('patient/ServiceRequest.rs', 'ServiceRequest', 'create')).toBe(false);
    expect(scopeAllows('patient/*.read', 'ServiceRequest', 'create')).toBe(false);
    expect(scopeAllows('patient/Communication.write', 'ServiceRequest', 'create')).toBe(false);
    expect(scopeAllows(undefined, 'ServiceRequest', 'create')).toBe(false);
  });

  it('ignores what is not a resource scope', () => {
    expect(
      parseResourceScopes('launch openid fhirUser online_access patient/Observation.rs?category=x'),
    ).toEqual([{ context: 'patient', type: 'Observation', permissions: 'rs' }]);
  });
});

describe('parseAppContext', () => {
  it('reads the appContext a card puts on its SMART link', () => {
    const ctx = JSON.stringify({
      card: 'c1',
      classification: 'likely',
      evaluatedAt: '2026-03-01T08:00:00Z',
      ruleSet: 'stellar-screening@1.0.0',
    });
    expect(parseAppContext(ctx)).toEqual({
      card: 'c1',
      classification: 'likely',
      evaluatedAt: '2026-03-01T08:00:00Z',
      ruleSet: 'stellar-screening@1.0.0',
    });
  });

  it('gives nothing for absent, non-JSON or foreign context', () => {
    expect(parseAppContext(undefined)).toBeUndefined();
    expect(parseAppContext('not json')).toBeUndefined();
    expect(parseAppContext('[1,2]')).toBeUndefined();
    expect(parseAppContext('{"other":{"x":1}}')).toBeUndefined();
    expect(parseAppContext('{"card":42,"classification":"likely"}')).toEqual({
      classification: 'likely',
    });
  });
});
