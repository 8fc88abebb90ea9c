import { createHash } from 'node:crypto';
import { courseScript } from '../core/export/html/assets.js';

/**
 * The one inline script the studio allows: the learner runtime inside the course preview (a
 * sandboxed frame whose document is written from a string, so it inherits this policy). Allowed
 * by its SHA-256, so exactly that script runs there and nothing else inline runs anywhere.
 */
export const previewScriptSource = `'sha256-${createHash('sha256').update(courseScript, 'utf8').digest('base64')}'`;

/**
 * The studio's one Content-Security-Policy, for the Electron window and `coursewright serve`
 * alike: nothing but the app's own files, no remote content, no inline scripts but the preview's
 * learner runtime (above). Monaco needs inline styles and blob workers; nothing else is relaxed.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' ${previewScriptSource}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
