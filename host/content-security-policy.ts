/**
 * The studio's one Content-Security-Policy, for the Electron window and `coursewright serve`
 * alike: nothing but the app's own files, no remote content, no inline scripts. Monaco needs
 * inline styles and blob workers; nothing else is relaxed.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
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
