/**
 * A compact JWT split and parsed, not yet verified: nothing in it may be trusted, only looked at
 * to decide which checks and which key apply.
 */
export interface UnverifiedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

// base64url without padding (RFC 7515 section 2). Anything else, such as whitespace, a second
// token or JSON serialisation, is refused before any parsing.
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A `kid` this service will use as a lookup key: 1 to 256 printable ASCII characters. The kid is
 * attacker-chosen text; it is never a path, URL or query, only compared with the kids of the
 * issuer's keys, and this bound keeps it harmless in a log line too.
 */
export const KID_PATTERN = /^[\x20-\x7e]{1,256}$/;

/**
 * Splits a compact JWS into its header and payload objects, or returns `undefined` when it is not
 * one (wrong number of parts, not base64url, not a JSON object). The signature part may be empty
 * here so that an unsigned `alg: none` token reaches the algorithm check and is refused by name.
 */
export function decodeJwt(token: string): UnverifiedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (!BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart)) return undefined;
  if (signaturePart !== '' && !BASE64URL.test(signaturePart)) return undefined;
  const header = parseJsonObject(headerPart);
  const payload = parseJsonObject(payloadPart);
  if (!header || !payload) return undefined;
  return { header, payload };
}

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
