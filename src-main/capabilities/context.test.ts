/**
 * The capability handler maps: together they cover every method of the contract exactly, and a
 * combined map that leaves a method out does not compile (the backend's HANDLERS is typed so).
 */
import { describe, expect, it } from 'vitest';
import { METHODS, type Method } from '../../src-shared/api/contract.js';
import type { CapabilityHandlers } from './context.js';
import { appHandlers } from './app/handlers.js';
import { attentionHandlers } from './attention/handlers.js';
import { benchHandlers } from './bench/handlers.js';
import { energyHandlers } from './energy/handlers.js';
import { hardwareHandlers } from './hardware/handlers.js';
import { jobsHandlers } from './jobs/handlers.js';
import { lessonHandlers } from './lesson/handlers.js';
import { plannerHandlers } from './planner/handlers.js';
import { profileHandlers } from './profile/handlers.js';
import { reportsHandlers } from './reports/handlers.js';
import { runsHandlers } from './runs/handlers.js';
import { zooHandlers } from './zoo/handlers.js';

const maps = [appHandlers, hardwareHandlers, energyHandlers, runsHandlers, reportsHandlers, benchHandlers, profileHandlers, zooHandlers, plannerHandlers, lessonHandlers, attentionHandlers, jobsHandlers];

describe('capability handlers', () => {
  it('cover every method of the contract, each in exactly one capability', () => {
    const names = maps.flatMap((m) => Object.keys(m));
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...METHODS].sort());
  });

  it('a combined map without one capability is a type error', () => {
    const { 'runs.kinds': _left, ...withoutKinds } = runsHandlers;
    // @ts-expect-error 'runs.kinds' has no handler
    const partial: CapabilityHandlers<Method> = { ...appHandlers, ...hardwareHandlers, ...energyHandlers, ...withoutKinds, ...reportsHandlers, ...benchHandlers, ...profileHandlers, ...zooHandlers, ...plannerHandlers, ...lessonHandlers, ...attentionHandlers, ...jobsHandlers };
    expect('runs.kinds' in partial).toBe(false);
  });
});
