/**
 * The shell's security decisions (policy.ts), with the attacks from issue 14's review: a dev URL
 * in a packaged app, file: pages, foreign frames on IPC, links to arbitrary hosts, permissions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  appEntryUrl,
  devRendererUrl,
  EXTERNAL_LINK_HOSTS,
  externalLinkPrompt,
  externalLinkTarget,
  isAppUrl,
  isTrustedSender,
  navigationDecision,
  permissionAllowed,
  redirectAllowed,
  windowOpenDecision,
  type FrameIdentity,
  type SenderFrame,
} from './policy.js';

const DEV = 'http://localhost:5173/';

describe('dev renderer URL', () => {
  it('is ignored by a packaged app, whatever ELECTRON_RENDERER_URL says', () => {
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeUndefined();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, true)).toBeUndefined();
    expect(appEntryUrl(devRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, true))).toBe('app://flopscope/index.html');
  });

  it('is honoured unpackaged only as a loopback http URL', () => {
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe(DEV);
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, false)).toBe('http://127.0.0.1:5173/');
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://[::1]:5173/' }, false)).toBe('http://[::1]:5173/');
    for (const bad of [
      'https://evil.example/',
      'http://evil.example/',
      'http://192.168.1.5:5173/',
      'http://localhost.evil.example/',
      'http://user:pw@localhost:5173/',
      'https://localhost:5173/',
      'file:///home/u/Downloads/evil.html',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(devRendererUrl({ ELECTRON_RENDERER_URL: bad }, false), bad).toBeUndefined();
    }
    expect(devRendererUrl({}, false)).toBeUndefined();
    expect(appEntryUrl(undefined)).toBe('app://flopscope/index.html');
    expect(appEntryUrl(DEV)).toBe(DEV);
  });
});

describe('isAppUrl', () => {
  it('accepts exactly the app:// origin', () => {
    expect(isAppUrl('app://flopscope/index.html', undefined)).toBe(true);
    expect(isAppUrl('app://flopscope/index.html#/hardware', undefined)).toBe(true);
    expect(isAppUrl('app://flopscope/', undefined)).toBe(true);
  });

  it('refuses every file: URL, even the renderer on disk', () => {
    expect(isAppUrl('file:///home/u/Downloads/evil.html', undefined)).toBe(false);
    expect(isAppUrl('file://host/share/x.html', undefined)).toBe(false);
    expect(isAppUrl('file:///opt/FLOPscope/resources/app.asar/out/renderer/index.html', undefined)).toBe(false);
    expect(isAppUrl('file:///home/u/Downloads/evil.html', DEV)).toBe(false);
  });

  it('refuses other hosts, ports and credentials on the app scheme, and everything remote', () => {
    for (const url of [
      'app://evil/index.html',
      'app://flopscope.evil/index.html',
      'app://flopscope:8080/index.html',
      'app://u:p@flopscope/index.html',
      'https://evil.example/',
      'http://localhost:5173/',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'about:blank',
      'not a url',
    ]) {
      expect(isAppUrl(url, undefined), url).toBe(false);
    }
  });

  it('accepts the dev server origin only when there is one', () => {
    expect(isAppUrl('http://localhost:5173/#/hardware', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', DEV)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', DEV)).toBe(false);
    expect(isAppUrl('app://flopscope/index.html', DEV)).toBe(true);
  });
});

describe('external links', () => {
  it('opens only https links to the allowlisted documentation hosts', () => {
    expect(externalLinkTarget('https://www.nvidia.com/en-us/data-center/hgx/')).toBe('https://www.nvidia.com/en-us/data-center/hgx/');
    expect(externalLinkTarget('https://pcisig.com/specifications')).toBe('https://pcisig.com/specifications');
    expect(externalLinkTarget('https://WWW.NVIDIA.COM/x')).toBe('https://www.nvidia.com/x');
    for (const bad of [
      'https://evil.example/',
      'http://www.nvidia.com/',
      'https://www.nvidia.com.evil.example/',
      'https://evil.example/?https://www.nvidia.com/',
      'https://nvidia.com/',
      'https://user@www.nvidia.com/',
      'https://www.nvidia.com:8443/',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(externalLinkTarget(bad), bad).toBeNull();
    }
  });

  it('asks first, with Cancel as the default', () => {
    const prompt = externalLinkPrompt('https://pcisig.com/specifications');
    expect(prompt.buttons[prompt.defaultId]).toBe('Cancel');
    expect(prompt.cancelId).toBe(prompt.defaultId);
    expect(prompt.detail).toBe('https://pcisig.com/specifications');
    expect(prompt.message).toContain('pcisig.com');
  });

  it('covers every https:// link in the renderer and shared sources (and nothing else)', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const hosts = new Set<string>();
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of [...walk(path.join(root, 'src-renderer')), ...walk(path.join(root, 'src-shared'))]) {
      if (!/\.(tsx?|html)$/.test(file) || /\.(test|spec)\.tsx?$/.test(file)) continue;
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue; // comments are not links
        for (const m of line.matchAll(/https:\/\/[^\s'"`<>)\]}]+/g)) {
          const host = new URL(m[0]).hostname;
          if (!host.endsWith('.invalid')) hosts.add(host); // RFC 2606 placeholders in fixtures
        }
      }
    }
    expect([...hosts].sort()).toEqual([...EXTERNAL_LINK_HOSTS].sort());
  });
});

describe('navigation', () => {
  it('lets the main window move between its own pages only', () => {
    expect(navigationDecision('app://flopscope/index.html#/planner', 'app', undefined)).toEqual({ action: 'allow' });
    expect(navigationDecision('file:///home/u/Downloads/evil.html', 'app', undefined)).toEqual({ action: 'deny', external: null });
    expect(navigationDecision('https://evil.example/', 'app', undefined)).toEqual({ action: 'deny', external: null });
    expect(navigationDecision('http://localhost:5173/', 'app', undefined)).toEqual({ action: 'deny', external: null });
  });

  it('stops a documentation link in the window and offers it to the browser instead', () => {
    expect(navigationDecision('https://www.infinibandta.org/infiniband-roadmap/', 'app', undefined)).toEqual({
      action: 'deny',
      external: 'https://www.infinibandta.org/infiniband-roadmap/',
    });
  });

  it('never lets the hidden PDF window navigate, not even to the app or a documentation host', () => {
    for (const url of ['app://flopscope/index.html', 'https://www.nvidia.com/', 'file:///etc/passwd', 'https://evil.example/']) {
      expect(navigationDecision(url, 'print', undefined), url).toEqual({ action: 'deny', external: null });
      expect(redirectAllowed(url, 'print', undefined), url).toBe(false);
      expect(windowOpenDecision(url, 'print'), url).toEqual({ action: 'deny', external: null });
    }
  });

  it('allows redirects only to the app, and never hands one to the browser', () => {
    expect(redirectAllowed('app://flopscope/index.html', 'app', undefined)).toBe(true);
    expect(redirectAllowed('https://www.nvidia.com/', 'app', undefined)).toBe(false);
    expect(redirectAllowed('file:///home/u/Downloads/evil.html', 'app', undefined)).toBe(false);
    expect(redirectAllowed('http://localhost:5173/x', 'app', DEV)).toBe(true);
  });

  it('opens no window; an allowlisted link goes to the browser (after confirmation)', () => {
    expect(windowOpenDecision('https://evil.example/', 'app')).toEqual({ action: 'deny', external: null });
    expect(windowOpenDecision('app://flopscope/index.html', 'app')).toEqual({ action: 'deny', external: null });
    expect(windowOpenDecision('https://pcisig.com/specifications', 'app')).toEqual({ action: 'deny', external: 'https://pcisig.com/specifications' });
  });
});

describe('IPC sender', () => {
  const main: FrameIdentity = { webContentsId: 1, processId: 7, routingId: 1 };
  const ok: SenderFrame = { ...main, url: 'app://flopscope/index.html#/history', isMainFrame: true };

  it('trusts the main frame of our window showing the app', () => {
    expect(isTrustedSender(ok, [main], undefined)).toBe(true);
    expect(isTrustedSender({ ...ok, url: 'http://localhost:5173/' }, [main], DEV)).toBe(true);
  });

  it('refuses a subframe of our window, even one showing the app', () => {
    expect(isTrustedSender({ ...ok, routingId: 5, isMainFrame: false }, [main], undefined)).toBe(false);
    expect(isTrustedSender({ ...ok, isMainFrame: false }, [main], undefined)).toBe(false);
  });

  it('refuses our main frame once it shows anything else', () => {
    for (const url of ['file:///home/u/Downloads/evil.html', 'https://evil.example/', 'app://evil/index.html', 'http://localhost:5173/']) {
      expect(isTrustedSender({ ...ok, url }, [main], undefined), url).toBe(false);
    }
  });

  it('refuses other windows (the PDF window), other processes and gone frames', () => {
    expect(isTrustedSender({ ...ok, webContentsId: 2 }, [main], undefined)).toBe(false);
    expect(isTrustedSender({ ...ok, processId: 8 }, [main], undefined)).toBe(false);
    expect(isTrustedSender(null, [main], undefined)).toBe(false);
    expect(isTrustedSender(ok, [], undefined)).toBe(false);
  });
});

describe('permissions', () => {
  it('grants nothing, to the app or anyone else', () => {
    expect(ALLOWED_PERMISSIONS.size).toBe(0);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'hid', 'usb', 'serial', 'midi', 'openExternal', 'fileSystem', 'window-management', 'unknown']) {
      for (const origin of ['app://flopscope', 'app://flopscope/index.html', 'https://evil.example', 'file:///home/u/Downloads/evil.html', undefined]) {
        expect(permissionAllowed(permission, origin, undefined), `${permission} ${origin}`).toBe(false);
      }
    }
  });
});
