/**
 * Graph validation and topological order (pure; runs anywhere). Checks that every tensor a node
 * reads is a graph input, an initializer or some node's output, that no tensor has two
 * producers, and that the graph is acyclic (naming the nodes on a cycle), then orders nodes by
 * Kahn's algorithm, taking ready nodes in file order so an already sorted graph keeps its order.
 */
import { ApiFailure } from '../api/errors.js';
import type { GraphIR, NodeIR } from './ir.js';

function invalid(message: string): never {
  throw new ApiFailure('INVALID_REQUEST', message);
}

const nodeLabel = (n: NodeIR): string => `${n.opType} node '${n.name}'`;

/** Min-heap of node indices. */
class IndexHeap {
  private readonly a: number[] = [];
  get size(): number { return this.a.length; }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1]! < a[l]! ? l + 1 : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** Nodes in a topological order; throws INVALID_REQUEST for a missing producer, a double producer or a cycle. */
export function topologicalOrder(graph: GraphIR): NodeIR[] {
  const nodes = graph.nodes;
  const external = new Set<string>([...graph.inputs.map((i) => i.name), ...graph.initializers.map((i) => i.name)]);
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.outputs) {
      if (!o) continue;
      const prev = producer.get(o);
      if (prev !== undefined) invalid(`tensor '${o}' is produced by both ${nodeLabel(nodes[prev]!)} and ${nodeLabel(n)}`);
      producer.set(o, i);
    }
  });
  const preds: number[][] = nodes.map(() => []);
  const succs: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const seen = new Set<number>();
    for (const name of n.inputs) {
      if (!name) continue;
      const p = producer.get(name);
      if (p === undefined) {
        if (external.has(name)) continue;
        invalid(`${nodeLabel(n)} reads tensor '${name}', which no node produces and which is neither a graph input nor an initializer`);
      }
      if (seen.has(p)) continue;
      seen.add(p);
      preds[i]!.push(p);
      succs[p]!.push(i);
    }
  });
  const indeg = preds.map((p) => p.length);
  const ready = new IndexHeap();
  indeg.forEach((d, i) => { if (d === 0) ready.push(i); });
  const order: NodeIR[] = [];
  const done = new Array<boolean>(nodes.length).fill(false);
  while (ready.size > 0) {
    const i = ready.pop();
    done[i] = true;
    order.push(nodes[i]!);
    for (const s of succs[i]!) if (--indeg[s]! === 0) ready.push(s);
  }
  if (order.length < nodes.length) {
    // Walk predecessors among the unfinished nodes until one repeats: that stretch is a cycle.
    let at = done.indexOf(false);
    const path: number[] = [];
    const pos = new Map<number, number>();
    while (!pos.has(at)) {
      pos.set(at, path.length);
      path.push(at);
      at = preds[at]!.find((p) => !done[p])!;
    }
    const cycle = path.slice(pos.get(at)!).reverse();
    const names = [...cycle, cycle[0]!].map((i) => `'${nodes[i]!.name}' (${nodes[i]!.opType})`);
    invalid(`the graph has a cycle through ${nodeLabel(nodes[cycle[0]!]!)}: ${names.join(' → ')}`);
  }
  return order;
}
