/**
 * Hugging Face config.json reader (Node): the parsed JSON of a model's configuration file
 * (https://huggingface.co/docs/transformers/main_classes/configuration, written by
 * PretrainedConfig.save_pretrained), and the config.json that sits beside a .safetensors file or a
 * model.safetensors.index.json. Interpreting it is src-shared/llm/spec.ts (specFromHfConfig).
 *
 * JSON syntax errors name the file, line and column: V8's JSON.parse messages give a position for
 * some errors and none for others ("Unexpected token '}', ... is not valid JSON"), so on failure a
 * small scanner (RFC 8259 grammar) walks the text again to find where it goes wrong.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiFailure } from '../../../src-shared/api/errors.js';

/** Largest config.json read; real ones are a few KB. */
export const MAX_CONFIG_BYTES = 1 << 20;

export interface JsonErrorPlace {
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  what: string;
}

/** Where `text` stops being JSON (RFC 8259), or null when it is valid. */
export function findJsonError(text: string): JsonErrorPlace | null {
  let i = 0;
  const err = (what: string): JsonErrorPlace => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    return { offset: i, line, column: i - (before.lastIndexOf('\n') + 1) + 1, what };
  };
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++; };
  const found = (): string => (i >= text.length ? 'the end of the text' : JSON.stringify(text[i]));
  const str = (): JsonErrorPlace | null => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i] ?? '';
      if (ch === '"') { i++; return null; }
      if (ch < ' ') return err('a control character inside a string (newline or tab not escaped?)');
      if (ch === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return err('a bad \\u escape');
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') i += 2;
        else return err(`a bad escape \\${e}`);
      } else i++;
    }
    return err('a string that is never closed');
  };
  const value = (depth: number): JsonErrorPlace | null => {
    if (depth > 512) return err('nesting deeper than 512 levels');
    ws();
    const ch = text[i];
    if (ch === '"') return str();
    if (ch === '{' || ch === '[') return container(ch, depth);
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (lit && lit[0] !== '' && lit[0] !== '-') { i += lit[0].length; return null; }
    const hint = ch === "'" ? ' (JSON strings use double quotes)' : ch === 'N' || ch === 'I' ? ' (NaN and Infinity, which Python writes, are not JSON)' : '';
    return err(`expected a value, found ${found()}${hint}`);
  };
  const container = (open: '{' | '[', depth: number): JsonErrorPlace | null => {
    const close = open === '{' ? '}' : ']';
    i++;
    ws();
    if (text[i] === close) { i++; return null; }
    for (;;) {
      if (open === '{') {
        ws();
        if (text[i] !== '"') return err(`expected a property name in double quotes, found ${found()}${text[i] === close ? ' (a trailing comma?)' : ''}`);
        const e = str();
        if (e) return e;
        ws();
        if (text[i] !== ':') return err(`expected ':' after the property name, found ${found()}`);
        i++;
      }
      const e = value(depth + 1);
      if (e) return e;
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === close) { i++; return null; }
      return err(`expected ',' or '${close}', found ${found()}`);
    }
  };
  const e = value(0);
  if (e) return e;
  ws();
  return i < text.length ? err(`unexpected text after the JSON value, found ${found()}`) : null;
}

/** JSON.parse with an ApiFailure naming `label`, line and column on a syntax error. */
export function parseJsonNamed(text: string, label: string, kind = 'JSON'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const place = findJsonError(text);
    const where = place ? `line ${place.line}, column ${place.column}: ${place.what}` : e instanceof Error ? e.message : String(e);
    throw new ApiFailure('INVALID_REQUEST', `${label} is not valid ${kind}: ${where}`);
  }
}

/** Opens a model file for reading, or an INVALID_REQUEST naming it (the GGUF, safetensors and config readers). */
export async function openFile(file: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(file, 'r');
  } catch (e) {
    throw new ApiFailure('INVALID_REQUEST', `cannot open ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Reads and parses a config.json (at most MAX_CONFIG_BYTES). The result is the parsed JSON, unchecked. */
export async function readHfConfig(file: string): Promise<unknown> {
  const name = path.basename(file);
  const fh = await openFile(file);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ApiFailure('INVALID_REQUEST', `${name} is not a file`);
    if (st.size > MAX_CONFIG_BYTES) {
      throw new ApiFailure('INVALID_REQUEST', `${name} is ${st.size} bytes, too large for a model config (at most ${MAX_CONFIG_BYTES}); is it the right file?`);
    }
    const text = (await fh.readFile()).toString('utf8').replace(/^\uFEFF/, '');
    return parseJsonNamed(text, name);
  } finally {
    await fh.close();
  }
}

/**
 * The config.json in the folder of `file` (a .safetensors file or a model.safetensors.index.json),
 * or null when there is none.
 */
export async function findConfigBeside(file: string): Promise<string | null> {
  const candidate = path.join(path.dirname(path.resolve(file)), 'config.json');
  try {
    return (await fs.stat(candidate)).isFile() ? candidate : null;
  } catch {
    return null;
  }
}
