/**
 * The attention-variant syntax of the efficient-transformer lab (pure; runs anywhere): parses the
 * CLI/UI tokens into AttentionVariant values, checks values built elsewhere (JSON), writes them
 * back as canonical text and as legend labels.
 *
 *   full                          softmax attention over every pair
 *   causal                        each query sees itself and the keys before it
 *   sliding:W                     W keys around each query (Beltagy et al. 2020, Longformer §3.1)
 *   dilated:W:DIL                 W keys spaced DIL apart (Longformer §3.1)
 *   global:W:G                    sliding window W plus G global tokens (Longformer §3.1)
 *   bigbird:BLOCK:RANDOM:GLOBAL   BigBird block-sparse (Zaheer et al. 2020 §2), e.g. bigbird:64:3:2
 *   linear                        kernelised linear attention, φ = elu + 1 (Katharopoulos et al. 2020)
 *   gqa:KV                        grouped-query attention with KV K/V heads (Ainslie et al. 2023; 1 = MQA)
 *   flash                         FlashAttention (Dao et al. 2022), bidirectional
 *   tome:R                        token merging, R tokens merged per layer (Bolya et al. 2023)
 *   prune:KEEP                    keep the fraction 0 < KEEP ≤ 1 of the tokens per layer
 *
 * Kinds are case-insensitive and spaces around tokens are ignored; numbers are plain decimal
 * (whole numbers as digits only: no 1e3, no 4k). Every bad token throws a VariantError whose
 * message starts with the token in quotes and says what is wrong.
 */
import { FieldError } from '../errors/field-error.js';
import type { AttentionVariant, VariantKind } from './types.js';

/** Largest window, block, count or dilation a token may carry (the lab's longest sequence, 2^20). */
export const MAX_VARIANT_PARAM = 1_048_576;

export class VariantError extends FieldError {
  /** The input the message is about: always the variants list. */
  declare readonly field: 'variants';
  constructor(message: string) {
    super('variants', message);
    this.name = 'VariantError';
  }
}

/** Every kind with its syntax, in the order the lab lists them. */
export const VARIANT_SYNTAX: Readonly<Record<VariantKind, string>> = {
  full: 'full',
  causal: 'causal',
  sliding: 'sliding:W',
  dilated: 'dilated:W:DIL',
  global: 'global:W:G',
  bigbird: 'bigbird:BLOCK:RANDOM:GLOBAL',
  linear: 'linear',
  gqa: 'gqa:KV',
  flash: 'flash',
  tome: 'tome:R',
  prune: 'prune:KEEP',
};

/** One example per kind, for help text and error messages. */
const EXAMPLE: Readonly<Record<VariantKind, string>> = {
  full: 'full',
  causal: 'causal',
  sliding: 'sliding:512',
  dilated: 'dilated:512:2',
  global: 'global:512:2',
  bigbird: 'bigbird:64:3:2',
  linear: 'linear',
  gqa: 'gqa:4',
  flash: 'flash',
  tome: 'tome:8',
  prune: 'prune:0.7',
};

export const VARIANT_KINDS = Object.keys(VARIANT_SYNTAX) as VariantKind[];

const KNOWN = VARIANT_KINDS.map((k) => VARIANT_SYNTAX[k]).join(', ');

/** What each numeric parameter is, in the order it is written; `min` 0 or 1 for whole numbers. */
type Param = { name: string; what: string; min: 0 | 1 } | { name: 'keep'; what: string; fraction: true };

const PARAMS: Readonly<Record<VariantKind, readonly Param[]>> = {
  full: [],
  causal: [],
  sliding: [{ name: 'window', what: 'the window', min: 1 }],
  dilated: [
    { name: 'window', what: 'the window', min: 1 },
    { name: 'dilation', what: 'the dilation', min: 1 },
  ],
  global: [
    { name: 'window', what: 'the window', min: 1 },
    { name: 'globalTokens', what: 'the number of global tokens', min: 1 },
  ],
  bigbird: [
    { name: 'block', what: 'the block size', min: 1 },
    { name: 'randomBlocks', what: 'the number of random blocks', min: 0 },
    { name: 'globalBlocks', what: 'the number of global blocks', min: 0 },
  ],
  linear: [],
  gqa: [{ name: 'kvHeads', what: 'the number of K/V heads', min: 1 }],
  flash: [],
  tome: [{ name: 'r', what: 'the number of tokens merged per layer (r)', min: 0 }],
  prune: [{ name: 'keep', what: 'the kept fraction', fraction: true }],
};

