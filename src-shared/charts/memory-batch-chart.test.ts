// Unit tests for the memory-vs-batch chart: both lines, device lines with labels, fit marks, escaping, empty input.
import { describe, expect, it } from 'vitest';
import { batchLabel, renderMemoryBatchChart, type MemoryBatchPoint } from './memory-batch-chart.js';

const line = (fixed: number, perSample: number): MemoryBatchPoint[] => [1, 2, 4, 8, 16, 32, 64].map((batch) => ({ batch, total: fixed + perSample * batch }));

describe('renderMemoryBatchChart', () => {
  const svg = String(renderMemoryBatchChart(
    {
      plain: line(1e6, 1e6),
      checkpointed: line(1e6, 2e5),
      devices: [
        { label: 'RAM', bytes: 16 * 2 ** 30 },
        { label: 'GPU 0 <VRAM>', bytes: 2 ** 25 },
      ],
      fits: [{ device: 'GPU 0 <VRAM>', batch: 32, bytes: 33e6 }],
      current: 8,
    },
    { width: 640 },
  ));

  it('draws one path without and one with checkpointing', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('class="memory-batch-chart"');
    expect(svg.match(/<path class="series plain"/g)).toHaveLength(1);
    expect(svg.match(/<path class="series checkpointed"/g)).toHaveLength(1);
    expect(svg).toContain('batch size (log)');
  });

  it('draws each device memory as a labelled horizontal line, text escaped', () => {
    expect(svg.match(/<g class="device-line/g)).toHaveLength(2);
    expect(svg).toContain('RAM 16 GiB');
    expect(svg).toContain('GPU 0 &lt;VRAM&gt; 32 MiB');
    expect(svg).not.toContain('<VRAM>');
    const m = /<line class="device" x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="([\d.]+)"/.exec(svg)!;
    expect(m[3]).toBe(m[4]);
  });

  it('marks the largest batch that fits and the chosen batch', () => {
    expect(svg).toContain('data-batch="32"');
    expect(svg).toContain('fits 32');
    expect(svg).toContain('<line class="current" data-batch="8"');
  });

  it('puts the larger memory higher (log y) and uses no inline styles', () => {
    const ys = [...svg.matchAll(/<line class="device" [^>]*y1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[0]).toBeLessThan(ys[1]!);
    expect(svg).not.toContain('style=');
  });

  it('labels large power-of-two batches as powers', () => {
    expect(batchLabel(256)).toBe('256');
    expect(batchLabel(2 ** 20)).toBe('2^20');
  });

  it('says so instead of drawing with fewer than two points', () => {
    const empty = String(renderMemoryBatchChart({ plain: [{ batch: 1, total: 10 }], checkpointed: [], devices: [] }));
    expect(empty).toContain('chart-empty');
    expect(empty).toContain('Not enough batch sizes');
  });
});
