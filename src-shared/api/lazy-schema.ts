/**
 * Schemas built on first use. A zod schema costs ~20 µs per node to build; the contract and the
 * run-kind registry hold ~1,000 nodes, and a CLI command validates a handful of them
 * (bench/cli-startup.ts: building them all was ~15 ms of `flopscope profile`'s start). A lazy
 * schema is a stand-in that builds the real schema the first time anything reads it (a parse, a
 * method such as `.optional()`, a parent schema reading its `_zod`) and forwards everything to it
 * from then on, so it is used exactly like the schema it stands for.
 *
 * zod 4 keeps a schema's state in `_zod` and binds its methods to the instance when it builds it,
 * and its `instanceof` checks read `_zod.traits`: all of that passes through the stand-in
 * (lazy-schema.test.ts checks parsing, defaults, transforms, nesting, unions and instanceof).
 */

/** A stand-in for `make()`'s result, built on first access. */
export function lazySchema<T extends object>(make: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= make());
  return new Proxy(Object.create(null) as T, {
    get: (_target, key) => {
      const target = real();
      const value = Reflect.get(target, key, target) as unknown;
      return value;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may report a property only as configurable unless its target has it too.
      return d ? { ...d, configurable: true } : undefined;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

/**
 * A capability's method table with each request schema built on its method's first call: the
 * method names are there at once (dispatch lists and checks them), the schemas when used.
 */
export function lazyMethods<T extends Record<string, () => object>>(table: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const out: Record<string, object> = {};
  for (const [method, make] of Object.entries(table)) out[method] = lazySchema(make);
  return out as { readonly [K in keyof T]: ReturnType<T[K]> };
}
