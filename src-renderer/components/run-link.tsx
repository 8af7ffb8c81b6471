/**
 * "run #12" as a link to the stored run in History (`#/history/run/12`, routing.ts): the pages'
 * "Stored as run #…" notes open the run they name.
 */
import { hrefForRun } from '../routing.js';

export function RunLink({ id }: { id: number }) {
  return (
    <a href={hrefForRun(id)} data-testid="run-link">
      run #{id}
    </a>
  );
}
