#!/usr/bin/env node
import { runScreenCommand } from './screen-command';

// A reader that stops early (`stellar-screen ... | head`) is not an error: stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

runScreenCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`stellar-screen: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
