// Types of scripts/worker-entries.js.
export declare function workerEntries(): Record<string, string>;
