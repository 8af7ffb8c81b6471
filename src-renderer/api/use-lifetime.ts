/**
 * The one place a page follows its own lifetime (renderer): loads and job events that arrive after
 * the page is gone are dropped here, instead of a mounted-flag guard before every setState.
 *
 * - `useLifetime()`: `live(p)` is `p`, settling only while the page is mounted (after unmount
 *   neither its value nor its error arrives, so the awaiting code simply stops there); `guard(fn)`
 *   calls `fn` only while mounted; `alive()` says whether it still is.
 * - `useResource(load, deps)`: loads once per change of deps and holds `{state, value, error}`,
 *   with `reload()`; a load that ends after unmount, or after a newer load began, is dropped.
 * - `useJob(client)`: `follow(jobId, onEvent)` subscribes to a job's events (unsubscribing the
 *   previous job), delivers them only while mounted, and unsubscribes on unmount.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DependencyList } from 'react';
import type { FlopscopeClient } from '../../src-shared/api/contract.js';
import type { ApiError } from '../../src-shared/api/types.js';
import { toApiError } from './api-context.js';

export interface Lifetime {
  readonly alive: () => boolean;
  readonly live: <T>(p: Promise<T>) => Promise<T>;
  readonly guard: <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => void;
}

const never = new Promise<never>(() => {});

export function useLifetime(): Lifetime {
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return useMemo<Lifetime>(
    () => ({
      alive: () => mounted.current,
      live: <T,>(p: Promise<T>) =>
        p.then(
          (value) => (mounted.current ? value : never),
          (error: unknown) => (mounted.current ? Promise.reject(error as Error) : never),
        ),
      guard:
        <A extends unknown[]>(fn: (...args: A) => void) =>
        (...args: A) => {
          if (mounted.current) fn(...args);
        },
    }),
    [],
  );
}

export type Resource<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; error: ApiError };

export function useResource<T>(load: () => Promise<T>, deps: DependencyList): Resource<T> & { reload: () => void } {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let current = true;
    setResource({ state: 'loading' });
    loadRef.current().then(
      (value) => current && setResource({ state: 'ready', value }),
      (e: unknown) => current && setResource({ state: 'error', error: toApiError(e) }),
    );
    return () => {
      current = false;
    };
  }, [generation, ...deps]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...resource, reload };
}

type JobEventHandler = Parameters<FlopscopeClient['subscribe']>[1];

export interface Job {
  /** Follows jobId's events (the previous job's subscription ends); events arrive only while mounted. */
  readonly follow: (jobId: string, onEvent: JobEventHandler) => void;
  /** Ends the current subscription, if any. */
  readonly stop: () => void;
}

export function useJob(client: FlopscopeClient): Job {
  const { guard } = useLifetime();
  const unsubscribe = useRef<(() => void) | null>(null);
  useEffect(
    () => () => {
      unsubscribe.current?.();
      unsubscribe.current = null;
    },
    [client],
  );
  return useMemo<Job>(
    () => ({
      follow: (jobId, onEvent) => {
        unsubscribe.current?.();
        unsubscribe.current = client.subscribe(jobId, guard(onEvent));
      },
      stop: () => {
        unsubscribe.current?.();
        unsubscribe.current = null;
      },
    }),
    [client, guard],
  );
}
