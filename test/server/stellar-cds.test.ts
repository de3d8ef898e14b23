import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '..', '..', 'dist', 'server', 'main.js');

interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Runs the built `stellar-cds` as an operator would, with only the environment given. */
function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [BIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (d: Buffer) => stdout.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout, stderr, exited };
}

async function listeningPort(s: Started): Promise<number> {
  for (let i = 0; i < 200; i++) {
    for (const line of s.stdout) {
      const entry = JSON.parse(line) as { port?: number; msg?: string };
      if (entry.msg?.startsWith('STELLAR CDS service listening') && entry.port) return entry.port;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the service did not start: ${s.stderr.join('')}`);
}

describe('stellar-cds (the built service)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stellar-cds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from the environment, answers discovery and stops on SIGTERM', async () => {
    const s = start({
      STELLAR_AUTH: 'off',
      STELLAR_PORT: '0',
      STELLAR_FEEDBACK_DB: join(dir, 'feedback.sqlite'),
    });
    const port = await listeningPort(s);
    const res = await fetch(`http://127.0.0.1:${port}/cds-services`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { services: { id: string }[] }).services[0]?.id).toBe(
      'stellar-screening',
    );
    expect(s.stdout.join('\n')).toMatch(/CDS client authentication is OFF/);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('refuses to start with auth on and no trusted clients, saying what to set', async () => {
    const s = start({ STELLAR_PORT: '0', STELLAR_FEEDBACK_DB: join(dir, 'f.sqlite') });
    expect(await s.exited).toBe(1);
    expect(s.stderr.join('')).toMatch(
      /^stellar-cds: auth is on but no trusted issuers are configured: set STELLAR_TRUSTED_ISSUERS/,
    );
  });

  it('says which port is taken instead of crashing', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const s = start({
        STELLAR_AUTH: 'off',
        STELLAR_PORT: String(port),
        STELLAR_FEEDBACK_DB: join(dir, 'f.sqlite'),
      });
      expect(await s.exited).toBe(1);
      expect(s.stderr.join('')).toBe(
        `stellar-cds: Port ${port} on 127.0.0.1 is already in use: stop what uses it or choose another port\n`,
      );
    } finally {
      blocker.close();
    }
  });
});
