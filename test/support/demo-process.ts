import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/build/browser-bundles';

export interface DemoUrls {
  ehr: string;
  service: string;
  discovery: string;
  smartLaunch: string;
  fhir: string;
  auth: string;
}

export interface DemoProcess {
  urls: DemoUrls;
  /** Everything the demo wrote (stdout after the ready line, and stderr): its logs. */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts the demo as `npm start` does (the browser bundles are built by Jest's global setup),
 * in its own process (oauth2-mock-server is an ES module: it loads natively there, not in Jest's
 * VM), on free ports, and waits for its ready line.
 */
export async function startDemoProcess(extraArgs: string[] = []): Promise<DemoProcess> {
  const root = projectRoot();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(root, 'src', 'demo', 'main.ts'),
      '--ehr-port',
      '0',
      '--service-port',
      '0',
      '--fhir-port',
      '0',
      '--auth-port',
      '0',
      '--json',
      ...extraArgs,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } },
  );
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const urls = await new Promise<DemoUrls>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the demo did not start: ${output.join('')}`)),
      90_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}: ${output.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { ready?: boolean; urls?: DemoUrls };
        if (parsed.ready && parsed.urls) {
          clearTimeout(timer);
          resolve(parsed.urls);
          return;
        }
      } catch {
        // a log line
      }
      output.push(line);
    });
  });
  return {
    urls,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
