import type { IncomingHttpHeaders } from 'node:http';

/**
 * The same-origin rule that keeps a logged-in browser from being borrowed by
 * another page (cross-site request forgery), shared by the REST hook
 * (plugins/csrf.ts) and the live WebSocket handshake (live/live-push.ts).
 *
 * Browsers attach the session cookie to requests that any page of the same
 * *site* starts, and SameSite cannot tell apart two origins of one site
 * (another port on the host, a sibling subdomain). What browsers do tell is
 * the page that started a request: `Origin` on every non-GET fetch, form post
 * and WebSocket handshake (Fetch standard, RFC 6454 §7; RFC 6455 §4.1 for
 * WebSockets), which no page can forge. When a browser leaves it out, the
 * `Referer` names the page instead. The request is the dashboard's own when
 * that origin is the one the request was addressed to (scheme + Host), or one
 * an operator listed in ALLOWED_ORIGINS (a proxy that rewrites Host or ends TLS).
 * This is the OWASP "verifying origin with standard headers" defence; it needs
 * no token, so the seed's legacy settings form and scripts keep working.
 */

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/** scheme://host[:port] with the default port dropped and the host lower-cased, or null when not a web origin. */
export function normaliseOrigin(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Header values are echoed in the refusal; a long one is cut. */
function shown(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}

/**
 * Whether the page that sent this request is this site's own.
 * `scheme` is how the request reached this process (http unless it ends TLS itself).
 */
export function checkSameOrigin(
  headers: IncomingHttpHeaders,
  scheme: 'http' | 'https',
  allowed: ReadonlySet<string>,
): OriginVerdict {
  const origin = single(headers.origin);
  const host = single(headers.host);
  // The dashboard's own requests: the exact string, without parsing two URLs.
  if (origin !== undefined && host !== undefined && origin === `${scheme}://${host}`) return { ok: true };
  const referer = single(headers.referer);
  let source: string | null;
  let said: string;
  if (origin !== undefined) {
    // "null" is what sandboxed frames, data: and file: pages and some redirects send: never ours.
    said = `Origin ${shown(origin)}`;
    source = origin === 'null' ? null : normaliseOrigin(origin);
  } else if (referer !== undefined) {
    said = `Referer ${shown(referer)}`;
    source = normaliseOrigin(referer);
  } else {
    return {
      ok: false,
      reason: 'The request has neither Origin nor Referer; a browser session cookie needs one of them',
    };
  }
  if (source === null) return { ok: false, reason: `${said} is not a page of this site` };
  if (allowed.has(source)) return { ok: true };
  if (host !== undefined && source === normaliseOrigin(`${scheme}://${host}`)) return { ok: true };
  return { ok: false, reason: `${said} is not this site's origin` };
}
