// What lets a browser (the web extension host in vscode.dev, github.dev) read the sandbox's answers:
// CORS headers on every answer and a 204 for every preflight, unless a noCors fault says otherwise.
import type { ServerResponse } from 'node:http';
import type { FaultRoute } from './faults';

/**
 * Any origin: the client sends no cookies (credentials: 'omit'), so '*' is enough. Authorization is never
 * covered by a '*' in Allow-Headers, so the headers the client sends are named; and the ones it reads
 * back are exposed, which a browser would otherwise hide (the retry wait, the request id for support).
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'retry-after, retry-after-ms, x-request-id',
};

/** Set before any route writes its head, so every answer carries them (writeHead merges them in). */
export function allowBrowsers(res: ServerResponse): void {
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
}

/** The fault route of a path: its noCors fault is used up by the preflight, or by the request when there is none. */
export function faultRouteOf(path: string): FaultRoute | undefined {
  if (path === '/v1/images/generations' || path === '/v1/images/edits') return 'generations';
  if (path === '/v1/models') return 'models';
  if (path.startsWith('/files/')) return 'files';
  return path.startsWith('/v1/images/tasks') ? 'tasks' : undefined;
}
