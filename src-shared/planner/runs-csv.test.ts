import { describe, expect, it, vi } from 'vitest';
import { MAX_RUNS, RunsCsvError, parseRunsCsv } from './runs-csv.js';

/** `count` plausible runs as CSV lines (N from 1e7 up, D = 20 N, loss falling). */
function runLines(count: number, withFlops = false): string[] {
  return Array.from({ length: count }, (_, i) => {
    const N = 1e7 * 2 ** i;
    const D = 20 * N;
    const loss = 2 + 10 / (i + 1);
    return withFlops ? `${N},${D},${loss},${6 * N * D}` : `${N},${D},${loss}`;
  });
}

function csv(header: string, lines: string[]): string {
  return [header, ...lines].join('\n');
}

/** The RunsCsvError `fn` throws (fails the test if it throws something else or nothing). */
function errorOf(fn: () => unknown): RunsCsvError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RunsCsvError);
    return e as RunsCsvError;
  }
  throw new Error('expected a RunsCsvError');
}

describe('parseRunsCsv', () => {
  it('reads params, tokens and loss, in any column order and with extra columns', () => {
    const text = csv('name,loss,tokens,params', runLines(12).map((l, i) => {
      const [N, D, L] = l.split(',');
      return `run${i},${L},${D},${N}`;
    }));
    const { runs, warnings } = parseRunsCsv(text);
    expect(runs).toHaveLength(12);
    expect(runs[0]).toEqual({ N: 1e7, D: 2e8, loss: 12 });
    expect(runs[11]!.N).toBe(1e7 * 2 ** 11);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['N,D,L'],
    ['Parameters,Data,Final_Loss'],
    ['MODEL_SIZE, Training_Tokens ,loss'],
    ['n,d,l'],
  ])('accepts the header aliases %s', (header) => {
    expect(parseRunsCsv(csv(header, runLines(10))).runs).toHaveLength(10);
  });

  it('accepts 1e9, 1.5e+20 and plain integers, and skips blank lines', () => {
    const lines = runLines(10);
    lines[0] = '400000000,1.5e+10,3.25';
    lines[1] = '1e9,2E10,3.0';
    const { runs } = parseRunsCsv(`\uFEFF${csv('params,tokens,loss', lines)}\n\n ,, \n`);
    expect(runs).toHaveLength(10);
    expect(runs[0]).toEqual({ N: 4e8, D: 1.5e10, loss: 3.25 });
    expect(runs[1]).toEqual({ N: 1e9, D: 2e10, loss: 3 });
  });

  it('auto-detects tab and semicolon delimiters', () => {
    for (const sep of ['\t', ';']) {
      const text = csv(['params', 'tokens', 'loss'].join(sep), runLines(10).map((l) => l.split(',').join(sep)));
      expect(parseRunsCsv(text).runs).toHaveLength(10);
    }
  });

  it('keeps FLOPs when present and warns (does not fail) when they are > 2× away from 6·N·D', () => {
    const lines = runLines(10, true);
    lines[2] = '1e8,2e9,3,1e20'; // 6ND = 1.2e18: ~83× over
    lines[4] = '1e8,2e9,3,4e17'; // 1/3 of 6ND
    lines[5] = '1e8,2e9,3,2e18'; // 1.67×: fine
    lines[6] = '1e8,2e9,3,'; // FLOPs optional per row
    const { runs, warnings } = parseRunsCsv(csv('params,tokens,loss,flops', lines));
    expect(runs[0]!.flops).toBe(6 * 1e7 * 2e8);
    expect(runs[6]).toEqual({ N: 1e8, D: 2e9, loss: 3 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/in 2 row\(s\)/);
    expect(warnings[0]).toMatch(/row 3: flops = 1\.000e\+20 is 83\.3× 6·N·D/);
    expect(warnings[0]).toMatch(/row 5: flops = 4\.000e\+17 is 1\/3\.00 of 6·N·D/);
  });

  it('accepts c and compute as the FLOPs column', () => {
    expect(parseRunsCsv(csv('N,D,loss,C', runLines(10, true))).runs[0]!.flops).toBeGreaterThan(0);
    expect(parseRunsCsv(csv('N,D,loss,compute', runLines(10, true))).runs[0]!.flops).toBeGreaterThan(0);
  });

  describe('errors', () => {
    it('says the CSV is empty', () => {
      for (const text of ['', '  \n\n ', '\uFEFF']) {
        const e = errorOf(() => parseRunsCsv(text));
        expect(e.message).toBe('the CSV is empty');
        expect(e.field).toBe('csv');
      }
    });

    it('names the missing column and the columns it found', () => {
      const e = errorOf(() => parseRunsCsv('a,b\n1,2\n'));
      expect(e.message).toBe('missing column "params" (need params, tokens and loss; found: a, b)');
      expect(e.field).toBe('params');
      const e2 = errorOf(() => parseRunsCsv(csv('params,tokens,perplexity', runLines(10))));
      expect(e2.message).toBe('missing column "loss" (need params, tokens and loss; found: params, tokens, perplexity)');
      expect(e2.field).toBe('loss');
    });

    it('rejects two columns that mean the same thing', () => {
      const e = errorOf(() => parseRunsCsv(csv('params,N,tokens,loss', runLines(10).map((l) => `1,${l}`))));
      expect(e.message).toBe('columns "params" and "N" both give params; keep one');
      expect(e.field).toBe('params');
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {}); // papaparse notes the rename
      const e2 = errorOf(() => parseRunsCsv(csv('params,tokens,loss,loss', runLines(10).map((l) => `${l},1`))));
      warn.mockRestore();
      expect(e2.message).toBe('column "loss" appears more than once; keep one');
    });

    it('names the row, the column and the text that is not a number', () => {
      const lines = runLines(10);
      lines[6] = '1e8,abc,3';
      const e = errorOf(() => parseRunsCsv(csv('params,tokens,loss', lines)));
      expect(e.message).toBe('row 7, column "tokens": "abc" is not a number');
      expect(e.field).toBe('tokens');
    });

    it('rejects thousands separators and non-finite numbers', () => {
      const lines = runLines(10);
      lines[1] = '"1,000,000",2e9,3';
      expect(errorOf(() => parseRunsCsv(csv('params,tokens,loss', lines))).message).toBe(
        'row 2, column "params": "1,000,000" is not a number',
      );
      lines[1] = '1e8,2e9,Infinity';
      expect(errorOf(() => parseRunsCsv(csv('params,tokens,loss', lines))).message).toBe(
        'row 2, column "loss": "Infinity" is not a finite number',
      );
      lines[1] = '1e400,2e9,3';
      expect(errorOf(() => parseRunsCsv(csv('params,tokens,loss', lines))).message).toBe(
        'row 2, column "params": "1e400" is not a finite number',
      );
    });

    it('requires params, tokens and loss to be > 0 (naming the column as the file spells it)', () => {
      const lines = runLines(10);
      lines[2] = '-5,2e9,3';
      const e = errorOf(() => parseRunsCsv(csv('params,tokens,loss', lines)));
      expect(e.message).toBe('row 3, column "params": must be > 0 (got -5)');
      expect(e.field).toBe('params');
      lines[2] = '1e8,2e9,0';
      const e2 = errorOf(() => parseRunsCsv(csv('N,D,Loss', lines)));
      expect(e2.message).toBe('row 3, column "Loss": must be > 0 (got 0)');
      expect(e2.field).toBe('loss');
    });

    it('rejects a non-positive or malformed FLOPs value even though the column is optional', () => {
      const lines = runLines(10, true);
      lines[0] = '1e8,2e9,3,-1';
      expect(errorOf(() => parseRunsCsv(csv('params,tokens,loss,flops', lines))).field).toBe('flops');
      lines[0] = '1e8,2e9,3,lots';
      expect(errorOf(() => parseRunsCsv(csv('params,tokens,loss,flops', lines))).message).toBe(
        'row 1, column "flops": "lots" is not a number',
      );
    });

    it('reports a missing value in a required column', () => {
      const lines = runLines(10);
      lines[3] = '1e8,,3';
      expect(errorOf(() => parseRunsCsv(csv('params,tokens,loss', lines))).message).toBe('row 4, column "tokens": missing value');
      lines[3] = '1e8,2e9'; // too few fields
      expect(errorOf(() => parseRunsCsv(csv('params,tokens,loss', lines))).message).toBe('row 4, column "loss": missing value');
    });

    it('needs at least 10 runs', () => {
      const e = errorOf(() => parseRunsCsv(csv('params,tokens,loss', runLines(4))));
      expect(e.message).toBe('need at least 10 runs to fit 5 constants (got 4)');
      expect(e.field).toBe('rows');
      expect(errorOf(() => parseRunsCsv('params,tokens,loss\n')).message).toBe('need at least 10 runs to fit 5 constants (got 0)');
    });

    it(`caps the file at ${MAX_RUNS} runs`, () => {
      const line = '1e8,2e9,3';
      const text = `params,tokens,loss\n${`${line}\n`.repeat(MAX_RUNS + 1)}`;
      const e = errorOf(() => parseRunsCsv(text));
      expect(e.field).toBe('rows');
      expect(e.message).toBe('too many rows: 100,001 runs (the limit is 100,000)');
      // Exactly at the cap, with blank lines between, is fine.
      const ok = `params,tokens,loss\n${`${line}\n\n`.repeat(MAX_RUNS)}`;
      expect(parseRunsCsv(ok).runs).toHaveLength(MAX_RUNS);
    });

    it('reports an unterminated quote', () => {
      const e = errorOf(() => parseRunsCsv(csv('params,tokens,loss', [...runLines(10), '"1e8,2e9,3'])));
      expect(e.field).toBe('csv');
      expect(e.message).toMatch(/^the CSV has a quoted field with no closing quote/);
    });
  });

  it('warns about rows with more fields than the header', () => {
    const lines = runLines(10);
    lines[1] = `${lines[1]},extra`;
    const { runs, warnings } = parseRunsCsv(csv('params,tokens,loss', lines));
    expect(runs).toHaveLength(10);
    expect(warnings).toEqual(['row 2 has more fields than the header; the extra fields were ignored']);
  });
});
