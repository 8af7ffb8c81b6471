/**
 * The status line of a running job (renderer), shared by the Benchmarks and Models pages: what
 * the job is doing now, or how it ended and whether a run was stored.
 */
export type JobStatus = 'idle' | 'starting' | 'gpu' | 'queued' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export function jobStatusText(
  state: { status: JobStatus; phases: ReadonlyArray<{ name: string; finished: boolean }>; storedRunId: number | null },
  what: string,
): string {
  const current = state.phases.find((p) => !p.finished);
  switch (state.status) {
    case 'idle':
      return '';
    case 'starting':
      return 'Starting…';
    case 'gpu':
      return 'Running the GPU kernels in this window…';
    case 'queued':
      return 'Queued: waiting for the CPU to be free…';
    case 'running':
      return current ? `Running ${current.name}…` : 'Running…';
    case 'cancelling':
      return 'Cancelling…';
    case 'done':
      return state.storedRunId !== null ? `Finished. Stored as run #${state.storedRunId}` : 'Finished (not stored)';
    case 'cancelled':
      return 'Cancelled — nothing was stored';
    case 'failed':
      return `The ${what} failed — nothing was stored`;
  }
}
