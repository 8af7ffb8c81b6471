/**
 * Models page (renderer): profile a built-in architecture from the zoo or an uploaded .onnx file
 * (`profile.start`, followed through `client.subscribe`), optionally running it with ONNX Runtime,
 * and show totals, coverage, per-layer costs and — when run — the layers on this machine's
 * roofline from the latest stored benchmark (`runs.list` → `runs.get`). Cancel calls `jobs.cancel`;
 * only a finished profile is stored. Below, "Compare architectures" counts 2–4 zoo entries side by
 * side and matches their FLOPs or latency to the first (scratch profiles, never stored).
 * A what-if (quantize, prune, activation sparsity) re-runs the profile as a job of its own, stored
 * with parentRunId = the measured run; its report goes in the What-ifs section beside the measured
 * result, which stays (models-page-state.ts keeps it apart from the job). A section nav at the top
 * jumps to Summary, Layers, What-ifs and Compare.
 */
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { SectionNav } from '../ui/section-nav.js';
import { useKeptReducer } from '../api/kept-state.js';
import { toApiError, useClient } from '../api/api-context.js';
import { useJob, useLifetime } from '../api/use-lifetime.js';
import { asBenchResult } from '../bench-run.js';
import { ErrorCallout, Loading } from '../components/callouts.js';
import { ModelCompare } from '../components/model-compare.js';
import { ModelProgress } from '../components/model-progress.js';
import { ModelResults } from '../components/model-results.js';
import { ModelWhatifSection, type WhatifRequest } from '../components/model-whatif-section.js';
import { ModelSource, optionValues } from '../components/model-source.js';
import { PageHeader } from '../components/page-header.js';
import { RunLink } from '../components/run-link.js';
import { initialModelsPageState, modelsPageReducer, type ProfileSource } from '../models-page-state.js';
import { initialProfileState, isProfileActive, parseDims, profileReducer, unboundDimension } from '../model-run.js';

/** The what-if a request asks for, in words (History and the What-ifs section name it so). */
function whatifName(w: WhatifRequest): string {
  if ('quantize' in w) return 'quantize';
  if ('prune' in w) return `prune ${w.prune.method}${w.prune.sparsity !== undefined ? ` ${w.prune.sparsity}` : ''}`;
  return 'activation sparsity';
}

const SECTIONS = [
  { id: 'model-summary', label: 'Summary' },
  { id: 'model-layers', label: 'Layers' },
  { id: 'model-whatifs', label: 'What-ifs' },
  { id: 'model-compare', label: 'Compare' },
];

