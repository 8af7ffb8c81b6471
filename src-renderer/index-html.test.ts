// index.html carries the app's one CSP (src-shared/api/csp.ts), written in by the build plugin.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../src-shared/api/csp.js';
// `?raw` (a Vite import) reads the file as text without Node's fs, which the renderer may not import.
import html from './index.html?raw';

describe('index.html', () => {
  it('has the CSP placeholder the build fills from csp.ts', () => {
    expect(html).toMatch(/<meta\s+http-equiv="Content-Security-Policy"\s+content="%FLOPSCOPE_CSP%"/i);
  });

  it('the meta policy is the header policy less only the header-only directives', () => {
    expect(META_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    const dropped = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !META_CONTENT_SECURITY_POLICY.split('; ').includes(d));
    expect(dropped).toEqual(["frame-ancestors 'none'"]);
  });

  it('has no inline scripts or styles', () => {
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
      expect(tag).toMatch(/\ssrc="/);
      expect(tag).toMatch(/>\s*<\/script>$/);
    }
  });
});
