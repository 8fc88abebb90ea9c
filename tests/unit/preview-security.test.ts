import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { courseScript } from '../../core/export/html/assets.js';
import { contentSecurityPolicy } from '../../host/content-security-policy.js';
import { hardenWebContents, type WebContentsLike } from '../../electron/security.js';

const directive = (name: string) => contentSecurityPolicy.split('; ').find((d) => d.startsWith(`${name} `));

describe('the studio policy and the learner preview frame', () => {
  it('allows exactly the learner runtime inline, by its SHA-256, and no other inline script', () => {
    const hash = createHash('sha256').update(courseScript).digest('base64');
    expect(directive('script-src')).toBe(`script-src 'self' 'sha256-${hash}'`);
    expect(directive('script-src')).not.toContain('unsafe-inline');
    expect(directive('script-src')).not.toContain('unsafe-eval');
    // A changed script no longer matches: the hash names that one text only.
    expect(directive('script-src')).not.toContain(createHash('sha256').update(`${courseScript} `).digest('base64'));
  });

  it('keeps everything else as strict as before: no remote content, no framing of the studio, no form posts', () => {
    expect(directive('default-src')).toBe("default-src 'self'");
    expect(directive('connect-src')).toBe("connect-src 'self'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('form-action')).toBe("form-action 'none'");
    expect(directive('object-src')).toBe("object-src 'none'");
  });

  it('lets a frame (never the window) show the preview document, and still stops frames going anywhere else', () => {
    const listeners = new Map<string, (event: { url: string; isMainFrame: boolean; preventDefault: () => void }) => void>();
    const contents = { on: (event: string, listener: never) => void listeners.set(event, listener), setWindowOpenHandler: () => {} } as unknown as WebContentsLike;
    hardenWebContents(contents, { openExternal: vi.fn(async () => {}) });
    const prevented = (url: string, isMainFrame: boolean) => {
      const event = { url, isMainFrame, preventDefault: vi.fn() };
      listeners.get('will-frame-navigate')!(event);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(prevented('about:srcdoc', false)).toBe(false);
    expect(prevented('about:srcdoc#main', false)).toBe(false);
    expect(prevented('about:srcdoc', true)).toBe(true);
    expect(prevented('about:blank', false)).toBe(true);
    expect(prevented('about:srcdoc.attacker.example', false)).toBe(true);
    expect(prevented('https://example.org/', false)).toBe(true);
  });
});
