/**
 * Whole-process timings of the `flopscope` command: how long a shell waits for
 * `flopscope --version`, and for `flopscope profile resnet50.onnx --json` against a Python
 * process doing `onnx.load` + `onnx.shape_inference.infer_shapes` on the same file. Each figure
 * is the median wall time of fresh processes (spawn to exit), rounds alternating between the
 * commands so drifting background load hits all of them.
 *
 *   npx tsx bench/cli-startup.ts [--rounds 7] [--model /tmp/resnet50.onnx] [--python python3] [--npx] [--tsx]
 *
 * Without --model it writes ResNet-50 with `flopscope zoo export resnet50` to the temp folder
 * (once). `--npx` also times `npx flopscope --version` (npm's own start-up, ~1–5 s, is most of
 * it). `--tsx` also times both flopscope commands with FLOPSCOPE_DEV=1 (the sources through tsx,
 * what runs when out/cli is missing or stale) in the same rounds. The profile runs use a throwaway database (--db) so the history is not touched.
 * Targets: `--version` ≤ 150 ms; profile ≥ 5× faster than the Python process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { detectedMachine, loadAverage, median } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'flopscope.js');

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    model: { type: 'string' },
    python: { type: 'string', default: 'python3' },
    npx: { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
  },
});
const rounds = Math.max(1, Number(values.rounds));

/** /usr/bin/time (GNU time) where present: it also gives each process's CPU time (user + sys), which contention on a shared machine inflates far less than wall time. */
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const timeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-cli-time-')), 'time.txt');

function timeOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv | undefined = process.env): { wallMs: number; cpuMs: number | null } {
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(-2000)}`);
  let cpuMs: number | null = null;
  if (GNU_TIME) {
    const [user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    cpuMs = ((user ?? NaN) + (sys ?? NaN)) * 1000;
  }
  return { wallMs, cpuMs };
}

const model = values.model ?? path.join(os.tmpdir(), 'flopscope-bench-resnet50.onnx');
if (!fs.existsSync(model)) {
  console.error(`Writing ${model} (flopscope zoo export resnet50)…`);
  timeOnce(process.execPath, [BIN, 'zoo', 'export', 'resnet50', '--out', model]);
}
const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flopscope-cli-bench-')), 'bench.db');
const pyCode = `import onnx; m=onnx.load(${JSON.stringify(model)}); onnx.shape_inference.infer_shapes(m)`;

const { host } = await detectedMachine();
console.log(host);
console.log(`load average at start: ${loadAverage()}`);
const compiled = fs.existsSync(path.join(ROOT, 'out', 'cli', 'main.cjs'));
console.log(`bin/flopscope.js runs: ${compiled ? 'the compiled out/cli/main.cjs (when up to date, see bin/flopscope.js)' : 'the TypeScript sources through tsx (no out/cli build)'}; FLOPSCOPE_DEV=${process.env.FLOPSCOPE_DEV ?? '(unset)'}`);

interface Case { name: string; cmd: string; args: string[]; env?: NodeJS.ProcessEnv }
const viaTsx = { ...process.env, FLOPSCOPE_DEV: '1' };
const cases: Case[] = [
  { name: 'node -e 0 (Node itself, the floor)', cmd: process.execPath, args: ['-e', '0'] },
  { name: 'flopscope --version', cmd: process.execPath, args: [BIN, '--version'] },
  { name: 'flopscope --help', cmd: process.execPath, args: [BIN, '--help'] },
  ...(values.npx ? [{ name: 'npx flopscope --version', cmd: 'npx', args: ['flopscope', '--version'] }] : []),
  { name: 'flopscope profile resnet50.onnx --json', cmd: process.execPath, args: [BIN, '--db', db, 'profile', model, '--dim', 'batch=1', '--json'] },
  { name: 'python3 onnx.load + infer_shapes', cmd: values.python, args: ['-c', pyCode] },
  ...(values.tsx
    ? [
        { name: 'FLOPSCOPE_DEV=1 flopscope --version', cmd: process.execPath, args: [BIN, '--version'], env: viaTsx },
        { name: 'FLOPSCOPE_DEV=1 flopscope profile … --json', cmd: process.execPath, args: [BIN, '--db', db, 'profile', model, '--dim', 'batch=1', '--json'], env: viaTsx },
      ]
    : []),
];

// One untimed warm-up each (page cache, the model file), then alternating timed rounds.
for (const c of cases) timeOnce(c.cmd, c.args, c.env);
const times = new Map<string, { wallMs: number; cpuMs: number | null }[]>(cases.map((c) => [c.name, []]));
for (let r = 0; r < rounds; r++) for (const c of cases) times.get(c.name)!.push(timeOnce(c.cmd, c.args, c.env));

const wall = (name: string) => median(times.get(name)!.map((t) => t.wallMs));
const cpu = (name: string) => (GNU_TIME ? median(times.get(name)!.map((t) => t.cpuMs!)) : NaN);
const ms = (v: number) => (Number.isNaN(v) ? '—' : `${v.toFixed(0)} ms`).padStart(9);
console.log(`\n${'command'.padEnd(46)} ${'wall'.padStart(9)} ${'wall min'.padStart(9)} ${'CPU'.padStart(9)}   (medians of ${rounds} runs; CPU = user + sys)`);
for (const c of cases) console.log(`${c.name.padEnd(46)} ${ms(wall(c.name))} ${ms(Math.min(...times.get(c.name)!.map((t) => t.wallMs)))} ${ms(cpu(c.name))}`);
const version = wall('flopscope --version');
const PROFILE = 'flopscope profile resnet50.onnx --json';
const PYTHON = 'python3 onnx.load + infer_shapes';
console.log(`\nflopscope --version: ${version.toFixed(0)} ms wall, ${cpu('flopscope --version').toFixed(0)} ms CPU (target ≤ 150 ms: ${version <= 150 ? 'met' : 'NOT met'})`);
// Node's own start differs several-fold between hosts (66 ms on one Zen 5 VM, 113 ms on another
// where a page fault costs ~12 µs): what the CLI adds on top of it is the part FLOPscope controls.
const floor = wall('node -e 0 (Node itself, the floor)');
console.log(`above Node's own start (node -e 0, ${floor.toFixed(0)} ms): --version +${(version - floor).toFixed(0)} ms, profile +${(wall(PROFILE) - floor).toFixed(0)} ms`);
console.log(`profile vs Python onnx.load + infer_shapes: ${(wall(PYTHON) / wall(PROFILE)).toFixed(2)}× faster by wall time, ${(cpu(PYTHON) / cpu(PROFILE)).toFixed(2)}× by CPU time (target ≥ 5×: ${wall(PYTHON) / wall(PROFILE) >= 5 ? 'met' : 'NOT met'})`);
console.log(`load average at end: ${loadAverage()}`);
fs.rmSync(path.dirname(db), { recursive: true, force: true });
fs.rmSync(path.dirname(timeFile), { recursive: true, force: true });
