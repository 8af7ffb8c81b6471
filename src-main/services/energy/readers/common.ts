/**
 * What the platform readers share (Node only): telling a permission error from an absent file when
 * reading sysfs attributes (the kernel's sysfs files are a few bytes of text, read whole with one
 * synchronous read — Documentation/filesystems/sysfs.rst), running a tool once with a timeout, and
 * streaming a long-running tool's stdout line by line into a SampleSink (nvidia-smi -lms,
 * powermetrics -i, typeperf -si), killing it on stop. Nothing here throws for a missing or
 * failing tool: a one-shot run resolves with what happened, a stream warns through the sink.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { PowerChannel, PowerSourceId } from '../../../../src-shared/energy/types.js';
import type { PowerSource, SampleSink } from '../source.js';

/** The errno code of a Node system error ('EACCES', 'ENOENT', ...), if it is one. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** EACCES (mode bits) or EPERM (the driver refused): the reader lacks the right, not the file. */
export function isPermissionError(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'EACCES' || code === 'EPERM';
}

export function errorText(err: unknown): string {
  return errnoCode(err) ?? (err instanceof Error ? err.message : String(err));
}

/** A sysfs attribute's text, trimmed. Throws the fs error (callers classify it). */
export function readAttr(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** A sysfs attribute's text, trimmed, or null when it cannot be read for any reason. */
export function readAttrOrNull(file: string): string | null {
  try {
    return readAttr(file);
  } catch {
    return null;
  }
}

/** A sysfs integer (decimal, as the kernel prints u64 counters), or null when the text is not one. */
export function parseIntAttr(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Numeric-aware name order: hwmon2 before hwmon10, intel-rapl:0:2 before intel-rapl:0:10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The first non-blank line of some text, trimmed ('' when there is none). */
export function firstLine(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t) return t;
  }
  return '';
}

export interface RunOnceResult {
  stdout: string;
  stderr: string;
  /** The exit code; null when the tool did not start or was killed. */
  exitCode: number | null;
  /** Set when the tool could not be started: 'ENOENT' (not found), 'EACCES' (not executable), ... */
  spawnError: string | null;
  timedOut: boolean;
}

/** Runs `command args` once and resolves with its output; never rejects. */
export function runOnce(command: string, args: readonly string[], timeoutMs: number): Promise<RunOnceResult> {
  return new Promise((resolve) => {
    try {
      execFile(
        command,
        args,
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 << 20, windowsHide: true, encoding: 'utf8' },
        (err, stdout, stderr) => {
          const out = { stdout: String(stdout ?? ''), stderr: String(stderr ?? '') };
          if (!err) return resolve({ ...out, exitCode: 0, spawnError: null, timedOut: false });
          const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: NodeJS.Signals | null };
          if (typeof e.code === 'string') return resolve({ ...out, exitCode: null, spawnError: e.code, timedOut: false });
          const timedOut = e.killed === true && e.code == null;
          resolve({ ...out, exitCode: typeof e.code === 'number' ? e.code : null, spawnError: null, timedOut });
        },
      );
    } catch (e) {
      // execFile throws synchronously for arguments it cannot pass (e.g. a NUL byte in a path).
      resolve({ stdout: '', stderr: e instanceof Error ? e.message : String(e), exitCode: null, spawnError: errorText(e), timedOut: false });
    }
  });
}

/** Splits a byte stream's text into lines, keeping a partial last line until the rest arrives. */
export class LineSplitter {
  private buffer = '';
  /** A line longer than this without a newline is garbage; it is dropped rather than kept growing. */
  constructor(private readonly maxLine = 1 << 16) {}

  /** The complete lines in `chunk` (plus what was pending), without their '\n' / '\r\n'. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    if (this.buffer.length > this.maxLine) this.buffer = '';
    return parts.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
  }

  /** The pending partial line, if any (the stream ended without a final newline). */
  flush(): string[] {
    const rest = this.buffer.endsWith('\r') ? this.buffer.slice(0, -1) : this.buffer;
    this.buffer = '';
    return rest ? [rest] : [];
  }
}

