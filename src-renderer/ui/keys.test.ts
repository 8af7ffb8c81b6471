import { describe, expect, it } from 'vitest';
import { limitRows, segmentKeyTarget, shortFileName } from './keys.js';

describe('segmentKeyTarget', () => {
  it('moves right/down and left/up with wrap-around', () => {
    expect(segmentKeyTarget('ArrowRight', 0, 3)).toBe(1);
    expect(segmentKeyTarget('ArrowDown', 2, 3)).toBe(0);
    expect(segmentKeyTarget('ArrowLeft', 0, 3)).toBe(2);
    expect(segmentKeyTarget('ArrowUp', 1, 3)).toBe(0);
  });
  it('goes to the ends with Home and End', () => {
    expect(segmentKeyTarget('Home', 2, 3)).toBe(0);
    expect(segmentKeyTarget('End', 0, 3)).toBe(2);
  });
  it('skips disabled options', () => {
    expect(segmentKeyTarget('ArrowRight', 0, 3, [false, true, false])).toBe(2);
    expect(segmentKeyTarget('Home', 2, 3, [true, false, false])).toBe(1);
    expect(segmentKeyTarget('End', 0, 3, [false, false, true])).toBe(1);
  });
  it('starts from nothing selected', () => {
    expect(segmentKeyTarget('ArrowRight', -1, 3)).toBe(0);
    expect(segmentKeyTarget('ArrowLeft', -1, 3)).toBe(2);
  });
  it('ignores other keys and all-disabled groups', () => {
    expect(segmentKeyTarget('Enter', 0, 3)).toBeNull();
    expect(segmentKeyTarget('a', 0, 3)).toBeNull();
    expect(segmentKeyTarget('ArrowRight', 0, 2, [true, true])).toBeNull();
    expect(segmentKeyTarget('ArrowRight', 0, 0)).toBeNull();
  });
});

describe('limitRows', () => {
  const rows = Array.from({ length: 25 }, (_, i) => i);
  it('shows the first 20 and counts the rest', () => {
    const r = limitRows(rows, false);
    expect(r.visible).toHaveLength(20);
    expect(r.visible[19]).toBe(19);
    expect(r.hidden).toBe(5);
  });
  it('shows everything when asked or when it fits', () => {
    expect(limitRows(rows, true)).toEqual({ visible: rows, hidden: 0 });
    expect(limitRows(rows.slice(0, 20), false).hidden).toBe(0);
    expect(limitRows(rows, false, 30).hidden).toBe(0);
    expect(limitRows(rows, false, 10).hidden).toBe(15);
  });
});

describe('shortFileName', () => {
  it('keeps short base names and drops directories', () => {
    expect(shortFileName('C:\\models\\tiny.gguf')).toBe('tiny.gguf');
    expect(shortFileName('/tmp/a/fit.csv')).toBe('fit.csv');
  });
  it('cuts long names in the middle to the limit', () => {
    const s = shortFileName('a-very-long-model-file-name-with-quantisation-Q4_K_M.gguf', 20);
    expect(s).toHaveLength(20);
    expect(s.startsWith('a-very-lon')).toBe(true);
    expect(s.endsWith('_M.gguf')).toBe(true);
    expect(s).toContain('…');
  });
});
