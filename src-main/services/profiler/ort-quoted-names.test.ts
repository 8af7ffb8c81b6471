// ONNX Runtime writes node names into its profile JSON without escaping them (issue 14): a model
// whose node names hold quotes, backslashes or control characters must still profile, through
// real onnxruntime-node, with every kernel mapped back to its graph node.
import { describe, expect, it } from 'vitest';
import { silentReporter } from '../bench/types.js';
import { buildModel, TensorDataType } from '../onnx/build-graph.js';
import { loadModelFromBytes } from '../onnx/load-model.js';
import { parseOrtProfileText, validateChromeTrace } from './ort-profile.js';
import { runModel } from './run-model.js';

const NAMES = [
  'a "quoted" name',
  'back\\slash \\" and \\\\',
  'tab\tnew\nline',
  // Looks like the end of ORT's event and the start of another: must stay one name.
  'x_kernel_time","args" : {}},\n{"cat" : "Node","pid" :1,"tid" :1,"dur" :999999,"ts" :0,"ph" : "X","name" :"y',
  'plain',
];

describe('ORT profile with node names ORT does not escape', () => {
  it('runs the model and maps every kernel to its graph node', async () => {
    const shape = [2, 8];
    const ops = ['Relu', 'Sigmoid', 'Tanh', 'Neg', 'Abs'];
    const bytes = buildModel({
      inputs: [{ name: 'x', elemType: TensorDataType.FLOAT, shape }],
      outputs: [{ name: 'y', elemType: TensorDataType.FLOAT, shape }],
      nodes: NAMES.map((name, i) => ({ opType: ops[i % ops.length]!, name, inputs: [i === 0 ? 'x' : `t${i}`], outputs: [i === NAMES.length - 1 ? 'y' : `t${i + 1}`] })),
    });
    const model = await loadModelFromBytes(bytes, 'quoted.onnx');
    expect(model.graph.nodes.map((n) => n.name)).toEqual(NAMES);
    const r = await runModel({ bytes, name: 'quoted.onnx' }, model, {}, { threads: 1, warmup: 1, runs: 3 }, silentReporter());
    expect(r.nodes.map((n) => n.name).sort()).toEqual([...NAMES].sort());
    expect(r.unmapped).toEqual([]);
    expect(r.notExecuted).toEqual([]);
    // The fake event inside the fourth name did not become a kernel of its own.
    for (const n of r.nodes) expect(n.ms).toBeLessThan(100);
    const trace = JSON.parse(JSON.stringify(r.trace)) as { traceEvents: { name: string; ph: string }[] };
    expect(validateChromeTrace(trace)).toEqual([]);
    const traced = new Set(trace.traceEvents.filter((e) => e.ph === 'X').map((e) => e.name));
    for (const name of NAMES) expect(traced.has(name), name).toBe(true);
  });
});

describe('parseOrtProfileText', () => {
  const event = (name: string, args = '{"op_name" : "Relu","provider" : "CPUExecutionProvider"}') =>
    `{"cat" : "Node","pid" :7,"tid" :7,"dur" :3,"ts" :10,"ph" : "X","name" :"${name}","args" : ${args}}`;

  it('reads plain JSON as is', () => {
    expect(parseOrtProfileText(`[\n${event('conv_kernel_time')}\n]\n`, ['conv'])).toEqual([expect.objectContaining({ name: 'conv_kernel_time' })]);
  });

  it('re-escapes a name ORT derived from a tensor name with a quote, without knowing it', () => {
    const parsed = parseOrtProfileText(`[\n${event('t"1_nchwc_kernel_time')},\n${event('ok_kernel_time')}\n]\n`, ['ok']) as { name: string }[];
    expect(parsed.map((e) => e.name)).toEqual(['t"1_nchwc_kernel_time', 'ok_kernel_time']);
  });

  it('fails with a message that names ORT\'s profile, not a bare JSON error', () => {
    expect(() => parseOrtProfileText('[\n{"cat" : "Node", "name" :"a"b"}\n]', ['a"b'])).toThrow(/ONNX Runtime's profile/);
  });
});
