/**
 * Hash routing for the renderer: `#/hardware`, `#/history`, … Hash routes need no server support
 * (the serve door and Electron's app:// protocol both just serve index.html) and coexist with the
 * one-time `#token=…` fragment, which api/client.ts strips before the router first looks.
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
