#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { browserAssetsDir } from '../build/browser-bundles';
import { ConfigError } from '../config/config-file';
import { PortError } from './bind-ports';
import { DEMO_USAGE, readDemoConfig } from './demo-config';
import { startDemo, type RunningDemo } from './start-demo';

function instructions(demo: RunningDemo): string {
  const likely = demo.census.patients.find((p) => p.expected === 'likely');
  const notEligible = demo.census.patients.find((p) => p.expected === 'not-eligible');
  return `
STELLAR screening demo is running (synthetic patients only; nothing leaves this machine).

  Open the demo EHR:   ${demo.urls.ehr}

  1. Click a patient marked "likely" (e.g. ${likely?.bed ?? 'ICU 1'}). The STELLAR card appears above
     the chart; "Criteria and evidence" opens its detail.
  2. On the card, click "Open the STELLAR screening worksheet": the SMART app signs in through
     the EHR's authorization server and opens in a new window.
  3. In the worksheet: tick the bedside checks, "Notify the STELLAR study team", print the summary.
  4. Back in the chart, "Dismiss…" a card with a reason such as "Already screened": reopen the
     chart and the card stays hidden. ${notEligible?.bed ?? 'A not-eligible patient'} (not eligible) shows no card.

  Behind it, all on this machine:
    CDS service (auth on)  ${demo.urls.discovery}
    SMART app              ${demo.urls.smartLaunch}   (standalone: ?iss=${demo.urls.fhir})
    FHIR server            ${demo.urls.fhir}   (${demo.census.patients.length} patients; tokens required)
    Authorization server   ${demo.urls.auth}

  Press Ctrl+C to stop.
`;
}

/** `npm start`: the one-command demo (see --help). */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = readDemoConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`stellar demo: ${(error as Error).message}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
  if (!existsSync(join(browserAssetsDir(), 'smart', 'app.js'))) {
    process.stderr.write(
      'stellar demo: the browser pages are not built: run `npm run build` first (npm ci does it)\n',
    );
    return 1;
  }
  let demo: RunningDemo;
  try {
    demo = await startDemo(parsed.config, { log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    if (error instanceof PortError || error instanceof ConfigError) {
      process.stderr.write(`stellar demo: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`stellar demo: could not start: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    parsed.config.json
      ? `${JSON.stringify({ ready: true, urls: demo.urls })}\n`
      : instructions(demo),
  );
  const stop = () => {
    void demo.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

void main().then((code) => {
  if (code !== 0) process.exit(code);
});
