import type http from 'node:http';

// Headers on every response of the server (web UI, /graphql, /healthz, /metrics). The UI is a
// single-origin app: its scripts, styles, workers and GraphQL (HTTP and WebSocket) all come from the
// server that serves it, so the policy allows 'self' and nothing else for code. Inline styles are
// allowed because React Flow positions nodes with style attributes; inline scripts are not.
// GraphiQL (/reports) runs under this policy unchanged, nothing loosened for it: its Monaco workers are
// chunks of the app (worker-src 'self'), Monaco's inline styles are the ones allowed already, its icon
// font is bundled (font-src 'self'), and it needs no eval and no CDN (e2e/src/web/reports.e2e.test.ts
// fails on any CSP violation).
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // For browsers without CSP frame-ancestors: no page of ours inside anyone's frame (clickjacking).
  'x-frame-options': 'DENY',
  // A tail or name served as JSON is never sniffed into HTML or script.
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export function setSecurityHeaders(res: http.ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
