/**
 * The block a node belongs to, from its name (pure; runs anywhere), so a profile can be grouped
 * by repeated layers. torch.onnx names nodes by module scope ("/layer1/layer1.0/conv1/Conv",
 * "/bert/encoder/layer.0/attention/self/query/MatMul", "/encoder/layers/encoder_layer_3/…");
 * older exporters and other tools use dotted module paths ("layer1.0.conv1").
 *
 * Scoped names: the shallowest scope that ends in an index ("layer1.0", "layer.0", "h.11",
 * "features.3", "encoder_layer_3"), i.e. the repeated unit; without one, the scope that holds the
 * op's own module ("/embeddings/word_embeddings/Gather" → "embeddings"), or a top-level module
 * itself ("/fc/Gemm" → "fc"; "/Flatten" → null). Dotted names: the path up
 * to and including the first numeric component ("layer1.0.conv1" → "layer1.0"), else everything
 * but the last component. Otherwise (e.g. "Conv_12", "node_5") null.
 */

const INDEXED = /[._]\d+$/;

export function blockOf(name: string): string | null {
  if (name.includes('/')) {
    const parts = name.split('/').filter((p) => p.length > 0);
    const scopes = parts.slice(0, -1); // the last part is the op ("Conv", "MatMul_1")
    const indexed = scopes.find((p) => INDEXED.test(p));
    if (indexed) return indexed;
    if (scopes.length >= 2) return scopes[scopes.length - 2]!;
    return scopes[0] ?? null;
  }
  const parts = name.split('.');
  if (parts.length < 2 || parts.some((p) => p.length === 0)) return null;
  const k = parts.findIndex((p, i) => i > 0 && /^\d+$/.test(p));
  if (k > 0) return parts.slice(0, k + 1).join('.');
  return parts.slice(0, -1).join('.');
}
