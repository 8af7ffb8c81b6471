/**
 * The capability handler maps: together they cover every method of the contract exactly, and a
 * combined map that leaves a method out does not compile (the backend's HANDLERS is typed so).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METHODS, type Method } from '../../src-shared/api/contract.js';
import type { CapabilityHandlers } from './context.js';
import { appHandlers } from './app/handlers.js';
import { attentionHandlers } from './attention/handlers.js';
import { benchHandlers } from './bench/handlers.js';
import { energyHandlers } from './energy/handlers.js';
import { hardwareHandlers } from './hardware/handlers.js';
import { jobsHandlers } from './jobs/handlers.js';
import { llmHandlers } from './llm/handlers.js';
import { lessonHandlers } from './lesson/handlers.js';
import { plannerHandlers } from './planner/handlers.js';
import { profileHandlers } from './profile/handlers.js';
import { reportsHandlers } from './reports/handlers.js';
import { runsHandlers } from './runs/handlers.js';
import { zooHandlers } from './zoo/handlers.js';

/** Every capability folder's handlers module, found on disk (a new capability needs no line here). */
async function handlerMaps(): Promise<Array<Record<string, unknown>>> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const folders = fs.readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory() && fs.existsSync(path.join(here, d.name, 'handlers.ts')));
  return Promise.all(
    folders.map(async (d) => {
      const mod = (await import(`./${d.name}/handlers.ts`)) as Record<string, unknown>;
      const map = Object.entries(mod).find(([name]) => name.endsWith('Handlers'))?.[1];
      if (!map || typeof map !== 'object') throw new Error(`${d.name}/handlers.ts exports no <capability>Handlers map`);
      return map as Record<string, unknown>;
    }),
  );
}

describe('capability handlers', () => {
  it('cover every method of the contract, each in exactly one capability', async () => {
    const maps = await handlerMaps();
    expect(maps.length).toBeGreaterThanOrEqual(13);
    const names = maps.flatMap((m) => Object.keys(m));
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...METHODS].sort());
  });

  it('a combined map without one capability is a type error', () => {
    const { 'runs.kinds': _left, ...withoutKinds } = runsHandlers;
    // @ts-expect-error 'runs.kinds' has no handler
    const partial: CapabilityHandlers<Method> = { ...appHandlers, ...hardwareHandlers, ...energyHandlers, ...withoutKinds, ...reportsHandlers, ...benchHandlers, ...profileHandlers, ...zooHandlers, ...plannerHandlers, ...lessonHandlers, ...attentionHandlers, ...llmHandlers, ...jobsHandlers };
    expect('runs.kinds' in partial).toBe(false);
  });
});