export function ModelsPage() {
  const client = useClient();
  const [run, dispatch] = useKeptReducer('models.run', profileReducer, initialProfileState, (s) => (isProfileActive(s.status) ? { ...s, status: 'idle' as const, jobId: null } : s));
  const [page, set] = useKeptReducer('models.page', modelsPageReducer, initialModelsPageState);
  const { zoo, settings, upload, roofline, sourceLabel, whatifs, hardware, measured, whatifRuns } = page;
  const { live } = useLifetime();
  const job = useJob(client);
  const jobRef = useRef<string | null>(null);
  const cancelRequested = useRef(false);

  const loadZoo = useCallback(() => {
    set({ type: 'zoo-loading' });
    live(client.call('zoo.list', {})).then(
      (entries) => set({ type: 'zoo-loaded', entries }),
      (e) => set({ type: 'zoo-failed', error: toApiError(e) }),
    );
  }, [client, live]);

  const loadRoofline = useCallback(async () => {
    try {
      const [newest] = await live(client.call('runs.list', { kind: 'bench', limit: 1 }));
      if (!newest) {
        set({ type: 'roofline', roofline: null });
        return;
      }
      const full = await live(client.call('runs.get', { id: newest.id }));
      set({ type: 'roofline', roofline: asBenchResult(full.result)?.roofline ?? null });
    } catch {
      // The roofline only decorates a measured profile; without it the page says how to get one.
      set({ type: 'roofline', roofline: null });
    }
  }, [client, live]);

  useEffect(() => {
    loadZoo();
    void loadRoofline();
    live(client.call('hardware.detect', {})).then(
      (hw) => set({ type: 'hardware', hardware: hw }),
      () => {
        // Device memory only decorates the training chart; without it the chart has no device lines.
      },
    );
  }, [loadZoo, loadRoofline, client, live]);

  const onFile = useCallback(
    async (file: File) => {
      if (!client.upload) return;
      set({ type: 'upload', upload: { state: 'uploading', name: file.name } });
      try {
        const done = await live(client.upload(file));
        set({ type: 'upload', upload: { state: 'ready', name: file.name, uploadId: done.uploadId, bytes: done.bytes } });
      } catch (e) {
        set({ type: 'upload', upload: { state: 'error', name: file.name, message: toApiError(e).message } });
      }
    },
    [client, live],
  );

  const launch = useCallback(
    async (request: { source: ProfileSource; dims: Record<string, number>; label: string; measure: boolean; whatif: WhatifRequest | null; parentRunId?: number | null }) => {
      cancelRequested.current = false;
      jobRef.current = null;
      job.stop();
      const what = request.whatif === null ? null : whatifName(request.whatif);
      set({ type: 'source-label', label: what === null ? request.label : `${request.label} (${what} what-if)` });
      set({ type: 'job-started', profiled: { source: request.source, dims: request.dims, label: request.label }, whatif: what });
      dispatch({ type: 'start', measure: request.measure });
      try {
        const started = await live(client.call('profile.start', {
          source: request.source,
          run: request.measure,
          ...(Object.keys(request.dims).length ? { dims: request.dims } : {}),
          ...(request.whatif ?? {}),
          ...(request.whatif && request.parentRunId ? { parentRunId: request.parentRunId } : {}),
        }));
        jobRef.current = started.id;
        dispatch({ type: 'job', jobId: started.id });
        job.follow(started.id, (event) => dispatch({ type: 'event', event }));
        if (cancelRequested.current) await live(client.call('jobs.cancel', { id: started.id }));
      } catch (e) {
        dispatch({ type: 'failed', error: toApiError(e) });
      }
    },
    [client, live, job],
  );

  const start = useCallback(
    async (measure: boolean) => {
      const dims = parseDims(settings.dims);
      if (!dims.ok) return;
      let source: ProfileSource;
      let label: string;
      if (settings.kind === 'zoo') {
        const entry = zoo.state === 'ok' ? zoo.entries.find((z) => z.name === settings.zoo) : undefined;
        const options = entry ? optionValues(entry, settings.options) : null;
        if (!entry || !options) return;
        source = { zoo: entry.name, options };
        label = `zoo ${entry.name}`;
      } else {
        if (upload.state !== 'ready') return;
        source = { upload: upload.uploadId };
        label = upload.name;
      }
      await launch({ source, dims: dims.dims, label, measure, whatif: null });
    },
    [launch, settings, zoo, upload],
  );

  const runWhatif = useCallback(
    (whatif: WhatifRequest) => {
      // On the measured model, linked to its stored run; the measured result stays on the page.
      if (measured) void launch({ ...measured.profiled, measure: false, whatif, parentRunId: measured.storedRunId });
    },
    [launch, measured],
  );

  // A job's end: a fresh profile becomes the measured result, a what-if's report joins the others.
  // A layout effect, so the page never shows "Stored as run #N" beside the previous result.
  const finished = run.status === 'done' ? run.result : null;
  useLayoutEffect(() => {
    if (finished && run.jobId) set({ type: 'job-done', jobId: run.jobId, result: finished, runId: run.storedRunId });
  }, [finished]);
  const ended = run.status === 'failed' || run.status === 'cancelled';
  useEffect(() => {
    if (ended) set({ type: 'job-ended', jobId: run.jobId });
  }, [ended]);

  const cancel = useCallback(async () => {
    cancelRequested.current = true;
    dispatch({ type: 'cancel-requested' });
    const id = jobRef.current;
    if (!id) return;
    try {
      await live(client.call('jobs.cancel', { id }));
    } catch (e) {
      dispatch({ type: 'failed', error: toApiError(e) });
    }
  }, [client, live]);

  // A failure that names an unbound dimension: offer the Dimensions field with that name.
  const askedDim = run.status === 'failed' && run.error ? unboundDimension(run.error.message) : null;
  useEffect(() => {
    if (askedDim) set({ type: 'ask-dim', name: askedDim });
  }, [askedDim]);

  const active = isProfileActive(run.status);

  return (
    <section className="page" data-testid="page-models" aria-busy={active}>
      <PageHeader
        title="Models"
        subtitle="Count a model's parameters, FLOPs and memory traffic per layer, and time it on this machine."
        actions={
          measured && measured.storedRunId !== null && run.status !== 'cancelled' ? (
            <span className="save-status" data-testid="stored-status">
              Stored as <RunLink id={measured.storedRunId} />
            </span>
          ) : run.status === 'cancelled' ? (
            <span className="cancel-status" data-testid="cancelled-status">
              Cancelled — nothing was stored
            </span>
          ) : null
        }
      />
      <SectionNav sections={SECTIONS} label="Models page sections" />
      {zoo.state === 'loading' ? <Loading label="Loading the model zoo…" /> : null}
      {zoo.state === 'error' ? <ErrorCallout error={zoo.error} title="Could not load the model zoo" onRetry={loadZoo} /> : null}
      {zoo.state === 'ok' ? (
        <ModelSource
          zoo={zoo.entries}
          settings={settings}
          onChange={(s) => set({ type: 'settings', settings: s })}
          upload={upload}
          onFile={client.upload ? (f) => void onFile(f) : null}
          onProfile={(measure) => void start(measure)}
          onCancel={() => void cancel()}
          active={active}
          cancelling={run.status === 'cancelling'}
          askedDim={askedDim}
        />
      ) : null}
      {run.status === 'failed' && run.error ? <ErrorCallout error={run.error} title={`Could not profile ${sourceLabel}`} /> : null}
      {run.status !== 'idle' ? <ModelProgress state={run} /> : null}
      {measured ? <ModelResults key={measured.storedRunId ?? 'unsaved'} result={measured.result} roofline={roofline} sourceLabel={measured.profiled.label} /> : null}
      {measured ? <ModelWhatifSection result={measured.result} reports={whatifs} hardware={hardware} busy={active} onRun={runWhatif} runs={whatifRuns} pending={page.pendingWhatif} /> : null}
      {zoo.state === 'ok' && zoo.entries.length ? <ModelCompare zoo={zoo.entries} client={client} /> : null}
    </section>
  );
}
