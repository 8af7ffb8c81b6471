/**
 * The model zoo's part of the API contract (runs anywhere): the catalogue entries `zoo.list`
 * returns and the Models page offers, and `zoo.build`, one model's ONNX bytes for the caller to
 * write (`flopscope zoo export`; the API writes no files). The architectures themselves are built
 * in src-main/services/zoo.
 */
import { z } from 'zod';
import { empty } from './common.js';
import { lazyMethods, lazySchema } from './lazy-schema.js';

export interface ZooOption {
  name: string;
  default: number | string;
  min?: number;
  max?: number;
  /** For string options: the allowed values. */
  choices?: string[];
  /** True when a numeric option takes whole numbers only. */
  integer?: boolean;
  help: string;
}

export interface ZooEntry {
  name: string;
  title: string;
  family: string;
  description: string;
  options: ZooOption[];
  /** Published numbers for the default options, with their source. MACs are multiply-adds. */
  reference?: { params?: number; macs?: number; source: string };
}

/** Bytes of model per `zoo.build` content piece: 48 MiB, 64 Mi base64 characters (a whole GPT-2 would not fit in one JavaScript string). */
export const ZOO_CONTENT_PIECE_BYTES = 48 * 2 ** 20;
/** The largest model `zoo.build` returns to a page (http, ipc): its JSON envelope must stay a string V8 can hold. The CLI has no limit. */
export const MAX_PAGE_ZOO_BYTES = 256 * 2 ** 20;

/** An architecture's options by name: numbers, or strings as the command line writes them (checked by the architecture). */
export const zooOptionsSchema = lazySchema(() => z.record(z.string().min(1).max(64), z.union([z.number().finite(), z.string().max(64)])));

/** One built zoo model: what it is, and its ONNX ModelProto bytes for the caller to write. */
export interface ZooBuildResult {
  name: string;
  /** Every option, defaults filled in. */
  options: Record<string, number | string>;
  /** Elements of all initializers. */
  params: number;
  /** Default bindings of the inputs' symbolic dims ({ batch: 1 } or { batch: 1, sequence: N }). */
  dims: Record<string, number>;
  nodes: number;
  initializers: number;
  /** A suggested file name: `<name>.onnx`. */
  fileName: string;
  /** Length of the ONNX bytes. */
  fileBytes: number;
  encoding: 'base64';
  /** The ONNX bytes, base64, in pieces of ZOO_CONTENT_PIECE_BYTES bytes (the last shorter): decode each and concatenate. */
  content: string[];
}

export const zooMethods = lazyMethods({
  'zoo.list': () => empty,
  /**
   * Build one architecture with these options (seeded random weights: same request, same bytes)
   * and return its ONNX bytes. Nothing is written: the CLI writes them where --out says. A page
   * (http, ipc) gets at most MAX_PAGE_ZOO_BYTES; it profiles a zoo model with
   * profile.start { source: { zoo } } instead.
   */
  'zoo.build': () => z.object({ name: z.string().min(1).max(64), options: zooOptionsSchema.optional() }).strict(),
});

export interface ZooResults {
  'zoo.list': ZooEntry[];
  'zoo.build': ZooBuildResult;
}