export interface LineStreamOptions {
  /** Names the source in warnings: 'nvidia-smi', 'powermetrics', 'windows energy meter'. */
  name: string;
  command: string;
  args: readonly string[];
  sink: SampleSink;
  /** Called once per stdout line, as it arrives (stamp readings with sink.now() here). */
  onLine: (line: string) => void;
}

export interface LineStream {
  /** Kills the tool (SIGTERM, then SIGKILL after `killGraceMs`) and resolves once it has exited. */
  stop(): Promise<void>;
  /** The tool's process id (tests check it is gone after stop). */
  readonly pid: number | undefined;
}

/**
 * Spawns a sampling tool and feeds its stdout to `onLine` line by line. The tool ending by itself
 * before stop() (crash, driver gone) and a failure to start are warnings; lines that arrive after
 * stop() was called are dropped, so no reading reaches the sink once stop() has been asked for.
 */
export function startLineStream(options: LineStreamOptions, killGraceMs = 2000): LineStream {
  const { name, command, args, sink, onLine } = options;
  let stopping = false;
  let exited = false;
  let spawnFailed = false;
  let stderrHead = '';
  let resolveExit!: () => void;
  const exit = new Promise<void>((resolve) => {
    resolveExit = resolve;
  });
  const finish = () => {
    if (exited) return;
    exited = true;
    resolveExit();
  };
  const deliver = (line: string) => {
    if (stopping) return;
    try {
      onLine(line);
    } catch (e) {
      sink.warn(`${name}: a line of output could not be handled: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  let child: ChildProcess;
  try {
    child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  } catch (e) {
    sink.warn(`${name}: could not start ${command} (${errorText(e)}); no readings from it`);
    return { stop: () => Promise.resolve(), pid: undefined };
  }
  const splitter = new LineSplitter();
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    for (const line of splitter.push(chunk)) deliver(line);
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderrHead.length < 4096) stderrHead += chunk;
  });
  child.on('error', (err) => {
    // Failure to spawn (ENOENT, EACCES) — 'close' may follow, or not; either ends the stream.
    if (child.pid === undefined || errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EACCES') {
      spawnFailed = true;
      sink.warn(`${name}: could not start ${command} (${errorText(err)}); no readings from it`);
      finish();
    } else if (!stopping) {
      sink.warn(`${name}: ${errorText(err)}`);
    }
  });
  child.on('close', (code, signal) => {
    for (const line of splitter.flush()) deliver(line);
    if (!stopping && !spawnFailed) {
      const how = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
      const why = firstLine(stderrHead);
      sink.warn(`${name}: stopped by itself during the run (${how}${why ? `: ${why}` : ''}); no readings after that`);
    }
    finish();
  });

  return {
    pid: child.pid,
    stop() {
      stopping = true;
      if (exited) return exit;
      try {
        child.kill('SIGTERM');
      } catch {
        // Already gone: 'close' will still come.
      }
      const hard = setTimeout(() => {
        if (!exited) {
          try {
            child.kill('SIGKILL');
          } catch {
            // Nothing more can be done; 'close' resolves `exit`.
          }
        }
      }, killGraceMs);
      hard.unref?.();
      return exit.then(() => clearTimeout(hard));
    },
  };
}

/**
 * A PowerSource fed by a long-running tool (nvidia-smi -lms, powermetrics -i, typeperf -si):
 * `start` spawns it once with `args` and hands each stdout line to the handler `lineHandler(sink)`
 * builds; `stop` kills it and resolves when it has exited.
 */
export function streamingSource(spec: {
  id: PowerSourceId;
  name: string;
  command: string;
  args: readonly string[];
  channels: readonly PowerChannel[];
  lineHandler: (sink: SampleSink) => (line: string) => void;
}): PowerSource {
  let stream: LineStream | null = null;
  return {
    id: spec.id,
    channels: spec.channels,
    start(sink: SampleSink) {
      if (stream) return;
      stream = startLineStream({ name: spec.name, command: spec.command, args: spec.args, sink, onLine: spec.lineHandler(sink) });
    },
    stop: () => stream?.stop() ?? Promise.resolve(),
  };
}
