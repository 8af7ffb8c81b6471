/**
 * The Planner's memory-and-parallelism card in one reducer (renderer, pure): the GPU, the data,
 * tensor and pipeline degrees, the ZeRO stage, recomputation, micro-batch and global batch, and
 * the two links. The numbers stay the text typed (checked by src-shared/planner/parallelism.ts);
 * an empty tensor degree means "pick one from the head count".
 */
import { GPU_CATALOG } from '../src-shared/hardware/gpu-catalog.js';
import type { InterconnectId } from '../src-shared/planner/interconnects.js';
import type { Recompute, ZeroStage } from '../src-shared/planner/parallelism.js';

/** The catalog's GPUs that can train: a bf16 peak and a memory size. */
export const TRAINING_GPUS = GPU_CATALOG.filter((g) => g.bf16 && g.memGB);

export interface ParallelismState {
  gpu: string;
  dp: string;
  /** Empty until the user types one. */
  tpText: string;
  pp: string;
  zero: ZeroStage;
  recompute: Recompute;
  micro: string;
  batchTokens: string;
  intra: InterconnectId;
  inter: InterconnectId;
}

export const initialParallelismState: ParallelismState = {
  gpu: TRAINING_GPUS.find((g) => g.name.includes('H100 SXM'))?.name ?? TRAINING_GPUS[0]!.name,
  dp: '8',
  tpText: '',
  pp: '1',
  zero: 1,
  recompute: 'selective',
  micro: '1',
  batchTokens: '4194304',
  intra: 'nvlink-4',
  inter: 'ib-ndr-400',
};

export type ParallelismAction = { [K in keyof ParallelismState]: { type: 'edit'; key: K; value: ParallelismState[K] } }[keyof ParallelismState];

export function parallelismReducer(s: ParallelismState, a: ParallelismAction): ParallelismState {
  switch (a.type) {
    case 'edit':
      return s[a.key] === a.value ? s : { ...s, [a.key]: a.value };
  }
}
