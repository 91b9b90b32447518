#!/usr/bin/env node
// Runs the compiled CLI; `npm ci` builds it through the `prepare` script.
import { main } from '../dist/src/cli/main.js';

// A reader that stops early (`sitrep events | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
