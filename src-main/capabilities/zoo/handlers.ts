/** `zoo.list` and `zoo.build` (Node side): the model zoo's catalogue, and one model's ONNX bytes for the caller to write. */
import { MAX_PAGE_ZOO_BYTES, ZOO_CONTENT_PIECE_BYTES, type ZooBuildResult, type zooMethods } from '../../../src-shared/api/zoo.js';
import { ApiFailure } from '../../../src-shared/api/errors.js';
import { buildZooModel, ZOO } from '../../services/zoo/zoo.js';
import type { CapabilityHandlers } from '../context.js';

/** The bytes as base64 pieces of ZOO_CONTENT_PIECE_BYTES (a multiple of 3, so each piece decodes on its own). */
function base64Pieces(bytes: Uint8Array): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < bytes.length; at += ZOO_CONTENT_PIECE_BYTES) {
    const piece = bytes.subarray(at, at + ZOO_CONTENT_PIECE_BYTES);
    pieces.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString('base64'));
  }
  return pieces;
}

export const zooHandlers: CapabilityHandlers<keyof typeof zooMethods> = {
  'zoo.list': () => ZOO,
  'zoo.build': (req, ctx): ZooBuildResult => {
    const model = buildZooModel(req.name, req.options ?? {});
    if (ctx.door !== 'cli' && model.bytes.length > MAX_PAGE_ZOO_BYTES) {
      const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
      throw new ApiFailure(
        'INVALID_REQUEST',
        `options: this ${req.name} is ${mib(model.bytes.length)}, more than the ${mib(MAX_PAGE_ZOO_BYTES)} a page can receive; export it with \`flopscope zoo export\`, or profile it with profile.start { source: { zoo } }.`,
        [`options: the model is larger than ${mib(MAX_PAGE_ZOO_BYTES)}`],
      );
    }
    return {
      name: model.name,
      options: model.options,
      params: model.params,
      dims: model.dims,
      nodes: model.nodes,
      initializers: model.initializers,
      fileName: `${model.name}.onnx`,
      fileBytes: model.bytes.length,
      encoding: 'base64',
      content: base64Pieces(model.bytes),
    };
  },
};
