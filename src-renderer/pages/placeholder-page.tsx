/** Sections that are planned but not built yet (renderer): a heading and what will be there. */
import { PageHeader } from '../components/page-header.js';

export const PLACEHOLDERS = {
  reports: {
    title: 'Reports',
    text: 'Reports: export hardware, benchmark and model results as a self-contained report that compares runs across machines — coming next.',
  },
} as const;

export type PlaceholderId = keyof typeof PLACEHOLDERS;

export function PlaceholderPage({ id }: { id: PlaceholderId }) {
  const { title, text } = PLACEHOLDERS[id];
  return (
    <section className="page" data-testid={`page-${id}`}>
      <PageHeader title={title} />
      <div className="card placeholder">
        <p>{text}</p>
      </div>
    </section>
  );
}
