/**
 * What a stored run of each kind looks like (runs anywhere): one zod schema per run kind for its
 * `result` (and for `params` where something reads them), plus the HardwareReport a machine
 * record carries. Imports check every run against these before anything is written (see
 * src-main/services/history/bundles.ts), the way the API checks requests against the contract, so
 * a correctly signed but hostile bundle cannot store a result the pages, the reports or
 * `fits.list` would then trip over. The run-kind registry can take them over as they are
 * (RUN_KIND_SCHEMAS is keyed by kind).
 *
 * The schemas follow the TypeScript types of what the app stores (HardwareReport, BenchResult,
 * ProfileResult, PlanResult, FittedLaw, LinregMeasurement, AttentionSweepResult) in every field
 * something reads. Objects are loose (unknown extra members pass: a newer FLOPscope may add
 * some), numbers are finite (JSON has no others) and `null` where the app itself can store one (a
 * ratio that was not finite, a figure that was not measured). Fields added after a kind first
 * shipped are optional. Plausible ranges are not enforced here: a number out of range is stored
 * and shown with a warning (./plausibility.ts).
 */
import { z } from 'zod';
import { BENCH_SUITES } from '../api/bench.js';
import type { RunKind } from '../api/types.js';
import { textProblem } from './text.js';

/** "missing (expected a number)" or "expected a number, got a string": what a person fixing the file needs. */
function expected(what: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined ? `missing (expected ${what})` : `expected ${what}, got ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'a list' : typeof issue.input === 'object' ? 'an object' : typeof issue.input}`,
  };
}

const lo = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape, expected('an object'));
const num = z.number(expected('a number'));
/** A figure the app stores as null when it was not finite (a ratio over zero, an interval without samples). */
const numOrNull = num.nullable();
const count = num.int({ error: 'expected a whole number' }).nonnegative({ error: 'expected a whole number ≥ 0' });
const bool = z.boolean(expected('true or false'));
/** Free text shown on a page: any string up to 10,000 characters. */
const text = z.string(expected('a string')).max(10_000, { error: 'at most 10,000 characters' });
const name = z.string(expected('a string')).max(1_000, { error: 'at most 1,000 characters' });
const arr = <T extends z.ZodType>(item: T) => z.array(item, expected('a list'));
const warnings = arr(text).max(10_000, { error: 'at most 10,000 entries' });

/** Text kept in a column of its own (ids, host names): valid Unicode, no control characters. */
export const storedText = (max: number, what = 'text') =>
  z
    .string(expected(what))
    .max(max, { error: `at most ${max} characters` })
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A machine's id: what runs refer to (1–200 characters of stored text). */
export const machineIdSchema = storedText(200, 'a machine id').min(1, { error: 'a machine id cannot be empty' });

// ---- hardware -------------------------------------------------------------------------------

const dtype = z.enum(['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8']);

export const peakSchema = lo({ device: name, dtype, gflops: num, basis: text });

/** HardwareReport (src-shared/api/types.ts): a 'hardware' run's result and every machine record. */
export const hardwareReportSchema = lo({
  machine: lo({
    id: machineIdSchema,
    hostname: storedText(1_000, 'a host name'),
    os: lo({ platform: name, release: name, arch: name }),
  }),
  cpu: lo({
    vendor: name,
    model: name,
    physicalCores: count,
    logicalCores: count,
    baseGHz: numOrNull,
    maxGHz: numOrNull,
    isa: arr(name).max(10_000),
    caches: lo({ l1dBytes: numOrNull, l2Bytes: numOrNull, l3Bytes: numOrNull }),
    cacheSource: name.nullable().optional(),
    l3Groups: arr(lo({ bytes: num, sharedBy: num, instances: num })).optional(),
    measuredClock: lo({ ghz: num, minGHz: num, maxGHz: num, threads: num, method: text }).nullable().optional(),
  }),
  memory: lo({ totalBytes: num }),
  gpus: arr(lo({ vendor: name, model: name, vramBytes: numOrNull, driver: name.nullable() })),
  peaks: arr(peakSchema),
  warnings,
});

// ---- energy (bench, profile, lesson, attention) ---------------------------------------------

const powerSource = z.enum(['powercap', 'hwmon', 'nvidia-smi', 'powermetrics', 'windows-energy-meter', 'estimate']);

