/**
 * Reads the user's training runs from CSV text for the scaling-law fit (runs anywhere; papaparse
 * in header mode, delimiter auto-detected, blank and all-empty lines skipped).
 *
 * Columns, matched case-insensitively after trimming (any order, other columns ignored):
 *   params | n | parameters | model_size  → N (parameters)
 *   tokens | d | data | training_tokens   → D (training tokens)
 *   loss | l | final_loss                 → final loss (nats)
 *   flops | c | compute                   → training FLOPs (optional)
 * Values are plain JavaScript numbers (400000000, 1e9, 1.5e+20): anything Number() rejects, or
 * that is not finite, is an error; no thousands separators. Rows are numbered from 1 = the first
 * run under the header (skipped blank lines do not count). A FLOPs value more than 2× away from
 * 6·N·D is a warning, not an error (it may count attention, or embeddings differently).
 */
import Papa from 'papaparse';
import { FieldError } from '../errors/field-error.js';
import { MIN_RUNS, type ObservedRun } from './fit-law.js';

export const MAX_RUNS = 100_000;

export type RunsCsvField = 'csv' | 'params' | 'tokens' | 'loss' | 'flops' | 'rows';

export class RunsCsvError extends FieldError {
  /** Which part of the input the message is about: a canonical column, the row count, or 'csv'. */
  declare readonly field: RunsCsvField;
  constructor(message: string, field: RunsCsvField) {
    super(field, message);
    this.name = 'RunsCsvError';
  }

  /** The API names the CSV: "CSV row 3: …", with the issue under csv.<field>. */
  override apiMessage(): string {
    return `CSV ${this.message}`;
  }

  override apiIssues(): string[] {
    return [`csv.${this.field}: ${this.message}`];
  }
}

export interface ParsedRuns {
  runs: ObservedRun[];
  warnings: string[];
}

type Column = 'params' | 'tokens' | 'loss' | 'flops';

const ALIASES: Record<Column, readonly string[]> = {
  params: ['params', 'n', 'parameters', 'model_size'],
  tokens: ['tokens', 'd', 'data', 'training_tokens'],
  loss: ['loss', 'l', 'final_loss'],
  flops: ['flops', 'c', 'compute'],
};
const REQUIRED: readonly Column[] = ['params', 'tokens', 'loss'];
/** How many FLOPs mismatches are listed one by one before the rest are summarised. */
const MAX_FLOPS_WARNINGS = 5;

function columnOf(header: string): Column | null {
  const h = header.trim().toLowerCase();
  for (const col of Object.keys(ALIASES) as Column[]) if (ALIASES[col].includes(h)) return col;
  return null;
}

const FLOPS_PER_PARAM_TOKEN = 6; // C ≈ 6·N·D (Kaplan et al. 2020 §2.1)

