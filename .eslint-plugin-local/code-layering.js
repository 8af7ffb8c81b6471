// local/code-layering: the layers inside src-main, in the style of VS Code's
// .eslint-plugin-local/code-layering.ts. Each layer names the lower layers it may import; an
// import that goes up (a service importing a door, the store importing a service…) is reported.
// Test files and src-main/testing are outside the layers (a test may drive a whole door).
//
//   infra < store < services < cli-kit < capabilities (suites/, capabilities/) < doors
//   (core/dispatch + backend, server/, electron/, cli/)
import path from 'node:path';

/** Layers, lowest first. `files` are repository-relative prefixes (a folder ends in '/'). */
export const LAYERS = [
  {
    name: 'infra',
    // No domain knowledge: the worker host, atomic writes, paths, the job runner, uploads, the app version.
    files: ['src-main/infra/', 'src-main/core/jobs.ts', 'src-main/core/uploads.ts', 'src-main/core/worker-job.ts', 'src-main/core/app-version.ts'],
    allow: [],
  },
  { name: 'store', files: ['src-main/store/'], allow: ['infra'] },
  { name: 'services', files: ['src-main/services/'], allow: ['infra', 'store'] },
  {
    // What a capability's CLI command is written with: the command kit, the terminal io, job following.
    name: 'cli-kit',
    files: ['src-main/cli/kit.ts', 'src-main/cli/io.ts', 'src-main/cli/follow-job.ts'],
    allow: ['infra', 'store', 'services'],
  },
  { name: 'capabilities', files: ['src-main/suites/', 'src-main/capabilities/'], allow: ['infra', 'store', 'services', 'cli-kit'] },
  {
    name: 'doors',
    files: ['src-main/core/', 'src-main/server/', 'src-main/electron/', 'src-main/cli/'],
    allow: ['infra', 'store', 'services', 'cli-kit', 'capabilities'],
  },
];

const ROOT = path.resolve(import.meta.dirname, '..');

function layerOf(absFile) {
  const rel = path.relative(ROOT, absFile).split(path.sep).join('/').replace(/\.js$/, '.ts');
  if (rel.endsWith('.test.ts') || rel.startsWith('src-main/testing/')) return null;
  // The most specific prefix wins (core/jobs.ts is infra although core/ is a door).
  let best = null;
  for (const layer of LAYERS) {
    for (const prefix of layer.files) {
      if ((prefix.endsWith('/') ? rel.startsWith(prefix) : rel === prefix) && (!best || prefix.length > best.prefix.length)) best = { layer, prefix };
    }
  }
  return best?.layer ?? null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Imports inside src-main go down the layers only: infra < store < services < capabilities < doors.' },
    messages: { up: "Layer '{{from}}' must not import from layer '{{to}}' ({{spec}}): {{from}} may import {{allowed}} only." },
    schema: [],
  },
  create(context) {
    const from = layerOf(context.filename);
    if (!from) return {};
    function check(node, source) {
      const spec = source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), spec));
      if (!to || to === from || from.allow.includes(to.name)) return;
      context.report({ node, messageId: 'up', data: { from: from.name, to: to.name, spec, allowed: [from.name, ...from.allow].join(', ') } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};