export const energyReportSchema = lo({
  estimated: bool,
  source: text,
  durationSeconds: num,
  joules: num,
  avgWatts: num,
  peakWatts: num,
  samples: num,
  intervalMs: num,
  devices: arr(
    lo({
      channel: name,
      label: name,
      kind: z.enum(['cpu', 'dram', 'gpu', 'soc', 'system']),
      source: powerSource,
      detail: text,
      estimated: bool,
      inTotal: bool,
      joules: num,
      avgWatts: num,
      peakWatts: num,
      samples: num,
    }),
  ),
  phases: arr(lo({ phase: name, startS: num, endS: num, joules: num, avgWatts: num })),
  series: arr(lo({ t: num, watts: num })),
  unavailable: warnings,
  warnings,
  estimateBasis: text.optional(),
});

// ---- bench ----------------------------------------------------------------------------------

const gemmDtype = z.enum(['fp32', 'fp16', 'int8']);
const memoryLevel = z.enum(['L1', 'L2', 'L3', 'DRAM']);

const gpuBenchSchema = z.discriminatedUnion('available', [
  lo({ available: z.literal(false), reason: text, backend: z.enum(['webgpu-dawn', 'webgpu-browser']) }),
  lo({
    available: z.literal(true),
    backend: z.enum(['webgpu-dawn', 'webgpu-browser']),
    adapter: lo({ vendor: name, architecture: name, device: name, description: text, software: bool }),
    gemm: arr(
      lo({
        dtype: gemmDtype,
        kernel: z.enum(['tiled', 'naive']),
        m: num,
        n: num,
        k: num,
        gflops: num,
        medianSeconds: num,
        maxAbsError: num,
        tolerance: num,
        checkedEntries: num,
        verified: bool,
      }),
    ),
    bandwidth: lo({ copyGBs: num, readGBs: num.optional(), bytes: num, verified: bool }),
    warnings,
  }),
]);

export const rooflineSchema = lo({
  ceilings: arr(lo({ kind: z.enum(['compute', 'bandwidth']), name, value: num, source: z.enum(['measured', 'theoretical']), how: text })),
  ridge: lo({ intensity: num, gflops: num, dtype: name, level: name }).nullable(),
});

export const benchResultSchema = lo({
  suite: z.enum(BENCH_SUITES),
  quick: bool,
  threads: num,
  gemm: lo({
    results: arr(lo({ dtype: gemmDtype, m: num, n: num, k: num, threads: num, gflops: num, medianSeconds: num, bestSeconds: num, repeats: num })),
    best: z.partialRecord(gemmDtype, num),
    unsupported: arr(lo({ dtype: gemmDtype, reason: text })),
  }).optional(),
  memory: lo({
    threads: num,
    arrayBytes: num,
    copyGBs: num,
    scaleGBs: num,
    addGBs: num,
    triadGBs: num,
    levels: arr(lo({ name: memoryLevel, bytes: num, GBs: num })),
    sweep: arr(lo({ bytes: num, GBs: num })),
  }).optional(),
  latency: lo({ points: arr(lo({ bytes: num, ns: num })), levels: arr(lo({ name: memoryLevel, bytes: num, ns: num })) }).optional(),
  gpu: gpuBenchSchema.optional(),
  roofline: rooflineSchema.optional(),
  warnings,
  elapsedSeconds: num,
  energy: energyReportSchema.optional(),
  energyEfficiency: lo({ gemmGflopsPerJoule: z.partialRecord(gemmDtype, numOrNull), streamGBPerJoule: numOrNull }).optional(),
});

// ---- profile --------------------------------------------------------------------------------

export const profileResultSchema = lo({
  model: lo({
    name: text,
    opset: num,
    producer: text,
    fileBytes: num,
    inputs: arr(lo({ name: text, shape: arr(z.union([num, name])), dtype: name })),
    dims: z.record(z.string(), num),
  }),
  totals: lo({ params: num, macs: num, flops: num, otherOps: num, weightBytes: num, activationBytes: num }),
  nodes: arr(
    lo({
      name: text,
      opType: name,
      outputShape: arr(z.union([num, name])).nullable(),
      params: num,
      macs: num,
      flops: num,
      otherOps: num,
      bytesRead: num,
      bytesWritten: num,
      intensity: numOrNull,
      block: text.nullable(),
      counted: bool,
    }),
  ),
  uncounted: arr(lo({ opType: name, count: num, reason: z.enum(['no-counter', 'unknown-shape', 'subgraph']).optional() })),
  warnings,
  measured: lo({
    latencyMs: lo({ median: num, p90: num, runs: num }),
    threads: num,
    nodes: arr(lo({ name: text, ms: num, achievedGflops: numOrNull })),
    unmapped: arr(lo({ name: text, ms: num })),
  }).optional(),
  energy: energyReportSchema.optional(),
  energyEfficiency: lo({ joulesPerInference: numOrNull, joulesPerToken: numOrNull, tokensPerInference: numOrNull }).optional(),
  whatifs: lo({}).optional(),
});

