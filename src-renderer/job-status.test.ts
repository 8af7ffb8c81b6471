import { describe, expect, it } from 'vitest';
import { jobStatusText } from './job-status.js';

describe('jobStatusText', () => {
  const phases = [{ name: 'gemm', finished: true }, { name: 'memory', finished: false }];
  it('names the running phase and how a job ended', () => {
    expect(jobStatusText({ status: 'running', phases, storedRunId: null }, 'benchmark')).toBe('Running memory…');
    expect(jobStatusText({ status: 'done', phases, storedRunId: 7 }, 'profile')).toBe('Finished. Stored as run #7');
    expect(jobStatusText({ status: 'done', phases, storedRunId: null }, 'profile')).toBe('Finished (not stored)');
    expect(jobStatusText({ status: 'failed', phases, storedRunId: null }, 'profile')).toBe('The profile failed — nothing was stored');
    expect(jobStatusText({ status: 'cancelled', phases, storedRunId: null }, 'benchmark')).toBe('Cancelled — nothing was stored');
  });
});
