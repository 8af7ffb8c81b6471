import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazyMethods, lazySchema } from './lazy-schema.js';

describe('lazySchema', () => {
  it('builds nothing until first used, then once', () => {
    let builds = 0;
    const s = lazySchema(() => {
      builds++;
      return z.object({ n: z.number().int() }).strict();
    });
    expect(builds).toBe(0);
    expect(s.parse({ n: 3 })).toEqual({ n: 3 });
    expect(s.safeParse({ n: 3.5 }).success).toBe(false);
    expect(s.safeParse({ n: 1, extra: 1 }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it('parses, defaults, transforms and reports issues exactly as the schema it stands for', () => {
    const make = () => z.object({ a: z.string().max(3).default('x'), b: z.string().transform((v) => v.length) }).strict();
    const lazy = lazySchema(make);
    for (const input of [{ b: 'hey' }, { a: 'toolong', b: 'q' }, { b: 5 }, null, { a: 'ok', b: '' }]) {
      const real = make().safeParse(input);
      const viaLazy = lazy.safeParse(input);
      expect(viaLazy.success).toBe(real.success);
      if (real.success && viaLazy.success) expect(viaLazy.data).toEqual(real.data);
      if (!real.success && !viaLazy.success) expect(viaLazy.error.issues).toEqual(real.error.issues);
    }
  });

  it('nests inside other schemas, unions and methods such as optional() and array()', () => {
    const inner = lazySchema(() => z.object({ k: z.enum(['p', 'q']) }));
    const outer = z.object({ one: inner, maybe: inner.optional(), many: z.array(inner), either: z.union([inner, z.literal(7)]) });
    expect(outer.parse({ one: { k: 'p' }, many: [{ k: 'q' }], either: 7 })).toEqual({ one: { k: 'p' }, many: [{ k: 'q' }], either: 7 });
    expect(outer.safeParse({ one: { k: 'z' }, many: [], either: 7 }).success).toBe(false);
    expect(inner instanceof z.ZodObject).toBe(true);
    expect(inner instanceof z.ZodString).toBe(false);
  });

  it('lazyMethods keeps the method names at once and builds each schema on its own first use', () => {
    const built: string[] = [];
    const table = lazyMethods({
      'x.one': () => (built.push('one'), z.object({}).strict()),
      'x.two': () => (built.push('two'), z.object({ n: z.number() }).strict()),
    });
    expect(Object.keys(table)).toEqual(['x.one', 'x.two']);
    expect(built).toEqual([]);
    expect(table['x.two'].parse({ n: 1 })).toEqual({ n: 1 });
    expect(built).toEqual(['two']);
  });
});
