#!/usr/bin/env node
import { runScreenCommand } from './screen-command';

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
