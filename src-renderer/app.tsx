/**
 * The app shell (renderer): sidebar navigation plus the current section's page. Routing follows
 * `location.hash`; after a navigation, focus moves to the new page's <h1>. `#/history/run/<id>`
 * opens History on that stored run (routing.ts).
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AppInfo } from '../src-shared/api/types.js';
import { useClient } from './api/api-context.js';
import { BenchmarksPage } from './pages/benchmarks-page.js';
import { HardwarePage } from './pages/hardware-page.js';
import { HistoryPage } from './pages/history-page.js';
import { ModelsPage } from './pages/models-page.js';
import { PlannerPage } from './pages/planner-page.js';
import { TransformersPage } from './pages/transformers-page.js';
import { LlmsPage } from './pages/llms-page.js';
import { hrefFor, routeFromHash, SECTIONS, type Route, type SectionId } from './routing.js';

function subscribeHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function useRoute(): Route {
  // The hash string is the snapshot (stable between changes); the route is read from it.
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  return useMemo(() => routeFromHash(hash), [hash]);
}

function Page({ section, runId }: { section: SectionId; runId: number | null }) {
  switch (section) {
    case 'hardware':
      return <HardwarePage />;
    case 'benchmarks':
      return <BenchmarksPage />;
    case 'models':
      return <ModelsPage />;
    case 'planner':
      return <PlannerPage />;
    case 'transformers':
      return <TransformersPage />;
    case 'llms':
      return <LlmsPage />;
    case 'history':
      return <HistoryPage runId={runId} />;
    default: {
      const unknown: never = section;
      return unknown;
    }
  }
}

export function App() {
  const { section, runId } = useRoute();
  const client = useClient();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    // Version and host for the sidebar footer; purely informative, so failures stay quiet here
    // (the page itself shows any API error).
    client.call('app.info', {}).then(setInfo, () => setInfo(null));
  }, [client]);

  const focusHeading = () => mainRef.current?.querySelector<HTMLElement>('h1')?.focus();

  useEffect(() => {
    const label = SECTIONS.find((s) => s.id === section)?.label ?? 'FLOPscope';
    document.title = `${runId !== null ? `Run #${runId} · ` : ''}${label} · FLOPscope`;
  }, [section, runId]);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    focusHeading();
  }, [section]);

  return (
    <div className="app">
      {/* A button, not an <a href="#main">: a fragment link would change the hash route. */}
      <button type="button" className="skip-link" onClick={focusHeading}>
        Skip to content
      </button>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          FLOPscope
        </div>
        <nav aria-label="Sections">
          <ul className="nav-list">
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <a className="nav-link" href={hrefFor(s.id)} aria-current={s.id === section ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="sidebar-foot">{info ? `v${info.version} · ${info.host}` : '\u00a0'}</p>
      </aside>
      <main id="main" ref={mainRef} className="content">
        <Page key={section} section={section} runId={runId} />
      </main>
    </div>
  );
}
