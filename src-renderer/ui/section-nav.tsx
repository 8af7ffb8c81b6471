/**
 * In-page section nav: links to the page's sections (elements with those ids, e.g. Cards).
 *
 *   <SectionNav sections={[{ id: 'plan', label: 'The plan' }, { id: 'memory', label: 'Memory' }]} />
 *
 * The app routes on the hash (#/planner), so a link scrolls its target into view and moves focus
 * there instead of changing the hash. Marked data-ui="section-nav"; sections whose element is not
 * on the page are still listed (they may render later) but do nothing until they exist.
 */
import type { MouseEvent } from 'react';

export interface NavSection {
  id: string;
  label: string;
}

export function SectionNav({ sections, label = 'On this page' }: { sections: readonly NavSection[]; label?: string }) {
  const go = (e: MouseEvent, id: string) => {
    e.preventDefault();
    const el = document.getElementById(id);
    if (!el) return;
    el.scrollIntoView({ block: 'start' });
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    el.focus({ preventScroll: true });
  };
  return (
    <nav className="ui-section-nav" aria-label={label} data-ui="section-nav">
      <ul>
        {sections.map((s) => (
          <li key={s.id}>
            <a href={`#${s.id}`} onClick={(e) => go(e, s.id)} data-testid={`nav-${s.id}`}>
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
