// Async image tasks for the sandbox: POST /v1/images/tasks creates one, GET /v1/images/tasks/:id reports
// "processing" for a few polls and then the images, rendered as generations renders them.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULTS, parseSize, type ImageFormat } from '../../src/core/catalog';
import { extensionFor } from '../../src/core/images';
import { validateRequest, type GenerateRequest } from '../../src/core/request';
import { fromRequestBody, wireName } from './requestBody';
import { englishMessage } from '../../src/core/messages';
import type { ParsedFault } from './faults';
import { renderImage } from './render';

/** Polls answered with "processing" before a task completes, unless a fault says otherwise. */
export const DEFAULT_TASK_POLLS = 2;

export interface TaskContext {
  responseFormat: 'b64_json' | 'url';
  takeFault(): ParsedFault | undefined;
  authorized(req: IncomingMessage, res: ServerResponse): boolean;
  origin(): string;
}

type TaskFault = Extract<ParsedFault, { type: `task${string}` }>;

interface Task {
  id: string;
  request: GenerateRequest;
  asked: 'b64_json' | 'url';
  pollsLeft: number;
  fault?: TaskFault;
  images?: Promise<{ bytes: Buffer; format: ImageFormat }[]>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const errorBody = (message: string, code: string | null = null, param: string | null = null) => ({
  error: { message, type: 'invalid_request_error', param, code },
});

function render(task: Task): Promise<{ bytes: Buffer; format: ImageFormat }[]> {
  const { model, prompt, size = 'auto', outputFormat: format = 'png', n = 1 } = task.request;
  const { width, height } = parseSize(size) ?? { width: 1024, height: 1024 };
  const one = async (index: number) => ({ bytes: await renderImage({ prompt, width, height, format, model, index, total: n }), format });
  return Promise.all(Array.from({ length: n }, (_, index) => one(index)));
}

/** The route handler for everything under /v1/images/tasks; tasks live as long as the sandbox. */
export function taskRoutes(ctx: TaskContext) {
  const tasks = new Map<string, Task>();

  function create(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const fault = ctx.takeFault() as TaskFault | undefined;
    if (!ctx.authorized(req, res)) return;
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(raw.toString('utf8'));
      if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not an object');
    } catch {
      return sendJson(res, 400, errorBody('We could not parse the JSON body of your request.'));
    }
    const checked = validateRequest(fromRequestBody(json, DEFAULTS.model));
    if (!checked.ok) return sendJson(res, 400, errorBody(englishMessage(checked.error), 'invalid_value', wireName(checked.field)));
    const id = `task_${randomBytes(8).toString('hex')}`;
    const asked = json.response_format === 'url' || json.response_format === 'b64_json' ? json.response_format : ctx.responseFormat;
    const polls = fault && 'polls' in fault ? (fault.polls ?? 1) : DEFAULT_TASK_POLLS;
    tasks.set(id, { id, request: checked.value, asked, pollsLeft: polls, fault });
    sendJson(res, 200, { task_id: id, status: 'pending', ...announced(fault) });
  }

  async function poll(req: IncomingMessage, res: ServerResponse, task: Task): Promise<void> {
    if (!ctx.authorized(req, res)) return;
    const { id, fault } = task;
    if (fault?.type === 'taskOddShape') return sendJson(res, 200, { job: { ref: id, phase: 'cooking' } });
    if (fault?.type === 'taskNeverEnds' || task.pollsLeft > 0) {
      task.pollsLeft = Math.max(0, task.pollsLeft - 1);
      return sendJson(res, 200, { task_id: id, status: 'processing', ...announced(fault) });
    }
    if (fault?.type === 'taskFails') {
      return sendJson(res, 200, {
        task_id: id,
        status: 'failed',
        error: { message: fault.message ?? 'The image could not be generated.' },
      });
    }
    let images = await (task.images ??= render(task));
    if (fault?.type === 'taskTooMany') images = Array.from({ length: fault.count }, () => images[0]!);
    const data = images.map(({ bytes, format }, i) =>
      task.asked === 'url'
        ? { url: `${ctx.origin()}/v1/images/tasks/${id}/files/${i}.${extensionFor(format)}` }
        : { b64_json: bytes.toString('base64') },
    );
    sendJson(res, 200, { task_id: id, status: 'completed', created: Math.floor(Date.now() / 1000), data, ...announced(fault) });
  }

  /** The request's `n` as some gateways echo it in task answers. */
  function announced(fault: ParsedFault | undefined): { params?: { n: number } } {
    return fault?.type === 'taskTooMany' && fault.announce !== undefined ? { params: { n: fault.announce } } : {};
  }

  /** Image URLs carry no key, as a CDN's would not. */
  async function file(res: ServerResponse, task: Task, index: number): Promise<void> {
    const image = task.images && (await task.images)[index];
    if (!image) return sendJson(res, 404, errorBody('No such file.', 'not_found'));
    res.writeHead(200, { 'content-type': `image/${image.format}`, 'content-length': image.bytes.length });
    res.end(image.bytes);
  }

  return async (req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): Promise<void> => {
    if (req.method === 'POST' && path === '/v1/images/tasks') return create(req, res, raw);
    const [, id, index] = /^\/v1\/images\/tasks\/([^/]+)(?:\/files\/(\d+)\.\w+)?$/.exec(path) ?? [];
    const task = id === undefined ? undefined : tasks.get(decodeURIComponent(id));
    if (req.method !== 'GET' || !id) return sendJson(res, 404, errorBody(`Unknown route ${req.method} ${path}.`, 'unknown_url'));
    if (!task) return sendJson(res, 404, errorBody(`No task with id ${id}.`, 'task_not_found'));
    return index === undefined ? poll(req, res, task) : file(res, task, Number(index));
  };
}
