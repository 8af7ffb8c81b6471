import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src-shared/api/types.js';
import { JobRunner, type JobContext } from './jobs.js';

/** A job that reports progress until cancelled or `steps` are done. */
function steppingJob(steps: number, stepMs = 5, onStop?: () => void) {
  return async (ctx: JobContext) => {
    try {
      for (let i = 1; i <= steps; i++) {
        ctx.throwIfCancelled();
        await new Promise((r) => setTimeout(r, stepMs));
        ctx.progress('work', i, steps);
      }
      return { steps };
    } finally {
      onStop?.();
    }
  };
}

const terminal = (events: JobEvent[]) => events.filter((e) => e.type === 'result' || e.type === 'error' || e.type === 'cancelled');

describe('JobRunner', () => {
  it('runs a job to exactly one result, with numbered progress and an ETA', async () => {
    const runner = new JobRunner();
    const persisted: unknown[] = [];
    const job = runner.start({ kind: 'test', run: steppingJob(4), persist: (r) => (persisted.push(r), 7) });
    const end = await runner.wait(job.id);
    expect(end).toMatchObject({ type: 'result', result: { steps: 4 }, runId: 7 });
    const events = runner.events(job.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.type).toBe('queued');
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(4);
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4, etaMs: 0 });
    expect(terminal(events)).toHaveLength(1);
    expect(persisted).toEqual([{ steps: 4 }]);
  });

  it('cancels a running job: exactly one final event, nothing persisted, the work is told to stop', async () => {
    const runner = new JobRunner();
    let stopped = false;
    let persisted = false;
    const job = runner.start({ kind: 'test', run: steppingJob(10_000, 2, () => (stopped = true)), persist: () => ((persisted = true), 1) });
    const seen: JobEvent[] = [];
    runner.subscribe(job.id, (e) => seen.push(e));
    await new Promise((r) => setTimeout(r, 30));
    expect(runner.get(job.id).state).toBe('running');
    expect(runner.cancel(job.id)).toEqual({ cancelled: true, state: 'cancelled' });
    expect(runner.cancel(job.id)).toEqual({ cancelled: false, state: 'cancelled' });
    await new Promise((r) => setTimeout(r, 30));
    expect(stopped).toBe(true);
    expect(persisted).toBe(false);
    expect(terminal(runner.events(job.id))).toEqual([expect.objectContaining({ type: 'cancelled' })]);
    expect(runner.events(job.id).at(-1)!.type).toBe('cancelled');
    expect(terminal(seen)).toHaveLength(1);
  });

  it('runs jobs on one queue one after another and cancels a queued job before it starts', async () => {
    const runner = new JobRunner();
    const order: string[] = [];
    const mk = (name: string) => async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${name}:end`);
      return name;
    };
    const a = runner.start({ kind: 't', queue: 'cpu', run: mk('a') });
    const b = runner.start({ kind: 't', queue: 'cpu', run: mk('b') });
    const c = runner.start({ kind: 't', queue: 'cpu', run: mk('c') });
    runner.cancel(b.id);
    await runner.wait(c.id);
    expect(order).toEqual(['a:start', 'a:end', 'c:start', 'c:end']);
    expect((await runner.wait(a.id)).type).toBe('result');
    expect(runner.events(b.id).map((e) => e.type)).toEqual(['queued', 'cancelled']);
  });

  it('turns a throw into one error event and keeps the queue going', async () => {
    const runner = new JobRunner();
    const bad = runner.start({
      kind: 't',
      run: async () => {
        throw new Error('boom');
      },
    });
    const good = runner.start({ kind: 't', run: async () => 42 });
    expect(await runner.wait(bad.id)).toMatchObject({ type: 'error', error: { code: 'INTERNAL', message: 'boom' } });
    expect(await runner.wait(good.id)).toMatchObject({ type: 'result', result: 42 });
  });

  it('replays every event to a late subscriber', async () => {
    const runner = new JobRunner();
    const job = runner.start({ kind: 't', run: steppingJob(3) });
    await runner.wait(job.id);
    const replay: JobEvent[] = [];
    runner.subscribe(job.id, (e) => replay.push(e));
    expect(replay).toEqual(runner.events(job.id));
    const tail: JobEvent[] = [];
    runner.subscribe(job.id, (e) => tail.push(e), 3);
    expect(tail.map((e) => e.seq)).toEqual(replay.slice(3).map((e) => e.seq));
  });

  it('names an unknown job', () => {
    expect(() => new JobRunner().get('nope')).toThrow(/No job with id nope/);
  });
});
