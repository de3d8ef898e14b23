import { buildBrowserBundles } from '../../src/build/browser-bundles';

/**
 * Builds the browser bundles once, from the current source, before any test file runs: the demo
 * tests serve them, and two files rebuilding the folder at the same time would race.
 */
export default async function globalSetup(): Promise<void> {
  await buildBrowserBundles({ minify: false });
}
