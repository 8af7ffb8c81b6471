/**
 * A page's title row (renderer): the section's <h1> with optional subtitle and action buttons.
 * The heading takes focus programmatically after navigation (tabIndex -1), so keyboard and
 * screen-reader users land at the top of the new page rather than on the sidebar.
 */
import type { ReactNode } from 'react';

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div className="page-title">
        <h1 tabIndex={-1}>{title}</h1>
        {subtitle ? <p className="subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}
