/**
 * Benchmarks page (renderer): runs the benchmark suite and shows its result. On load it shows the
 * latest stored bench run (`runs.list` → `runs.get`) and re-attaches to a bench job still running
 * in the backend. Run: when the suite includes the GPU, the page first times the WebGPU kernels
 * itself (src-shared/gpu/run-gpu-bench.ts on this window's navigator.gpu), then starts the job
 * with that result (`bench.start` { gpuFromPage }) and follows its events; Cancel aborts the page
 * GPU run or calls `jobs.cancel`. Only a finished job is stored, so a cancel leaves no run.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useKeptReducer } from '../api/kept-state.js';
import type { GpuBenchResult } from '../../src-shared/api/bench.js';
import { runGpuBench } from '../../src-shared/gpu/run-gpu-bench.js';
import { toApiError, useClient } from '../api/api-context.js';
import { useJob, useLifetime } from '../api/use-lifetime.js';
import { benchmarksPageReducer, initialBenchmarksPageState } from '../benchmarks-page-state.js';
import { asBenchResult, etaFromPace, initialRunState, isActive, runReducer, suiteIncludesGpu } from '../bench-run.js';
import { BenchControls, parseThreads } from '../components/bench-controls.js';
import { BenchProgress } from '../components/bench-progress.js';
import { BenchResults } from '../components/bench-results.js';
import { EmptyState, ErrorCallout, Loading } from '../components/callouts.js';
import { PageHeader } from '../components/page-header.js';
import { RunLink } from '../components/run-link.js';

/** One line for the log once the page's GPU run is over. */
function gpuLogLine(gpu: GpuBenchResult): { level: 'info' | 'warn'; message: string } {
  if (!gpu.available) return { level: 'warn', message: `GPU not measured in this window: ${gpu.reason}` };
  const a = gpu.adapter;
  const name = a.description || [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unnamed adapter';
  const best = Math.max(0, ...gpu.gemm.filter((g) => g.verified).map((g) => g.gflops));
  return {
    level: a.software ? 'warn' : 'info',
    message: `WebGPU adapter ${name}${a.software ? ' (software, runs on the CPU)' : ''}: best verified GEMM ${best.toFixed(1)} GFLOP/s, copy ${gpu.bandwidth.copyGBs.toFixed(1)} GB/s`,
  };
}

export function BenchmarksPage() {
  const client = useClient();
  const [run, dispatch] = useKeptReducer('benchmarks.run', runReducer, initialRunState, (s) => (isActive(s.status) ? { ...s, status: 'idle' as const, jobId: null } : s));
  const [{ stored, report, otherCaches, settings }, pageDispatch] = useKeptReducer('benchmarks.page', benchmarksPageReducer, initialBenchmarksPageState);
  const { live, alive } = useLifetime();
  const job = useJob(client);
  const abortRef = useRef<AbortController | null>(null);
  const jobRef = useRef<string | null>(null);
  const cancelRequested = useRef(false);
  const machineIdRef = useRef<string | null>(null);

  const follow = useCallback(
    (jobId: string) => {
      jobRef.current = jobId;
      dispatch({ type: 'job', jobId });
      job.follow(jobId, (event) => dispatch({ type: 'event', event, machineId: machineIdRef.current }));
    },
    [job],
  );

  const loadLatest = useCallback(async () => {
    pageDispatch({ type: 'stored', stored: { state: 'loading' } });
    try {
      const [newest] = await live(client.call('runs.list', { kind: 'bench', limit: 1 }));
      if (!newest) {
        pageDispatch({ type: 'stored', stored: { state: 'none' } });
        return;
      }
      const full = await live(client.call('runs.get', { id: newest.id }));
      const result = asBenchResult(full.result);
      if (!result) {
        pageDispatch({ type: 'stored', stored: { state: 'error', error: { code: 'INTERNAL', message: `Run #${full.id} is not a benchmark result this version can show.` } } });
        return;
      }
      dispatch({ type: 'show', shown: { runId: full.id, createdAt: full.createdAt, machineId: full.machineId, result } });
      pageDispatch({ type: 'stored', stored: { state: 'ok' } });
    } catch (e) {
      pageDispatch({ type: 'stored', stored: { state: 'error', error: toApiError(e) } });
    }
  }, [client, live]);

  useEffect(() => {
    void loadLatest();
    // Physical cores for the default thread count, and cache sizes for the latency chart.
    live(client.call('hardware.detect', {})).then(
      (r) => {
        pageDispatch({ type: 'hardware', report: r });
        machineIdRef.current = r.machine.id;
      },
      () => pageDispatch({ type: 'hardware-failed' }),
    );
    // A bench job started earlier (before navigating away, or by another window) is followed again.
    live(client.call('jobs.list', {})).then(
      (jobs) => {
        const running = jobs.filter((j) => j.kind.startsWith('bench.') && (j.state === 'queued' || j.state === 'running')).sort((a, b) => b.createdAt - a.createdAt)[0];
        if (running && jobRef.current === null) {
          dispatch({ type: 'start' });
          follow(running.id);
        }
      },
      () => {},
    );
    return () => {
      // The page's own GPU run stops with the page; a backend job carries on and is re-attached
      // (useJob ends its subscription).
      abortRef.current?.abort();
    };
  }, [client, live, loadLatest, follow]);

  // A run stored from another machine: its own cache sizes for the latency chart.
  const shownMachine = run.shown?.machineId ?? null;
  useEffect(() => {
    if (!shownMachine || !report || shownMachine === report.machine.id || otherCaches?.machineId === shownMachine) return;
    live(client.call('machines.list', {})).then(
      (machines) => {
        const m = machines.find((x) => x.id === shownMachine);
        if (m) pageDispatch({ type: 'other-caches', machineId: m.id, caches: m.report.cpu.caches });
      },
      () => {},
    );
  }, [client, live, shownMachine, report, otherCaches]);

  const start = useCallback(async () => {
    const threads = parseThreads(settings.threads, report?.cpu.logicalCores ?? 1024);
    if (threads === null) return;
    const { suite, quick } = settings;
    cancelRequested.current = false;
    jobRef.current = null;
    job.stop();
    dispatch({ type: 'start' });

    let gpuFromPage: GpuBenchResult | undefined;
    if (suiteIncludesGpu(suite)) {
      const controller = new AbortController();
      abortRef.current = controller;
      const phaseStart = performance.now();
      dispatch({ type: 'gpu-progress', step: 'requesting the adapter', done: 0, total: 1, etaMs: null });
      try {
        gpuFromPage = await runGpuBench(navigator.gpu ?? null, {
          quick,
          backend: 'webgpu-browser',
          signal: controller.signal,
          progress: (step, done, total) => {
            if (alive()) dispatch({ type: 'gpu-progress', step, done, total, etaMs: etaFromPace(performance.now() - phaseStart, done, total) });
          },
        });
      } catch (e) {
        if (controller.signal.aborted) {
          if (alive()) dispatch({ type: 'cancelled' });
          return;
        }
        // runGpuBench turns missing adapters and failing kernels into results; anything else is
        // still a GPU that could not be measured, not a reason to lose the CPU benchmarks.
        gpuFromPage = { available: false, reason: `the WebGPU benchmark failed in this window: ${toApiError(e).message}`, backend: 'webgpu-browser' };
      } finally {
        abortRef.current = null;
      }
      if (!alive()) return;
      if (controller.signal.aborted || cancelRequested.current) {
        dispatch({ type: 'cancelled' });
        return;
      }
      dispatch({ type: 'gpu-finished', log: gpuLogLine(gpuFromPage) });
    }

    try {
      // runGpuBench labels its result with the backend it was given, always the browser's here.
      const page = gpuFromPage ? { gpuFromPage: { ...gpuFromPage, backend: 'webgpu-browser' as const } } : {};
      const started = await live(client.call('bench.start', { suite, quick, threads, ...page }));
      follow(started.id);
      // Cancel was pressed while bench.start was on its way.
      if (cancelRequested.current) await live(client.call('jobs.cancel', { id: started.id }));
    } catch (e) {
      dispatch({ type: 'failed', error: toApiError(e) });
    }
  }, [client, live, alive, job, follow, settings, report]);

  const cancel = useCallback(async () => {
    cancelRequested.current = true;
    dispatch({ type: 'cancel-requested' });
    abortRef.current?.abort();
    const id = jobRef.current;
    if (!id) return;
    try {
      // If the job had already ended, this is a no-op and its terminal event says how it ended.
      await live(client.call('jobs.cancel', { id }));
    } catch (e) {
      dispatch({ type: 'failed', error: toApiError(e) });
    }
  }, [client, live]);

  const active = isActive(run.status);
  const showProgress = run.status !== 'idle';
  const caches = !run.shown
    ? null
    : report && (run.shown.machineId === null || run.shown.machineId === report.machine.id)
      ? report.cpu.caches
      : otherCaches?.machineId === run.shown.machineId
        ? otherCaches.caches
        : null;
  const fresh = run.status === 'done' && run.shown?.runId === run.storedRunId;

  return (
    <section className="page" data-testid="page-benchmarks" aria-busy={active}>
      <PageHeader
        title="Benchmarks"
        subtitle="Measure GEMM throughput, memory bandwidth and load latency to draw this machine's empirical roofline."
        actions={
          run.status === 'done' && run.storedRunId !== null ? (
            // No live region here: the progress card's status line already announces the outcome.
            <span className="save-status" data-testid="stored-status">
              Stored as <RunLink id={run.storedRunId} />
            </span>
          ) : run.status === 'cancelled' ? (
            <span className="cancel-status" data-testid="cancelled-status">
              Cancelled — nothing was stored
            </span>
          ) : null
        }
      />
      <BenchControls
        settings={settings}
        onChange={(settings) => pageDispatch({ type: 'settings', settings })}
        onRun={() => void start()}
        onCancel={() => void cancel()}
        active={active}
        cancelling={run.status === 'cancelling'}
        physicalCores={report?.cpu.physicalCores ?? null}
        logicalCores={report?.cpu.logicalCores ?? null}
      />
      {run.status === 'failed' && run.error ? <ErrorCallout error={run.error} title="The benchmark failed" /> : null}
      {showProgress ? <BenchProgress state={run} /> : null}
      {stored.state === 'error' && !run.shown ? <ErrorCallout error={stored.error} title="Could not load the latest benchmark" onRetry={() => void loadLatest()} /> : null}
      {stored.state === 'loading' && !run.shown ? <Loading label="Loading the latest benchmark…" /> : null}
      {stored.state === 'none' && !run.shown && run.status === 'idle' ? (
        <div className="card">
          <EmptyState>No benchmark yet — run the quick suite (about 30 s).</EmptyState>
        </div>
      ) : null}
      {run.shown ? <BenchResults key={run.shown.runId ?? 'unsaved'} shown={run.shown} caches={caches} fresh={fresh} isa={report && caches === report.cpu.caches ? report.cpu.isa : null} nav /> : null}
    </section>
  );
}
