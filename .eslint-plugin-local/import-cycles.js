// local/no-import-cycle: no file may reach itself through relative imports (type-only imports
// count: a circle of types still ties the files together). The graph is read from disk with a
// small regex scan (static `import … from`, `export … from` and side-effect imports; dynamic
// import() is lazy and does not count), cached for the lint run. Reported on the import that
// closes the circle, with the path.
import fs from 'node:fs';
import path from 'node:path';

const STATIC = /(?:^|[\n;])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
const cache = new Map();

function resolve(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(js|jsx|mjs)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, base, `${base}/index.ts`]) {
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next */
    }
  }
  return null;
}

function edges(file) {
  let mtime;
  try {
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.edges;
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out = [];
  for (const m of text.matchAll(STATIC)) {
    const target = resolve(file, m[1]);
    if (target && /\.(ts|tsx)$/.test(target)) out.push(target);
  }
  cache.set(file, { mtime, edges: out });
  return out;
}

/** The path from `start` back to `goal` (excluding start), or null: breadth-first, shortest. */
function pathBack(start, goal) {
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const file = queue.shift();
    for (const next of edges(file)) {
      if (next === goal) {
        const chain = [file];
        for (let f = prev.get(file); f; f = prev.get(f)) chain.unshift(f);
        return chain;
      }
      if (!prev.has(next)) {
        prev.set(next, file);
        queue.push(next);
      }
    }
  }
  return null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'No import cycles between the files of the app.' },
    messages: { cycle: 'Import cycle: {{chain}}. Move the shared name into a file of its own.' },
    schema: [],
  },
  create(context) {
    const self = context.filename;
    const root = context.cwd;
    const rel = (f) => path.relative(root, f).split(path.sep).join('/');
    function check(node) {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = resolve(self, spec);
      if (!target) return;
      const chain = target === self ? [] : pathBack(target, self);
      if (!chain) return;
      context.report({ node, messageId: 'cycle', data: { chain: [self, ...chain, self].map(rel).join(' → ') } });
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
