#!/usr/bin/env node
import { relative } from 'node:path';
import { buildBrowserBundles } from './browser-bundles';

/** `npm run build:browser`: bundles the SMART app and the demo EHR pages into dist/browser. */
buildBrowserBundles({ minify: !process.argv.includes('--no-minify') }).then(
  (dir) => process.stdout.write(`browser bundles written to ${relative(process.cwd(), dir)}\n`),
  (error: unknown) => {
    process.stderr.write(`build:browser: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
