import { fork, type ChildProcess } from 'node:child_process';
import { extname, join } from 'node:path';
import type { ServiceProcessOptions, ServiceProcessStats } from './service-process';

/** A service (or bare endpoint) running in a child process. */
export interface ServiceProcess {
  url: string;
  pid: number;
  /** The child's JSON log lines so far, when started with `captureLog` (else empty). */
  logs: string[];
  /** The child's memory now; `gc` first collects garbage (the child runs with --expose-gc). */
  stats(options?: { gc?: boolean }): Promise<ServiceProcessStats>;
  stop(): Promise<void>;
}

/**
 * Forks `service-process` with `options`: the compiled `.js` under `npm run bench`, the `.ts`
 * through tsx under Jest. Its stdout (the JSON log) goes to /dev/null, or into `logs` with
 * `captureLog`; stderr is passed through.
 */
export function startServiceProcess(
  options: ServiceProcessOptions,
  o: { captureLog?: boolean } = {},
): Promise<ServiceProcess> {
  const ext = extname(__filename);
  const entry = join(__dirname, `service-process${ext}`);
  const child: ChildProcess = fork(entry, [JSON.stringify(options)], {
    execArgv: [...(ext === '.ts' ? ['--import', 'tsx'] : []), '--expose-gc'],
    stdio: ['ignore', o.captureLog ? 'pipe' : 'ignore', 'inherit', 'ipc'],
  });
  const logs: string[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines.filter(Boolean));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as T);
      };
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`the ${options.kind} process exited (code ${code}) before "${type}"`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });

  return next<{ port: number }>('listening').then(({ port }) => ({
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    logs,
    async stats(o = {}) {
      const answer = next<ServiceProcessStats & { type: string }>('stats');
      child.send({ type: 'stats', gc: o.gc ?? false });
      const { type: _type, ...stats } = await answer;
      return stats;
    },
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  }));
}
