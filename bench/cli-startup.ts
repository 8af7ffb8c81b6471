/**
 * Whole-process timings of the `flopscope` command: how long a shell waits for
 * `flopscope --version`, and for `flopscope profile resnet50.onnx --json` against a Python
 * process doing `onnx.load` + `onnx.shape_inference.infer_shapes` on the same file. Each figure
 * is the median wall time of fresh processes (spawn to exit), rounds alternating between the
 * commands so drifting background load hits all of them.
 *
 *   npx tsx bench/cli-startup.ts [--rounds 7] [--model /tmp/resnet50.onnx] [--python python3] [--npx]
 *
 * Without --model it writes ResNet-50 with `flopscope zoo export resnet50` to the temp folder
 * (once). `--npx` also times `npx flopscope --version` (npm's own start-up, ~1–5 s, is most of
 * it). The profile runs use a throwaway database (--db) so the history is not touched.
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
  },
});
const rounds = Math.max(1, Number(values.rounds));

function timeOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(-2000)}`);
  return ms;
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
const compiled = fs.existsSync(path.join(ROOT, 'out', 'cli', 'main.js'));
console.log(`bin/flopscope.js runs: ${compiled ? 'the compiled out/cli/main.js (when up to date, see bin/flopscope.js)' : 'the TypeScript sources through tsx (no out/cli build)'}; FLOPSCOPE_DEV=${process.env.FLOPSCOPE_DEV ?? '(unset)'}`);

interface Case { name: string; cmd: string; args: string[] }
const cases: Case[] = [
  { name: 'flopscope --version', cmd: process.execPath, args: [BIN, '--version'] },
  { name: 'flopscope --help', cmd: process.execPath, args: [BIN, '--help'] },
  ...(values.npx ? [{ name: 'npx flopscope --version', cmd: 'npx', args: ['flopscope', '--version'] }] : []),
  { name: 'flopscope profile resnet50.onnx --json', cmd: process.execPath, args: [BIN, '--db', db, 'profile', model, '--dim', 'batch=1', '--json'] },
  { name: 'python3 onnx.load + infer_shapes', cmd: values.python, args: ['-c', pyCode] },
];

// One untimed warm-up each (page cache, the model file), then alternating timed rounds.
for (const c of cases) timeOnce(c.cmd, c.args);
const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (let r = 0; r < rounds; r++) for (const c of cases) times.get(c.name)!.push(timeOnce(c.cmd, c.args));

const med = (name: string) => median(times.get(name)!);
console.log(`\n${'command'.padEnd(42)} ${'median'.padStart(9)}  ${'min'.padStart(9)}  (${rounds} runs)`);
for (const c of cases) {
  const t = times.get(c.name)!;
  console.log(`${c.name.padEnd(42)} ${med(c.name).toFixed(0).padStart(6)} ms  ${Math.min(...t).toFixed(0).padStart(6)} ms`);
}
const version = med('flopscope --version');
const ratio = med('python3 onnx.load + infer_shapes') / med('flopscope profile resnet50.onnx --json');
console.log(`\nflopscope --version: ${version.toFixed(0)} ms (target ≤ 150 ms: ${version <= 150 ? 'met' : 'NOT met'})`);
console.log(`profile vs Python onnx.load + infer_shapes: ${ratio.toFixed(2)}× faster (target ≥ 5×: ${ratio >= 5 ? 'met' : 'NOT met'})`);
console.log(`load average at end: ${loadAverage()}`);
fs.rmSync(path.dirname(db), { recursive: true, force: true });