// ---- plan -----------------------------------------------------------------------------------

const wattsSource = z.enum(['catalog TDP', 'measured', 'estimated']);

const planDeviceSchema = lo({
  name,
  peakFlops: num,
  dtype: name,
  memGB: numOrNull,
  source: text,
  power: z.union([lo({ watts: num, source: wattsSource, basis: text, runId: num.optional() }), lo({ watts: z.null(), reason: text })]).optional(),
});

export const planResultSchema = lo({
  fit: name,
  computeFlops: num,
  params: num,
  tokens: num,
  tokensPerParam: num,
  loss: num,
  shape: lo({ layers: num, dModel: num, heads: num, ffn: num, vocab: num, context: num, exactParams: num, flopsPerToken: num }),
  time: lo({ seconds: num, devices: num }).optional(),
  costUsd: num.optional(),
  // Plans stored before energy (bb6096c) have none.
  energy: lo({
    kwh: num,
    itKwh: num,
    overheadKwh: num,
    co2Kg: num,
    deviceWatts: num,
    wattsSource,
    wattsBasis: text,
    wattsRunId: num.optional(),
    deviceSeconds: num,
    flopsPerJoule: num,
    pue: num,
    gridGPerKwh: num,
    basis: text,
  })
    .nullable()
    .optional(),
  energyUnavailable: text.optional(),
  details: lo({
    fitLabel: text,
    fitSource: text,
    lawNote: text.optional(),
    paramsCount: z.enum(['all', 'non-embedding']),
    mode: z.enum(['budget', 'params', 'params-and-budget']),
    sixND: num,
    shapeFlops: num,
    shapeFull: lo({
      layers: num,
      dModel: num,
      heads: num,
      headDim: num,
      ffn: num,
      vocab: num,
      context: num,
      exactParams: num,
      nonEmbeddingParams: num,
      tiedEmbeddings: bool,
      flopsPerToken: num,
      forwardBreakdown: lo({ attention: num, attentionScores: num, ffn: num, logits: num }),
    }),
    shapeRelativeError: num,
    optimal: lo({ params: num, tokens: num, loss: num }),
    device: planDeviceSchema.optional(),
    mfu: num.optional(),
    deviceHours: num.optional(),
    inference: lo({
      inferenceTokens: num,
      targetLoss: num,
      params: num,
      tokens: num,
      trainFlops: num,
      inferenceFlops: num,
      totalFlops: num,
      computeOptimalTotalFlops: num,
      paramsRatio: num,
      tokensRatio: num,
      savedFraction: num,
    }).optional(),
    dataConstrained: lo({
      uniqueTokens: num,
      params: num,
      tokens: num,
      epochs: num,
      effectiveTokens: num,
      effectiveParams: num,
      loss: num,
      unconstrainedLoss: num,
      naiveLoss: num,
      binding: bool,
    }).optional(),
    warnings,
  }),
});

// ---- fit ------------------------------------------------------------------------------------

const interval = z.tuple([numOrNull, numOrNull], expected('an interval [lo, hi]'));

/** FittedLaw (src-shared/planner/fit-law.ts): what fits.create stores and fits.list turns into a fit. */
export const fitResultSchema = lo({
  law: lo({ kind: z.literal('parametric'), E: num, A: num, B: num, alpha: num, beta: num }),
  objective: num,
  nRuns: count,
  huberDelta: num,
  starts: num,
  topK: num,
  bootstrap: lo({ samples: num, ci: lo({ E: interval, A: interval, B: interval, alpha: interval, beta: interval }) }),
  residuals: arr(lo({ N: num, D: num, loss: num, predicted: num, logResidual: num })),
  rmseLog: num,
  frontierExponents: lo({ a: num, b: num, ci: lo({ a: interval, b: interval }) }),
  warnings,
});

/** StoredFitParams (src-main/services/planner/planner-service.ts): the fit's name is shown in the fit picker. */
export const fitParamsSchema = lo({
  name: z.string(expected("the fit's name")).min(1, { error: 'a fit needs a name' }).max(100, { error: 'at most 100 characters' }),
  runs: arr(lo({ N: num, D: num, loss: num, flops: num.optional() })),
  csvWarnings: warnings.optional(),
});

