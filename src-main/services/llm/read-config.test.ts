// config.json reading: sizes, syntax errors by line and column (the scanner agrees with JSON.parse
// on what is valid), and finding the config beside a weights file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { tempDir } from '../../testing/fixtures.js';
import { findConfigBeside, findJsonError, parseJsonNamed, readHfConfig } from './read-config.js';

let dir = '';
beforeAll(() => { dir = tempDir('flopscope-read-config-'); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const LLAMA = { architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 4096, num_hidden_layers: 32, rope_scaling: null, torch_dtype: 'bfloat16' };

function put(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiFailure);
    if (e instanceof ApiFailure) {
      expect(e.code).toBe('INVALID_REQUEST');
      return e.message;
    }
  }
  throw new Error('no error');
}

describe('readHfConfig', () => {
  it('parses a config, with or without a byte-order mark', async () => {
    expect(await readHfConfig(put('a/config.json', JSON.stringify(LLAMA, null, 2)))).toEqual(LLAMA);
    expect(await readHfConfig(put('bom/config.json', `\uFEFF${JSON.stringify(LLAMA)}`))).toEqual(LLAMA);
  });

  it('names the file, line and column of a syntax error', async () => {
    const text = '{\n  "model_type": "llama",\n  "hidden_size": 4096,\n}\n';
    expect(await failure(readHfConfig(put('trailing/config.json', text)))).toBe(
      "config.json is not valid JSON: line 4, column 1: expected a property name in double quotes, found \"}\" (a trailing comma?)",
    );
    expect(await failure(readHfConfig(put('quotes/config.json', "{\n  'model_type': 1\n}")))).toMatch(/line 2, column 3: expected a property name in double quotes, found "'"/);
    expect(await failure(readHfConfig(put('comma/config.json', '{"a": 1\n "b": 2}')))).toMatch(/line 2, column 2: expected ',' or '}', found "\\""/);
    expect(await failure(readHfConfig(put('cut/config.json', '{"a": [1, 2')))).toMatch(/line 1, column 12: expected ',' or '\]', found the end of the text/);
    expect(await failure(readHfConfig(put('nan/config.json', '{"a": NaN}')))).toMatch(/column 7: expected a value, found "N" \(NaN and Infinity/);
    expect(await failure(readHfConfig(put('empty/config.json', '')))).toMatch(/config\.json is not valid JSON: line 1, column 1: expected a value, found the end of the text/);
  });

  it('refuses files over 1 MB, folders and missing files', async () => {
    const big = put('big/config.json', `{"pad": "${'x'.repeat(1 << 20)}"}`);
    expect(await failure(readHfConfig(big))).toMatch(/config\.json is \d+ bytes, too large for a model config \(at most 1048576\)/);
    fs.mkdirSync(path.join(dir, 'folder.json'));
    expect(await failure(readHfConfig(path.join(dir, 'folder.json')))).toMatch(/folder\.json is not a file/);
    expect(await failure(readHfConfig(path.join(dir, 'missing/config.json')))).toMatch(/cannot open .*missing\/config\.json/);
  });
});

describe('findJsonError', () => {
  it('agrees with JSON.parse on what is valid, over random corruptions of a config', () => {
    const base = JSON.stringify({ ...LLAMA, s: 'a\\"b\u00e9\n', n: [-1.5e-3, 0, 12], o: { t: true, f: false } }, null, 1);
    let seed = 12345;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const alphabet = '{}[],:"\\ \n-0123456789.eEtrufalsn\'x';
    for (let k = 0; k < 2000; k++) {
      const chars = base.split('');
      for (let m = 0; m < 1 + rand(3); m++) {
        const at = rand(chars.length);
        const op = rand(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[rand(alphabet.length)] ?? '');
        else chars[at] = alphabet[rand(alphabet.length)] ?? '';
      }
      const text = chars.join('');
      let valid = true;
      try { JSON.parse(text); } catch { valid = false; }
      expect(findJsonError(text) === null, text).toBe(valid);
    }
  });

  it('gives a position for the errors V8 reports without one', () => {
    expect(() => parseJsonNamed('{"a": }', 'x.json')).toThrow('x.json is not valid JSON: line 1, column 7: expected a value, found "}"');
  });
});

describe('findConfigBeside', () => {
  it('finds config.json in the folder of a weights file, or gives null', async () => {
    const cfg = put('model/config.json', JSON.stringify(LLAMA));
    expect(await findConfigBeside(path.join(dir, 'model', 'model.safetensors'))).toBe(cfg);
    expect(await findConfigBeside(path.join(dir, 'model', 'model.safetensors.index.json'))).toBe(cfg);
    fs.mkdirSync(path.join(dir, 'bare'));
    expect(await findConfigBeside(path.join(dir, 'bare', 'model.safetensors'))).toBeNull();
  });
});
