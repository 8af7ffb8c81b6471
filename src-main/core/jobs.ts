/**
 * The job runner (Node side). A job is started, returns its id at once, and runs in a serial
 * queue per device so two benchmarks never share the machine. It emits numbered events that a
 * late subscriber replays; the last is always exactly one of result / error / cancelled. Only a
 * finished, non-cancelled job reaches `persist`, which writes its result (one transaction).
 */
import { randomUUID } from 'node:crypto';
import { ApiFailure, fieldFailure } from '../../src-shared/api/errors.js';
import { FieldError } from '../../src-shared/errors/field-error.js';
import type { ApiError, JobEvent, JobInfo, JobState, TerminalJobEvent } from '../../src-shared/api/types.js';
import type { PowerTick } from '../../src-shared/energy/types.js';

export interface JobContext {
  readonly signal: AbortSignal;
  readonly jobId: string;
  /** Reports progress within a phase; the ETA is extrapolated from the phase's elapsed time unless given. */
  progress(phase: string, done: number, total: number, etaMs?: number | null): void;
  log(message: string, level?: 'info' | 'warn'): void;
  /** Live total power while the job measures (benchmarks, model runs): a 'power' event. */
  power(tick: PowerTick): void;
  /** Throws a CANCELLED failure if the job was cancelled; call it between measurements. */
  throwIfCancelled(): void;
}

export interface JobSpec<T> {
  kind: string;
  /** Jobs on the same queue run one after another ("cpu", "gpu:0"). */
  queue?: string;
  run(ctx: JobContext): Promise<T>;
  /** Stores the result and returns the run id. Called only for a result, never after cancel. */
  persist?(result: T): number | null;
}

type Listener = (event: JobEvent) => void;

// Distributive Omit so each member of the event union keeps its own fields.
type EventBody = JobEvent extends infer E ? (E extends JobEvent ? Omit<E, 'seq' | 'jobId' | 'at'> : never) : never;

interface JobRecord {
  info: JobInfo;
  events: JobEvent[];
  listeners: Set<Listener>;
  controller: AbortController;
  finished: boolean;
  done: Promise<TerminalJobEvent>;
  resolveDone(event: TerminalJobEvent): void;
}

const KEEP_FINISHED = 200;

export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queues = new Map<string, Promise<void>>();

  start<T>(spec: JobSpec<T>): JobInfo {
    const id = randomUUID();
    let resolveDone!: (e: TerminalJobEvent) => void;
    const done = new Promise<TerminalJobEvent>((r) => (resolveDone = r));
    const record: JobRecord = {
      info: { id, kind: spec.kind, queue: spec.queue ?? 'cpu', state: 'queued', createdAt: Date.now(), lastSeq: 0 },
      events: [],
      listeners: new Set(),
      controller: new AbortController(),
      finished: false,
      done,
      resolveDone,
    };
    this.jobs.set(id, record);
    this.emit(record, { type: 'queued' });
    const previous = this.queues.get(record.info.queue) ?? Promise.resolve();
    const next = previous.then(() => this.execute(record, spec));
    this.queues.set(record.info.queue, next);
    void next.then(() => {
      if (this.queues.get(record.info.queue) === next) this.queues.delete(record.info.queue);
    });
    this.prune();
    return { ...record.info };
  }

  private async execute<T>(record: JobRecord, spec: JobSpec<T>): Promise<void> {
    if (record.finished) return; // cancelled while queued
    record.info.state = 'running';
    const phaseStart = new Map<string, number>();
    const ctx: JobContext = {
      signal: record.controller.signal,
      jobId: record.info.id,
      progress: (phase, done, total, etaMs) => {
        if (record.finished) return;
        const now = Date.now();
        if (!phaseStart.has(phase)) phaseStart.set(phase, now);
        let eta = etaMs ?? null;
        if (etaMs === undefined && done > 0 && total >= done) {
          eta = Math.round(((now - phaseStart.get(phase)!) / done) * (total - done));
        }
        this.emit(record, { type: 'progress', phase, done, total, etaMs: eta });
      },
      log: (message, level = 'info') => {
        if (!record.finished) this.emit(record, { type: 'log', level, message });
      },
      power: (tick) => {
        if (!record.finished) this.emit(record, { type: 'power', t: tick.t, watts: tick.watts, estimated: tick.estimated });
      },
      throwIfCancelled: () => {
        if (record.controller.signal.aborted) throw new ApiFailure('CANCELLED', 'The job was cancelled.');
      },
    };
    try {
      const result = await spec.run(ctx);
      if (record.finished) return; // cancelled while the work was winding down: discard it
      const runId = spec.persist ? spec.persist(result) : null;
      this.finish(record, 'done', { type: 'result', result, runId });
    } catch (e) {
      if (record.finished) return;
      if (record.controller.signal.aborted) {
        this.finish(record, 'cancelled', { type: 'cancelled' });
        return;
      }
      const error: ApiError =
        e instanceof ApiFailure ? e.toJSON() : e instanceof FieldError ? fieldFailure(e).toJSON() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      this.finish(record, 'failed', { type: 'error', error });
    }
  }

  /** Cancels a queued or running job. The cancelled event is emitted at once; the work is told through its AbortSignal. */
  cancel(id: string): { cancelled: boolean; state: JobState } {
    const record = this.require(id);
    if (record.finished) return { cancelled: false, state: record.info.state };
    record.controller.abort();
    this.finish(record, 'cancelled', { type: 'cancelled' });
    return { cancelled: true, state: 'cancelled' };
  }

  get(id: string): JobInfo {
    return { ...this.require(id).info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((r) => ({ ...r.info }));
  }

  events(id: string, afterSeq = 0): JobEvent[] {
    return this.require(id).events.filter((e) => e.seq > afterSeq);
  }

  /** Replays events after `afterSeq`, then delivers new ones; returns an unsubscribe function. */
  subscribe(id: string, listener: Listener, afterSeq = 0): () => void {
    const record = this.require(id);
    for (const e of record.events) if (e.seq > afterSeq) listener(e);
    if (record.finished) return () => {};
    record.listeners.add(listener);
    return () => record.listeners.delete(listener);
  }

  /** Resolves with the job's terminal event. */
  wait(id: string): Promise<TerminalJobEvent> {
    return this.require(id).done;
  }

  /** Cancels everything and waits for running work to stop (used on shutdown). */
  async shutdown(): Promise<void> {
    for (const r of this.jobs.values()) if (!r.finished) this.cancel(r.info.id);
    await Promise.allSettled([...this.queues.values()]);
  }

  private require(id: string): JobRecord {
    const record = this.jobs.get(id);
    if (!record) throw new ApiFailure('NOT_FOUND', `No job with id ${id} (jobs are kept in memory while the app runs).`);
    return record;
  }

  private finish(record: JobRecord, state: JobState, body: Extract<EventBody, { type: 'result' | 'error' | 'cancelled' }>): void {
    if (record.finished) return;
    const event = this.emit(record, body) as TerminalJobEvent;
    record.finished = true;
    record.info.state = state;
    record.listeners.clear();
    record.resolveDone(event);
  }

  private emit(record: JobRecord, body: EventBody): JobEvent {
    const event = { ...body, seq: record.events.length + 1, jobId: record.info.id, at: Date.now() } as JobEvent;
    record.events.push(event);
    record.info.lastSeq = event.seq;
    for (const l of [...record.listeners]) {
      try {
        l(event);
      } catch {
        // A broken subscriber (closed socket, destroyed window) must not break the job.
      }
    }
    return event;
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((r) => r.finished);
    for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(r.info.id);
  }
}
