/**
 * The FHIR server's SMART configuration (`{iss}/.well-known/smart-configuration`): where apps
 * authorize and get tokens, and what this EHR supports.
 * @see https://hl7.org/fhir/smart-app-launch/conformance.html
 */
export function smartConfiguration(auth: {
  issuerUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  jwksUri: string;
}): Record<string, unknown> {
  return {
    issuer: auth.issuerUrl,
    jwks_uri: auth.jwksUri,
    authorization_endpoint: auth.authorizeUrl,
    token_endpoint: auth.tokenUrl,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [
      'openid',
      'fhirUser',
      'launch',
      'launch/patient',
      'online_access',
      'patient/*.read',
      'patient/*.rs',
      'user/*.read',
    ],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'context-ehr-patient',
      'context-standalone-patient',
      'context-passthrough-banner',
      'permission-patient',
      'permission-user',
      'permission-v1',
      'permission-v2',
      'sso-openid-connect',
    ],
  };
}