export function parseRunsCsv(text: string): ParsedRuns {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new RunsCsvError('the CSV is empty', 'csv');

  const parsed = Papa.parse<Record<string, string | undefined>>(body, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
    // No `preview` cap: papaparse counts skipped blank lines in it, so a file of exactly MAX_RUNS
    // runs with blank lines would be cut silently. The caller bounds the file size.
  });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    throw new RunsCsvError(`the CSV has a quoted field with no closing quote (${quoteError.message.replace(/\.$/, '').toLowerCase()})`, 'csv');
  }

  const headers = (parsed.meta.fields ?? []).filter((h) => h !== '');
  const headerOf: Partial<Record<Column, string>> = {};
  // papaparse renames a repeated header ("loss", "loss_1"); a repeated column we read is ambiguous.
  for (const original of Object.values(parsed.meta.renamedHeaders ?? {})) {
    const col = columnOf(original);
    if (col !== null) throw new RunsCsvError(`column "${original}" appears more than once; keep one`, col);
  }
  for (const h of headers) {
    const col = columnOf(h);
    if (col === null) continue;
    const prev = headerOf[col];
    if (prev !== undefined) throw new RunsCsvError(`columns "${prev}" and "${h}" both give ${col}; keep one`, col);
    headerOf[col] = h;
  }
  for (const col of REQUIRED) {
    if (headerOf[col] === undefined) {
      const found = headers.length ? headers.join(', ') : 'no columns';
      throw new RunsCsvError(`missing column "${col}" (need params, tokens and loss; found: ${found})`, col);
    }
  }

  const rows = parsed.data;
  if (rows.length > MAX_RUNS) {
    throw new RunsCsvError(`too many rows: ${rows.length.toLocaleString('en-US')} runs (the limit is ${MAX_RUNS.toLocaleString('en-US')})`, 'rows');
  }
  if (rows.length < MIN_RUNS) {
    throw new RunsCsvError(`need at least ${MIN_RUNS} runs to fit 5 constants (got ${rows.length})`, 'rows');
  }

  const warnings: string[] = [];
  const extraRows = parsed.errors.filter((e) => e.code === 'TooManyFields').map((e) => (e.row ?? 0) + 1);
  if (extraRows.length) {
    warnings.push(`row${extraRows.length > 1 ? 's' : ''} ${listRows(extraRows)} ha${extraRows.length > 1 ? 've' : 's'} more fields than the header; the extra fields were ignored`);
  }

  const number = (row: Record<string, string | undefined>, rowNo: number, col: Column, optional: boolean): number | undefined => {
    const header = headerOf[col]!;
    const raw = (row[header] ?? '').trim();
    if (raw === '') {
      if (optional) return undefined;
      throw new RunsCsvError(`row ${rowNo}, column "${header}": missing value`, col);
    }
    const v = Number(raw);
    if (Number.isNaN(v)) throw new RunsCsvError(`row ${rowNo}, column "${header}": "${raw}" is not a number`, col);
    if (!Number.isFinite(v)) throw new RunsCsvError(`row ${rowNo}, column "${header}": "${raw}" is not a finite number`, col);
    if (!(v > 0)) throw new RunsCsvError(`row ${rowNo}, column "${header}": must be > 0 (got ${raw})`, col);
    return v;
  };

  const mismatches: string[] = [];
  let mismatchCount = 0;
  const runs: ObservedRun[] = rows.map((row, i) => {
    const rowNo = i + 1;
    const N = number(row, rowNo, 'params', false)!;
    const D = number(row, rowNo, 'tokens', false)!;
    const loss = number(row, rowNo, 'loss', false)!;
    const flops = headerOf.flops === undefined ? undefined : number(row, rowNo, 'flops', true);
    if (flops === undefined) return { N, D, loss };
    const ratio = flops / (FLOPS_PER_PARAM_TOKEN * N * D);
    if (ratio > 2 || ratio < 0.5) {
      mismatchCount++;
      if (mismatches.length < MAX_FLOPS_WARNINGS) {
        mismatches.push(`row ${rowNo}: ${headerOf.flops} = ${flops.toExponential(3)} is ${ratio >= 1 ? `${ratio.toPrecision(3)}×` : `1/${(1 / ratio).toPrecision(3)} of`} 6·N·D = ${(FLOPS_PER_PARAM_TOKEN * N * D).toExponential(3)}`);
      }
    }
    return { N, D, loss, flops };
  });
  if (mismatchCount > 0) {
    const more = mismatchCount > mismatches.length ? `; and ${mismatchCount - mismatches.length} more row(s)` : '';
    warnings.push(
      `FLOPs differ from 6·N·D by more than a factor of 2 in ${mismatchCount} row(s) (${mismatches.join('; ')}${more}). ` +
        'The fit uses N and D only; check the units (parameters, tokens, FLOPs) of those rows.',
    );
  }
  return { runs, warnings };
}

function listRows(rows: number[]): string {
  return rows.length <= 5 ? rows.join(', ') : `${rows.slice(0, 5).join(', ')} and ${rows.length - 5} more`;
}
