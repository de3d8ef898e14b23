/**
 * Verification of the JWT a CDS client sends with every call (CDS Hooks 2.0, "Trusting CDS
 * Clients"), and the client side that signs one, for the demo EHR and tests.
 */
export { createCdsJwtVerifier } from './create-cds-jwt-verifier';
export type {
  CdsJwtVerifier,
  CdsJwtVerifierOptions,
  VerifiedCdsClient,
} from './create-cds-jwt-verifier';
export type { JwksFetchOptions } from './issuer-keys';
export { loadTrustedIssuers, parseTrustedIssuers } from './trusted-issuers';
export type { TrustedIssuer, TrustedIssuerConfig } from './trusted-issuers';
export { ASYMMETRIC_ALGORITHMS, DEFAULT_ALGORITHMS } from './jwt-algorithms';
export type { AsymmetricAlgorithm } from './jwt-algorithms';
export { createCdsClientKey, signCdsClientJwt } from './sign-cds-client-jwt';
export type {
  CdsClientAlgorithm,
  CdsClientJwtClaims,
  CdsClientKey,
  CdsClientPublicJwk,
} from './sign-cds-client-jwt';
