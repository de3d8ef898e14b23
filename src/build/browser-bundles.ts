import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

/** The project root: the folder holding package.json, found upwards from here (src/ or dist/). */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cds-services'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..', '..');
  }
}

/** Where the browser bundles go: `dist/browser/` (served by the SMART app and demo routes). */
export function browserAssetsDir(root: string = projectRoot()): string {
  return join(root, 'dist', 'browser');
}

/** One page's bundle: its TypeScript entry and the static files copied beside it. */
interface PageBundle {
  /** Folder under `dist/browser/`. */
  out: string;
  /** Entry points (TypeScript; CSS imported from them is bundled beside each). */
  entries: Record<string, string>;
  /** Folder of HTML and other static files copied as they are. */
  staticDir: string;
}

const PAGES: readonly PageBundle[] = [
  {
    out: 'smart',
    entries: {
      launch: 'src/smart-app/browser/launch-page.ts',
      app: 'src/smart-app/browser/app-page.ts',
    },
    staticDir: 'src/smart-app/static',
  },
  {
    out: 'ehr',
    entries: {
      ehr: 'src/demo/ehr/browser/ehr-page.ts',
      picker: 'src/demo/auth/browser/picker-page.ts',
    },
    staticDir: 'src/demo/ehr/static',
  },
];

/**
 * Bundles the SMART app and the demo EHR's pages for the browser with esbuild: everything
 * (fhirclient, uPlot, marked, the engine) in the bundle, nothing from a CDN. fhirclient's "pure"
 * build is chosen (`FHIRCLIENT_PURE`): modern browsers have fetch and AbortController.
 */
export async function buildBrowserBundles(
  options: { root?: string; minify?: boolean; outDir?: string } = {},
): Promise<string> {
  const root = options.root ?? projectRoot();
  const outDir = options.outDir ?? browserAssetsDir(root);
  rmSync(outDir, { recursive: true, force: true });
  for (const page of PAGES) {
    const dir = join(outDir, page.out);
    mkdirSync(dir, { recursive: true });
    const common: BuildOptions = {
      absWorkingDir: root,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: ['chrome110', 'firefox110', 'safari16'],
      minify: options.minify ?? true,
      sourcemap: 'linked',
      legalComments: 'linked',
      define: { FHIRCLIENT_PURE: 'true', 'process.env.NODE_ENV': '"production"' },
      logLevel: 'error',
      loader: { '.svg': 'dataurl' },
    };
    await build({
      ...common,
      entryPoints: Object.entries(page.entries).map(([out, input]) => ({ in: input, out })),
      outdir: dir,
    });
    cpSync(join(root, page.staticDir), dir, { recursive: true });
  }
  return outDir;
}
