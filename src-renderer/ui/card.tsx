/**
 * Card: the page's unit of content, a bordered surface with an optional title and actions.
 *
 *   <Card id="peaks" title="Peak throughput" actions={<button …/>} testId="peaks-card">…</Card>
 *
 * Renders <section class="card" data-ui="card"> labelled by its title (an <h2>); `id` makes it a
 * SectionNav target. Content never scrolls sideways inside (min-width: 0, see app.css).
 */
import type { ReactNode } from 'react';

interface Props {
  id?: string;
  title?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  testId?: string;
  className?: string;
}

export function Card({ id, title, actions, children, testId, className }: Props) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section id={id} className={className ? `card ui-card ${className}` : 'card ui-card'} data-ui="card" aria-labelledby={title ? headingId : undefined} data-testid={testId}>
      {title || actions ? (
        <div className="ui-card-head">
          {title ? <h2 id={headingId}>{title}</h2> : <span />}
          {actions ? <div className="ui-card-actions">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}