const WHOLE = /^\d+$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Parses one token such as "sliding:512" or "bigbird:64:3:2". */
export function parseVariant(text: string): AttentionVariant {
  if (typeof text !== 'string') throw new VariantError(`a variant must be text such as "sliding:512" (got ${String(text)})`);
  const token = text.trim();
  if (token === '') throw new VariantError(`empty variant (known: ${KNOWN})`);
  const parts = token.split(':').map((p) => p.trim());
  const kindText = parts[0]!.toLowerCase();
  if (!(kindText in PARAMS)) {
    const near = nearest(kindText);
    throw new VariantError(`unknown variant "${token}" (known: ${KNOWN})${near ? `; did you mean ${VARIANT_SYNTAX[near]}?` : ''}`);
  }
  const kind = kindText as VariantKind;
  const params = PARAMS[kind];
  const args = parts.slice(1);
  if (args.length !== params.length) {
    const expected =
      params.length === 0
        ? 'takes no parameters'
        : `needs ${params.length === 1 ? params[0]!.what : params.map((p) => p.what).join(', ')}`;
    throw new VariantError(`"${token}": ${kind} ${expected}, written ${VARIANT_SYNTAX[kind]} (e.g. ${EXAMPLE[kind]})`);
  }
  const values: Record<string, number> = {};
  params.forEach((p, i) => {
    const raw = args[i]!;
    if ('fraction' in p) {
      if (!DECIMAL.test(raw)) throw new VariantError(`"${token}": ${p.what} must be a number with 0 < keep ≤ 1 (got "${raw}")`);
      values[p.name] = Number(raw);
    } else {
      if (!WHOLE.test(raw)) throw new VariantError(`"${token}": ${p.what} must be ${p.min === 1 ? 'a positive' : 'a non-negative'} whole number (got "${raw}")`);
      values[p.name] = Number(raw);
    }
  });
  const variant = { kind, ...values } as AttentionVariant;
  checkParams(variant, token);
  return variant;
}

/**
 * Checks a variant built in code or read from JSON (the parser already does): the kind is known,
 * every parameter is present, whole where it must be, and in range. Throws VariantError.
 */
export function validateVariant(v: AttentionVariant): AttentionVariant {
  if (typeof v !== 'object' || v === null || typeof (v as { kind?: unknown }).kind !== 'string' || !((v as { kind: string }).kind in PARAMS)) {
    const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : v;
    throw new VariantError(`unknown variant ${JSON.stringify(kind) ?? String(kind)} (known: ${KNOWN})`);
  }
  checkParams(v, describe(v));
  return v;
}

function checkParams(v: AttentionVariant, token: string): void {
  const record: Record<string, unknown> = v;
  for (const p of PARAMS[v.kind]) {
    const value = record[p.name];
    if ('fraction' in p) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new VariantError(`"${token}": ${p.what} must be a number with 0 < keep ≤ 1 (got ${String(value)})`);
      if (value <= 0) throw new VariantError(`"${token}": ${p.what} must be greater than 0 (0 < keep ≤ 1; keep 0 would drop every token)`);
      if (value > 1) throw new VariantError(`"${token}": ${p.what} must be at most 1 (0 < keep ≤ 1; 1 keeps every token)`);
    } else {
      const kindOfNumber = p.min === 1 ? 'a positive' : 'a non-negative';
      if (typeof value !== 'number' || !Number.isInteger(value) || value < p.min) {
        throw new VariantError(`"${token}": ${p.what} must be ${kindOfNumber} whole number (got ${String(value)})`);
      }
      if (value > MAX_VARIANT_PARAM) throw new VariantError(`"${token}": ${p.what} must be at most ${MAX_VARIANT_PARAM} (got ${value})`);
    }
  }
}

