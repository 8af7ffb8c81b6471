/**
 * Hash routing for the renderer: `#/hardware`, `#/history`, … Hash routes need no server support
 * (the serve door and Electron's app:// protocol both just serve index.html) and coexist with the
 * one-time `#token=…` fragment, which api/client.ts strips before the router first looks.
 * A stored run has its own address under History, `#/history/run/<id>`: opening a run there sets
 * it, and loading it (a reload, a bookmark, a link from a page's result) shows that run.
 */
export const SECTIONS = [
  { id: 'hardware', label: 'Hardware' },
  { id: 'benchmarks', label: 'Benchmarks' },
  { id: 'models', label: 'Models' },
  { id: 'planner', label: 'Planner' },
  { id: 'transformers', label: 'Transformers' },
  { id: 'llms', label: 'LLMs' },
  { id: 'history', label: 'History' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

export const DEFAULT_SECTION: SectionId = 'hardware';

export function sectionFromHash(hash: string): SectionId {
  const id = /^#\/([a-z-]+)/.exec(hash)?.[1];
  return SECTIONS.find((s) => s.id === id)?.id ?? DEFAULT_SECTION;
}

export function hrefFor(id: SectionId): string {
  return `#/${id}`;
}

/** Where the hash points: a section, and under History the stored run it opens (or null). */
export interface Route {
  section: SectionId;
  runId: number | null;
}

export function routeFromHash(hash: string): Route {
  const section = sectionFromHash(hash);
  const id = section === 'history' ? /^#\/history\/run\/([1-9]\d{0,14})\/?$/.exec(hash)?.[1] : undefined;
  return { section, runId: id === undefined ? null : Number(id) };
}

/** The permalink of a stored run: History, opened on it. */
export function hrefForRun(id: number): string {
  return `#/history/run/${id}`;
}
