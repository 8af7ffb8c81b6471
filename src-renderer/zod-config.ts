/**
 * zod in the renderer without its eval probe. The run-kind registry (src-shared/runs/kinds) builds
 * each kind's result schema when it is imported, and zod then checks whether `new Function` works
 * (to compile fast object parsers). The page's CSP forbids eval, so Chromium reports that caught
 * probe as a CSP violation. `jitless` skips the probe; the renderer parses no bulk data, so the
 * slower interpreted parsing costs nothing. Imported first by main.tsx, before any schema exists.
 */
import { z } from 'zod';

z.config({ jitless: true });
