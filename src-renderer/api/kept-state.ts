/**
 * A page's state that outlives the page (renderer): each page keeps its reducer's last state under
 * its name for the life of the window, so leaving a page and coming back shows the result it
 * had — the profile, the estimate, the sweep — instead of an empty form. A job that was still
 * running when the page was left is not followed any more (its events went to the page that
 * left); `settle` turns such a state into a resting one, and the finished run is in History.
 */
import { useEffect, useReducer, type Dispatch } from 'react';

const kept = new Map<string, unknown>();

export function useKeptReducer<S, A>(key: string, reducer: (state: S, action: A) => S, initial: S, settle: (state: S) => S = (s) => s): [S, Dispatch<A>] {
  const [state, dispatch] = useReducer(reducer, undefined, () => (kept.has(key) ? settle(kept.get(key) as S) : initial));
  useEffect(() => {
    kept.set(key, state);
  }, [key, state]);
  return [state, dispatch];
}

/** Forgets every page's kept state (tests). */
export function forgetKeptState(): void {
  kept.clear();
}
