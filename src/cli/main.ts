#!/usr/bin/env node
import { runScreenCommand } from './screen-command';

// A reader that stops early (`stellar-screen ... | head`) is not an error: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// Ctrl-C or a TERM: stop the run between patients, with open requests aborted, one line and
// exit code 130; a second signal ends the process at once.
const interrupt = new AbortController();
const stop = () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

runScreenCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
  stderrIsTTY: process.stderr.isTTY === true,
  signal: interrupt.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`stellar-screen: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