/** The token as written in a message, even for a half-built value. */
function describe(v: AttentionVariant): string {
  const record: Record<string, unknown> = v;
  return [v.kind, ...PARAMS[v.kind].map((p) => String(record[p.name]))].join(':');
}

/** Canonical text: parseVariant(formatVariant(v)) deep-equals v. */
export function formatVariant(v: AttentionVariant): string {
  switch (v.kind) {
    case 'full':
    case 'causal':
    case 'linear':
    case 'flash':
      return v.kind;
    case 'sliding':
      return `sliding:${v.window}`;
    case 'dilated':
      return `dilated:${v.window}:${v.dilation}`;
    case 'global':
      return `global:${v.window}:${v.globalTokens}`;
    case 'bigbird':
      return `bigbird:${v.block}:${v.randomBlocks}:${v.globalBlocks}`;
    case 'gqa':
      return `gqa:${v.kvHeads}`;
    case 'tome':
      return `tome:${v.r}`;
    case 'prune':
      return `prune:${v.keep}`;
  }
}

/**
 * Parses a comma-separated list ("full,sliding:512,linear"). Rejects an empty list, an empty entry
 * between commas, and the same variant twice (compared in canonical form, so "sliding:0512"
 * repeats "sliding:512").
 */
export function parseVariants(text: string): AttentionVariant[] {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new VariantError(`no variants given: list one or more, comma-separated, e.g. "full,sliding:512,linear" (known: ${KNOWN})`);
  }
  const tokens = text.split(',').map((t) => t.trim());
  const out: AttentionVariant[] = [];
  const seen = new Map<string, string>();
  tokens.forEach((token, i) => {
    if (token === '') throw new VariantError(`empty variant at position ${i + 1} of "${text.trim()}" (a stray comma?)`);
    const v = parseVariant(token);
    const canonical = formatVariant(v);
    const first = seen.get(canonical);
    if (first !== undefined) {
      throw new VariantError(first === token ? `"${token}" is listed twice` : `"${token}" is listed twice (it is the same as "${first}")`);
    }
    seen.set(canonical, token);
    out.push(v);
  });
  return out;
}

/** Rejects a list with the same variant twice (for lists built in code). */
export function checkDistinct(variants: readonly AttentionVariant[]): void {
  const seen = new Set<string>();
  for (const v of variants) {
    const canonical = formatVariant(v);
    if (seen.has(canonical)) throw new VariantError(`"${canonical}" is listed twice`);
    seen.add(canonical);
  }
}

/** A legend label, e.g. "sliding window w=512". */
export function variantLabel(v: AttentionVariant): string {
  switch (v.kind) {
    case 'full':
      return 'full attention';
    case 'causal':
      return 'causal attention';
    case 'sliding':
      return `sliding window w=${v.window}`;
    case 'dilated':
      return `dilated window w=${v.window}, dilation ${v.dilation}`;
    case 'global':
      return `sliding window w=${v.window} + ${v.globalTokens} global token${v.globalTokens === 1 ? '' : 's'}`;
    case 'bigbird':
      return `BigBird b=${v.block}, ${v.randomBlocks} random + ${v.globalBlocks} global block${v.globalBlocks === 1 ? '' : 's'}`;
    case 'linear':
      return 'linear attention (φ = elu+1)';
    case 'gqa':
      return v.kvHeads === 1 ? 'MQA (1 K/V head)' : `GQA, ${v.kvHeads} K/V heads`;
    case 'flash':
      return 'FlashAttention';
    case 'tome':
      return `ToMe, r=${v.r} merged per layer`;
    case 'prune':
      return `token pruning, keep ${v.keep} per layer`;
  }
}

/** The known kind within edit distance 2 of a misspelling, if exactly one is nearest. */
function nearest(word: string): VariantKind | undefined {
  let best: VariantKind | undefined;
  let bestDistance = 3;
  let tie = false;
  for (const kind of VARIANT_KINDS) {
    const d = editDistance(word, kind);
    if (d < bestDistance) {
      best = kind;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
