// Temporary directories for tests, removed when the test's process exits: without this, each full
// run left a few hundred stores and packs (several GB) in the system's temp directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A new empty directory under the system's temp directory, removed at exit. */
export function tempDir(prefix = 'sitrep-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
