/**
 * The app's security policy, in one place: vite.config.ts puts the Content Security Policy into
 * the built index.html (a meta tag) and writes all headers to dist/_headers for the static host.
 */

/** Origins of the APIs the app calls with fetch; add yours, e.g. 'https://api.example.com'. */
export const API_ORIGINS: string[] = [];

/** Only our own files: no inline scripts or styles, no eval, no plugins, no framing. */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'", ...API_ORIGINS],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'upgrade-insecure-requests': [],
};

/** Directives that browsers ignore in a meta tag; they only work as a header. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

export function serializeCsp(options: { meta?: boolean } = {}): string {
  return Object.entries(CONTENT_SECURITY_POLICY)
    .filter(([name]) => !(options.meta && HEADER_ONLY.has(name)))
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** Response headers for every file of the app. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': serializeCsp(),
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy':
      'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
