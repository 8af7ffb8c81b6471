/**
 * Well-known models FLOPscope ships the config.json of (resources/llm-models/<id>.json, read by
 * src-main). Pure: ids only.
 */
export const KNOWN_MODEL_IDS = [
  'meta-llama-3-8b',
  'mistral-7b-v0.1',
  'mixtral-8x7b-v0.1',
  'qwen2.5-7b',
  'qwen3-8b',
  'gemma-2-9b',
  'phi-3-mini-4k-instruct',
  'gpt2',
  'deepseek-v3',
] as const;
export type KnownModelId = (typeof KNOWN_MODEL_IDS)[number];

/** The shape of a shipped file. */
export interface KnownModelFile {
  id: string;
  name: string;
  source: string;
  config: Record<string, unknown>;
}
