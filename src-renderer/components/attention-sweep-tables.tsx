/**
 * What the Transformers lab shows around its sweep chart (renderer): the crossovers on the chosen
 * metric beside the chart (the chart only marks them), the chart's values in a table under it,
 * and a tooltip that shows the value of the point under the pointer or keyboard focus. The numbers
 * come from the chart module's own helpers (attentionSeriesOf, attentionCrossoversOf,
 * memoryCrossingsOf), so table and chart never disagree.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { AttentionPoint } from '../../src-shared/attention/types.js';
import {
  ATTENTION_METRICS,
  attentionCrossoversOf,
  attentionSeriesOf,
  attentionValueLabel,
  memoryCrossingsOf,
  seqApprox,
  type AttentionMetric,
} from '../../src-shared/charts/attention-sweep-chart.js';
import { DataTable } from '../ui/data-table.js';

/** Seconds with an SI prefix and unit: "2.17 s", "350 µs" (never "2171.77 ms"); "—" when absent. */
export function formatSeconds(seconds: number | undefined): string {
  return seconds === undefined || !Number.isFinite(seconds) ? '—' : attentionValueLabel(seconds, 'seconds', true);
}

/**
 * A chart with a tooltip: hovering or focusing an element with data-tip (the chart's hit areas)
 * shows its text above it. The hit areas are focusable, so Tab walks the points.
 */
export function ChartTips({ children, testId }: { children: ReactNode; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const [tip, setTip] = useState<{ text: string; x: number; y: number } | null>(null);
  const show = (target: EventTarget | null) => {
    const el = target instanceof Element ? target.closest('[data-tip]') : null;
    const box = host.current?.getBoundingClientRect();
    if (!el || !box) return setTip(null);
    const r = el.getBoundingClientRect();
    setTip({ text: el.getAttribute('data-tip') ?? '', x: r.left + r.width / 2 - box.left, y: r.top - box.top });
  };
  useLayoutEffect(() => {
    // Placed through the CSSOM (the CSP allows no style attributes in markup).
    const t = tipRef.current;
    if (!t || !tip) return;
    const width = host.current?.clientWidth ?? 0;
    const left = Math.max(0, Math.min(tip.x - t.offsetWidth / 2, width - t.offsetWidth));
    t.style.setProperty('left', `${Math.round(left)}px`);
    t.style.setProperty('top', `${Math.round(tip.y - t.offsetHeight - 6)}px`);
  }, [tip]);
  return (
    <div
      ref={host}
      className="att-chart-tips"
      data-testid={testId}
      onMouseOver={(e) => show(e.target)}
      onFocus={(e) => show(e.target)}
      onMouseLeave={() => setTip(null)}
      onBlur={() => setTip(null)}
    >
      {children}
      {tip ? (
        <div ref={tipRef} className="att-chart-tip" role="tooltip" data-testid="att-chart-tip">
          {tip.text}
        </div>
      ) : null}
    </div>
  );
}

/** The crossovers on the chart's metric (and, on the capacity metrics, where lines cross the device memory). */
export function SweepCrossoverTable({
  points,
  metric,
  labels,
  memoryBytes,
  memoryLabel,
}: {
  points: readonly AttentionPoint[];
  metric: AttentionMetric;
  labels: Readonly<Record<string, string>> | undefined;
  memoryBytes?: number;
  memoryLabel?: string;
}) {
  const crossovers = attentionCrossoversOf(points, metric, labels);
  const memory = memoryCrossingsOf(points, metric, memoryBytes, labels);
  const what = ATTENTION_METRICS[metric].label;
  const none = 'No variant overtakes another on this metric in this range.';
  // The table's testId and metric sit on a wrapper (DataTable owns its <table>); the caption is
  // shown above the table as well, since beside the chart it says which metric the rows are for.
  return (
    <div className="att-crossover-wrap" data-testid="att-crossovers" data-metric={metric}>
      <p className="minor-heading att-crossover-title" aria-hidden="true">
        Crossovers — {what}
      </p>
      <DataTable
        caption={`Crossovers — ${what}`}
        empty={none}
        columns={[{ label: 'Lower beyond' }, { label: 'than' }, { label: 'Sequence length', num: true }]}
        rows={[
          ...crossovers.map((c) => ({ key: `${c.a}|${c.b}|${c.seq}`, testId: 'att-crossover', cells: [c.a, c.b, seqApprox(c.seq)] })),
          ...memory.map((m) => ({
            key: `mem|${m.label}|${m.seq}`,
            testId: 'att-memory-crossing',
            cells: [m.label, m.rising ? `outgrows ${memoryLabel ?? 'memory'}` : `fits back under ${memoryLabel ?? 'memory'}`, seqApprox(m.seq)],
          })),
        ]}
      />
      {!crossovers.length && memory.length ? <p className="note table-note">{none}</p> : null}
    </div>
  );
}

/** The chart's values as a table: a row per sequence length, a column per drawn line (identical variants share one). */
export function SweepValuesTable({ points, metric, labels }: { points: readonly AttentionPoint[]; metric: AttentionMetric; labels: Readonly<Record<string, string>> | undefined }) {
  const series = attentionSeriesOf(points, metric, labels);
  const { unit, label } = ATTENTION_METRICS[metric];
  const seqs = [...new Set(series.flatMap((s) => s.points.map((p) => p.seq)))].sort((a, b) => a - b);
  return (
    <details className="att-values" data-testid="att-values">
      <summary>Values in a table — {label}</summary>
      <DataTable
        testId="att-values-table"
        caption={`${label} per sequence length`}
        rowHeaders
        columns={[{ label: 'Sequence length', num: true }, ...series.map((s) => ({ label: s.label, num: true }))]}
        rows={seqs.map((seq) => ({
          key: String(seq),
          cells: [
            seq.toLocaleString('en-US'),
            ...series.map((s) => {
              const p = s.points.find((q) => q.seq === seq);
              return p ? attentionValueLabel(p.value, unit, true) : '—';
            }),
          ],
        }))}
      />
    </details>
  );
}
