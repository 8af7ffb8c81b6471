/**
 * The well-known models FLOPscope ships the config.json of (resources/llm-models/<id>.json, each
 * with its Hugging Face source), bundled into the build by import so a packaged app or the
 * compiled CLI needs no resources folder. A new model is one JSON file there and its line here.
 */
import type { KnownModelFile } from '../../../src-shared/llm/known-models.js';
import deepseekV3 from '../../../resources/llm-models/deepseek-v3.json';
import gemma29B from '../../../resources/llm-models/gemma-2-9b.json';
import gpt2 from '../../../resources/llm-models/gpt2.json';
import metaLlama38B from '../../../resources/llm-models/meta-llama-3-8b.json';
import mistral7BV01 from '../../../resources/llm-models/mistral-7b-v0.1.json';
import mixtral8X7BV01 from '../../../resources/llm-models/mixtral-8x7b-v0.1.json';
import phi3Mini4KInstruct from '../../../resources/llm-models/phi-3-mini-4k-instruct.json';
import qwen257B from '../../../resources/llm-models/qwen2.5-7b.json';
import qwen38B from '../../../resources/llm-models/qwen3-8b.json';

export const KNOWN_MODELS: readonly KnownModelFile[] = [deepseekV3, gemma29B, gpt2, metaLlama38B, mistral7BV01, mixtral8X7BV01, phi3Mini4KInstruct, qwen257B, qwen38B];
