// The misbehaviours the sandbox can be told to show, validated so faults sent over HTTP are checked too.
// Each queued fault is used up by the next request to its route (`on`, default "generations").
import { z } from 'zod';

const route = { on: z.enum(['generations', 'models']).optional() };
const retryAfter = {
  /** `Retry-After`: seconds, or an HTTP date as a string. */
  retryAfter: z.union([z.number().nonnegative(), z.string().min(1)]).optional(),
  /** `retry-after-ms`, as OpenAI sends it. */
  retryAfterMs: z.number().int().nonnegative().optional(),
};
const status = z.number().int().min(400).max(599);
const taskRoute = { on: z.literal('tasks').default('tasks') };

export const faultSchema = z.discriminatedUnion('type', [
  /** An OpenAI-style error body: {"error": {message, type, param, code}}. */
  z.object({
    type: z.literal('status'),
    status,
    message: z.string().optional(),
    errorType: z.string().optional(),
    code: z.union([z.string(), z.number()]).optional(),
    param: z.string().optional(),
    ...retryAfter,
    ...route,
  }),
  /** An HTML error page, as nginx or a CDN in front of a gateway sends (502, 504, 524). */
  z.object({ type: z.literal('html'), status, title: z.string().optional(), ...retryAfter, ...route }),
  /** Waits, then answers normally. */
  z.object({ type: z.literal('delay'), ms: z.number().int().nonnegative().max(600_000), ...route }),
  /** A redirect instead of an answer (a moved or hijacked gateway): a client must not follow it with the key. */
  z.object({
    type: z.literal('redirect'),
    status: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).default(307),
    location: z.string().min(1),
    ...route,
  }),
  /** Reads the request and never answers. */
  z.object({ type: z.literal('hang'), ...route }),
  /** Closes the connection without answering. */
  z.object({ type: z.literal('drop'), ...route }),
  /** Sends headers and half of a valid JSON body, then destroys the socket. */
  z.object({ type: z.literal('cutMidBody'), ...route }),
  /** Half of a valid JSON body, with status 200 and a matching Content-Length. */
  z.object({ type: z.literal('truncatedJson'), ...route }),
  z.object({ type: z.literal('malformedJson'), ...route }),
  /** Valid JSON that is not an images answer. */
  z.object({ type: z.literal('wrongShape'), ...route }),
  /** `{"error": {"message": "...<the Authorization header>..."}}`, to check the client redacts it. */
  z.object({ type: z.literal('echoAuth'), status: status.default(401), ...route }),
  /**
   * A gateway that does not allow browsers (CORS): the next request to the route, a browser's preflight or,
   * without one, the request itself, is answered without the CORS headers, and a preflight is refused (405).
   * The web extension host then says the browser blocked it; Node's fetch and sockets do not check.
   * `files` is the image URLs the sandbox serves itself (/files/...), which a browser fetches cross-origin too.
   */
  z.object({ type: z.literal('noCors'), on: z.enum(['generations', 'models', 'tasks', 'files']).optional() }),
  /** `data: []`; a streamed answer ends without any event. */
  z.object({ type: z.literal('emptyData') }),
  /** b64_json holding bytes that are not an image. */
  z.object({ type: z.literal('notImage') }),
  /** Renders in this format whatever was asked. */
  z.object({ type: z.literal('otherFormat'), format: z.enum(['png', 'jpeg', 'webp']) }),
  /** Answers with this many images whatever n asked for (as URLs with `asUrls`). */
  z.object({ type: z.literal('tooManyImages'), count: z.number().int().min(1).max(5000), asUrls: z.boolean().optional() }),
  // The url* faults answer with image URLs even in b64_json mode, and shape how those URLs behave.
  /** The image URLs start with this origin (another host name or scheme) instead of the sandbox's own. */
  z.object({ type: z.literal('urlOrigin'), origin: z.string().regex(/^https?:\/\/[^/]+$/) }),
  z.object({ type: z.literal('urlStatus'), status: z.number().int().min(300).max(599) }),
  z.object({ type: z.literal('urlHang') }),
  /** The image URL redirects here (e.g. ftp: or file:). */
  z.object({ type: z.literal('urlRedirect'), location: z.string().min(1) }),
  /** The image URL redirects to itself this many times before serving the image. */
  z.object({ type: z.literal('urlRedirects'), hops: z.number().int().min(1).max(50) }),
  /** The image URL streams this many bytes (a PNG signature, then zeros). */
  z.object({ type: z.literal('urlLarge'), bytes: z.number().int().positive() }),
  // The task* faults shape the next task created with POST /images/tasks.
  /** The task reports "processing" this many times before it completes. */
  z.object({ type: z.literal('taskPolls'), polls: z.number().int().nonnegative().max(1000), ...taskRoute }),
  /** The task ends as failed, after `polls` (default 1) "processing" answers. */
  z.object({
    type: z.literal('taskFails'),
    message: z.string().optional(),
    polls: z.number().int().nonnegative().optional(),
    ...taskRoute,
  }),
  z.object({ type: z.literal('taskNeverEnds'), ...taskRoute }),
  /** The task ends with `count` images whatever n asked for; with `announce`, every answer says n is that. */
  z.object({
    type: z.literal('taskTooMany'),
    count: z.number().int().min(1).max(5000),
    announce: z.number().int().min(1).optional(),
    ...taskRoute,
  }),
  /** Polls answer with JSON of a shape no known gateway uses. */
  z.object({ type: z.literal('taskOddShape'), ...taskRoute }),
  // The stream* faults shape a streamed answer (a request with stream: true, generation or edit);
  // a request without stream uses one up and is answered normally.
  /** One partial image, then the socket is destroyed before any completed event. */
  z.object({ type: z.literal('streamCut') }),
  /** One partial image, then `event: error` with an OpenAI error body, then the stream ends. */
  z.object({
    type: z.literal('streamError'),
    message: z.string().optional(),
    code: z.string().optional(),
  }),
  /** Only `: keep-alive` comment lines, every `everyMs` (default 5), never an event, until the client hangs up. */
  z.object({ type: z.literal('streamKeepAliveOnly'), everyMs: z.number().int().min(1).max(60_000).optional() }),
  /** Ignores stream and answers the ordinary JSON body. */
  z.object({ type: z.literal('streamJson') }),
  /** No partial images: only the completed events. */
  z.object({ type: z.literal('streamCompletedOnly') }),
  /** Every event written in small odd-sized chunks with CRLF line endings (a chunk ends after each CR). */
  z.object({ type: z.literal('streamChunkedCrlf') }),
]);

/** A fault as written by a test (defaults may be left out). */
export type Fault = z.input<typeof faultSchema>;
export type ParsedFault = z.output<typeof faultSchema>;
export type FaultRoute = 'generations' | 'models' | 'tasks' | 'files';

export function routeOf(fault: ParsedFault): FaultRoute {
  return ('on' in fault && fault.on) || 'generations';
}

/** A fault that shapes a streamed answer. */
export type StreamFault = Extract<ParsedFault, { type: `stream${string}` }>;

export function streamFault(fault: ParsedFault | undefined): StreamFault | undefined {
  return fault?.type.startsWith('stream') ? (fault as StreamFault) : undefined;
}

/** The fault in force for an image URL. */
export type UrlFault = Extract<ParsedFault, { type: `url${string}` }>;
