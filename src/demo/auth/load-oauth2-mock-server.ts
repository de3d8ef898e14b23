/** The parts of oauth2-mock-server the demo uses (its types, re-exported for CommonJS code). */
export type OAuth2MockServer = typeof import('oauth2-mock-server');

// `import()` written in TypeScript compiled to CommonJS becomes `require()`, which cannot load
// an ES module on every Node 20; a Function body is not rewritten, so this stays a native import.
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

/**
 * Loads oauth2-mock-server, which is published as an ES module only, from CommonJS code.
 * Under Jest (no ESM loader in its VM) this rejects; the demo runs in plain Node.
 */
export async function loadOAuth2MockServer(): Promise<OAuth2MockServer> {
  return (await nativeImport('oauth2-mock-server')) as OAuth2MockServer;
}