// ---- lesson ---------------------------------------------------------------------------------

const gdSeconds = lo({ recomputeStep: numOrNull, precompute: numOrNull, precomputeStep: numOrNull });

/** LinregMeasurement (src-main/services/planner/linreg-measure.ts) with its energy. */
export const lessonResultSchema = lo({
  n: num,
  d: num,
  threads: num,
  seconds: gdSeconds,
  bestSeconds: gdSeconds,
  repeats: gdSeconds,
  flops: gdSeconds,
  gflops: gdSeconds,
  // Infinity (stored as null) when a precompute step is not faster.
  measuredBreakEvenSteps: numOrNull,
  predicted: lo({ roofline: lo({ peakGflops: num, bandwidthGBs: num }), seconds: gdSeconds, gflops: gdSeconds, breakEvenSteps: lo({ flops: numOrNull, seconds: numOrNull.optional() }) }).optional(),
  verified: lo({ maxAbsError: numOrNull, maxRelError: numOrNull, ok: bool, checked: num }),
  energy: energyReportSchema.optional(),
});

// ---- attention ------------------------------------------------------------------------------

export const attentionResultSchema = lo({
  shape: lo({ dModel: num, heads: num, headDim: num, kvHeads: num, ffn: num, layers: num, batch: num, bytesPerElement: num, dtype: z.enum(['fp32', 'bf16', 'fp16']) }),
  variants: arr(name),
  seqs: arr(num),
  device: lo({ name, peakGflops: num, bandwidthGBs: num, memoryBytes: num, sramBytes: num, source: text }),
  points: arr(
    lo({
      variant: name,
      seq: num,
      flops: num,
      attentionFlops: num,
      activationBytes: num,
      bytesMoved: num,
      intensity: numOrNull,
      kvCacheBytes: num,
      predictedSeconds: num,
      predictedOn: name.optional(),
      attentionSeconds: num.optional(),
      attentionBound: z.enum(['compute', 'memory']).optional(),
      measuredSeconds: num.optional(),
      measuredPeakBytes: num.optional(),
    }),
  ),
  crossovers: arr(lo({ a: name, b: name, seq: num })),
  warnings,
  measured: lo({
    threads: numOrNull,
    points: arr(
      lo({
        variant: name,
        seq: num,
        seconds: num.optional(),
        predictedSeconds: num.optional(),
        ratio: numOrNull.optional(),
        peakBytes: num.optional(),
        verified: bool.optional(),
        skipped: text.optional(),
        failed: text.optional(),
        joulesPerCall: numOrNull.optional(),
      }),
    ),
    slopes: arr(lo({ variant: name, slope: numOrNull, points: num })),
    note: text,
  }).optional(),
  energy: energyReportSchema.optional(),
  runId: num.nullable().optional(),
});

// ---- the registry ---------------------------------------------------------------------------

/** Any JSON (params nothing reads field by field; depth and size are bounded by the bundle limits). */
const anyJson = z.unknown();

export interface RunKindSchemas {
  params: z.ZodType;
  result: z.ZodType;
}

export const RUN_KIND_SCHEMAS: Record<RunKind, RunKindSchemas> = {
  hardware: { params: anyJson, result: hardwareReportSchema },
  bench: { params: anyJson, result: benchResultSchema },
  profile: { params: anyJson, result: profileResultSchema },
  plan: { params: anyJson, result: planResultSchema },
  fit: { params: fitParamsSchema, result: fitResultSchema },
  lesson: { params: anyJson, result: lessonResultSchema },
  attention: { params: anyJson, result: attentionResultSchema },
};

/** "path.to.field: message" for each issue, paths under `prefix` (e.g. "runs.3.result"). */
export function issuesOf(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`);
}

/** Field-named issues of a run's params and result against its kind's schemas ([] when both pass). */
export function checkRunPayload(kind: RunKind, params: unknown, result: unknown, prefix: string): string[] {
  const schemas = RUN_KIND_SCHEMAS[kind];
  const issues: string[] = [];
  const p = schemas.params.safeParse(params);
  if (!p.success) issues.push(...issuesOf(p.error, `${prefix}params`));
  const r = schemas.result.safeParse(result);
  if (!r.success) issues.push(...issuesOf(r.error, `${prefix}result`));
  return issues;
}
