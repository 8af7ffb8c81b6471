/**
 * Test helper process: writes runs to a database as fast as it can until killed.
 * The crash test kills it with SIGKILL mid-write and checks the file is still whole.
 */
import { openDatabase } from '../store/database.js';
import { RunsRepo } from '../store/repos/runs-repo.js';
import { sampleReport } from './fixtures.js';

const file = process.argv[2];
if (!file) throw new Error('usage: write-loop.ts DB');
const runs = new RunsRepo(openDatabase(file));
const payload = { samples: Array.from({ length: 2000 }, (_, i) => i * 1.5) };
for (let i = 0; ; i++) {
  runs.insert({ kind: 'bench', machine: sampleReport(), appVersion: 'crash-test', params: { i }, result: payload });
  if (i === 20) process.stdout.write('writing\n');
}
