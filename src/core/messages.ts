// Every failure the core can tell a user about, as an id with typed parameters. The core never words a
// message for the user: the host does, in the display language (src/services/messages.ts). The English
// wording here is for logs and tests, and is what the host's English must match (a unit test checks).
// Server text (a gateway's error message or code, a task's failure reason) is a parameter, passed on as sent.
import type { AddressClass } from './addressPolicy';

/** How far a streamed answer got: previews received, final images received, images asked for. */
interface StreamStage {
  previews: number;
  images: number;
  asked: number;
}

type None = Record<never, never>;

/** Where a network failure happened. */
export type Peer = 'gateway' | 'imageServer';

/** `http`: "HTTP 401" or "HTTP 401 invalid_api_key"; `server`: the gateway's own message, redacted, on one line. */
interface Said {
  http: string;
  server?: string;
}

/** A file of an edit: its name, or its place in the list when it has none. */
interface Named {
  name?: string;
  index: number;
}

export interface MessageParams {
  // A non-2xx answer of the gateway (errors.ts).
  safetyRefused: { code: string; server?: string };
  keyRefused: Said;
  modelUnavailable: Said & { model: string };
  keyNotAllowed: Said;
  noSuchEndpoint: Said;
  requestTooLarge: Said;
  outOfQuota: Said;
  rateLimited: Said;
  requestTimedOut: Said;
  gatewayTimedOut: Said;
  serverError: Said;
  redirected: { http: string };
  requestRejected: Said & { param?: string };
  // An answer that cannot be used: `what` is wrong with it, `remedy` (default: checkApi) says what to do.
  unusableAnswer: { what: Message; remedy?: Message };
  notJson: { line?: string };
  taskNotJson: { line?: string };
  validatorSaid: { issue: string };
  imageNotBase64: { index: number; total: number };
  imageNotImage: { index: number; total: number };
  taskImageEmpty: { index: number };
  tooManyImages: { count?: number; asked: number };
  taskShapeUnknown: { shape: string };
  taskNoImages: { task?: string };
  checkApi: None;
  reportToOperator: None;
  checkTask: { task?: string };
  checkWithProvider: None;
  // The call ended early, or the transport failed (deadline.ts, transport.ts, client.ts).
  cancelled: None;
  noAnswerInTime: { peer: Peer; seconds: number };
  imagesTooLargeTogether: { peer?: Peer; mb: number };
  answerTooLarge: { peer: Peer; mb: number };
  tlsRefused: { peer: Peer; reason: string };
  cannotConnect: { peer: Peer; reason: string };
  /** A browser's fetch failed without saying why: most often CORS. `origin`: the server's; `from`: the workbench's. */
  browserBlocked: { peer: Peer; origin: string; from: string };
  connectionBroke: { peer: Peer; receiving: boolean; reason: string };
  // A streamed answer (imageStream.ts): how far it got when it stopped.
  streamEnded: StreamStage;
  streamStage: StreamStage;
  streamFailed: Said & StreamStage;
  streamEventNotJson: { line: string };
  streamEventTooLarge: None;
  streamRemedy: None;
  // A note added to a message: how retries went, what may still be running.
  annotated: { message: Message; note: Message };
  afterRetries: { retries: number };
  gaveUp: { retries: number };
  serverAskedToWait: { seconds: number };
  noTimeLeft: None;
  taskMayStillRun: { task: string };
  // Image URLs (download.ts, addressPolicy.ts).
  imageUrlNotUrl: None;
  imageUrlScheme: { scheme: string; redirected: boolean };
  imageUrlDowngrade: None;
  tooManyRedirects: { max: number };
  redirectNotUrl: None;
  imageUrlStatus: { status: number };
  addressRefused: { host: string; address: string; cls: AddressClass };
  // The key and the base URL (client.ts, baseUrl.ts).
  noApiKey: None;
  keyLineBreak: None;
  baseUrlUnusable: { problem: Message };
  baseUrlMissing: None;
  baseUrlNotFull: { text: string; hostLike: boolean };
  baseUrlScheme: { scheme: string };
  baseUrlCredentials: None;
  baseUrlPlainHttp: { host: string };
  baseUrlQuery: None;
  // Async tasks (tasks.ts).
  taskTimedOut: { task: string; seconds: number };
  taskFailed: { task?: string; server: string };
  // The request, checked before it is sent (request.ts, edits.ts).
  modelRequired: None;
  promptRequired: None;
  promptTooLong: { length: number; model: string; limit: number };
  sizeNotText: None;
  sizeUnavailable: { size: string; model: string; allowed: string; custom: boolean };
  qualityNotText: None;
  qualityUnavailable: { quality: string; model: string; allowed: string };
  qualityNone: { model: string };
  formatNotText: None;
  formatUnavailable: { format: string; model: string; allowed: string };
  formatNone: { model: string };
  nNotWhole: { max: number };
  nTooMany: { model: string; max: number };
  transparentNeedsAlpha: { format: string };
  cannotEdit: { model: string };
  noImages: None;
  tooManyImagesGiven: { count: number; model: string; max: number };
  notAnImage: Named;
  imageTooBig: Named & { size: string };
  /** OpenAI's dall-e-2 edits one square PNG under 4 MB; `got` says what this one is ("JPEG", "1024x768", "5.1 MB"). */
  dallE2Image: Named & { got: string };
  maskNotPng: { name?: string };
  maskTooBig: { name?: string; size: string };
  maskWrongSize: { name?: string; got: string; want: string };
  // Save folders (outputFolder.ts, destination.ts): which setting, its value as written, what is wrong, what to do.
  folderRefused: { setting: string; shown: string; problem: Message; fix: Message };
  folderUnc: None;
  folderAbsolute: None;
  folderDrive: None;
  folderTilde: None;
  folderClimbs: None;
  folderOutside: None;
  folderIllegalChar: { char: string };
  folderControlChar: None;
  folderReserved: { name: string };
  folderTrailing: { name: string };
  folderTooLong: None;
  useRelativeFolder: None;
  useFolderInside: None;
  removeChar: { name: string };
  otherFolderName: None;
  removeTrailing: None;
  shorterName: None;
  // Saving (the host's own steps, flow/imageJob.ts).
  noPlaceChosen: None;
  generationCancelled: None;
}

export type MessageId = keyof MessageParams;

/** What to tell the user: an id and its parameters, worded by whoever shows it. */
export type Message = { [K in MessageId]: { id: K; params: MessageParams[K] } }[MessageId];

export function message<K extends MessageId>(id: K, params: MessageParams[K]): Message {
  return { id, params } as Message;
}

/** A check that failed, with what to tell the user; request checks also name the field. */
export type Failure = { ok: false; error: Message };
export type FieldFailure = Failure & { field: string };

/** How one language words every message; `say` words a message given as a parameter. */
export type Wording = { [K in MessageId]: (p: MessageParams[K], say: (m: Message) => string) => string };

export function wordWith(wording: Wording, m: Message): string {
  const word = wording[m.id] as (p: MessageParams[MessageId], say: (m: Message) => string) => string;
  return word(m.params, (inner) => wordWith(wording, inner));
}

const PEER: Record<Peer, string> = { gateway: 'the gateway', imageServer: 'the image server' };

const ADDRESS: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'this computer',
  private: 'a private network address',
  linkLocal: 'a link-local address (such as a cloud metadata service)',
  reserved: 'a reserved or multicast address',
};

const said = (p: { http: string; server?: string }) => (p.server ? `${p.http}: ${p.server}` : p.http);
const taskName = (task: string | undefined) => (task ? `task ${task}` : 'the task');
const fileName = (p: Named) => `images: ${p.name || `image ${p.index + 1}`}`;
const maskName = (p: { name?: string }) => `mask: ${p.name || 'the mask'}`;
const quoted = (line: string | undefined) => (line ? ` ("${line}")` : ' (it is empty)');
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const streamStage = (p: StreamStage) =>
  p.images === 0
    ? `after ${plural(p.previews, 'preview', 'previews')}, before the final image`
    : `after ${p.images} of ${p.asked} final images`;
const retries = (n: number) => `${n} ${n === 1 ? 'retry' : 'retries'}`;
const EXAMPLE = 'e.g. https://api.example.com';

export const ENGLISH: Wording = {
  safetyRefused: (p) =>
    `The provider's safety system refused this request (${said({ http: p.code, server: p.server })}). Rephrase the prompt.`,
  keyRefused: (p) => `The gateway refused the API key (${said(p)}). Check or replace the key.`,
  modelUnavailable: (p) =>
    `Model "${p.model}" is not available for this key (${said(p)}). ` +
    'Pick another model with "GPT Image: Choose Model", or ask the provider to give the key access to it.',
  keyNotAllowed: (p) => `The key may not do this (${said(p)}). Check the key's model access and balance with the provider.`,
  noSuchEndpoint: (p) => `The gateway has no such endpoint (${said(p)}). Check the base URL.`,
  requestTooLarge: (p) => `The gateway refused the request as too large (${said(p)}). Shorten the prompt.`,
  outOfQuota: (p) => `The account is out of quota or credit (${said(p)}). Check billing with the provider.`,
  rateLimited: (p) => `The gateway is rate limiting requests (${said(p)}). Wait a moment and try again.`,
  requestTimedOut: (p) => `The gateway timed out receiving the request (${said(p)}). Try again.`,
  gatewayTimedOut: (p) => `The gateway timed out before the image was ready (${said(p)}). Try a smaller size or lower quality.`,
  serverError: (p) => `The gateway had a server error (${said(p)}). Try again later.`,
  redirected: (p) => `The gateway answered with a redirect (${p.http}). Check the base URL, including http vs https.`,
  requestRejected: (p) =>
    `The gateway rejected the request (${said({ http: p.param ? `${p.http}, ${p.param}` : p.http, server: p.server })}). Adjust it and try again.`,
  unusableAnswer: (p, say) => `The answer could not be used: ${say(p.what)}. ${say(p.remedy ?? message('checkApi', {}))}`,
  notJson: (p) => `the body is not valid JSON${quoted(p.line)}`,
  taskNotJson: (p) => `the task answer is not valid JSON${quoted(p.line)}`,
  validatorSaid: (p) => p.issue,
  imageNotBase64: (p) => `image ${p.index + 1} of ${p.total} is not valid base64`,
  imageNotImage: (p) => `image ${p.index + 1} of ${p.total} is not a PNG, JPEG or WebP image`,
  taskImageEmpty: (p) => `image ${p.index + 1} of the finished task has neither b64_json nor url`,
  tooManyImages: (p) =>
    `the gateway sent ${p.count === undefined ? `more than ${p.asked} ${p.asked === 1 ? 'image' : 'images'}` : `${p.count} images`} for n=${p.asked}`,
  taskShapeUnknown: (p) => `the task answer has a shape this extension does not know (${p.shape})`,
  taskNoImages: (p) => `${taskName(p.task)} finished without images`,
  checkApi: () => 'Check that the base URL points at an OpenAI-compatible images API.',
  reportToOperator: () => "Nothing was saved. Report it to the gateway's operator.",
  checkTask: (p) => `Check ${taskName(p.task)} with the provider, or use the synchronous generations endpoint.`,
  checkWithProvider: () => 'Check it with the provider.',
  cancelled: () => 'Cancelled.',
  noAnswerInTime: (p) =>
    `No complete answer from ${PEER[p.peer]} within ${p.seconds} s; not retried, since the server may ` +
    'still be making (and billing) the image. Try a smaller size or lower quality, or a longer timeout.',
  imagesTooLargeTogether: (p) =>
    p.peer
      ? `The images from ${PEER[p.peer]} together are larger than the ${p.mb} MB limit for one answer; none was saved.`
      : `The images of this answer together are larger than the ${p.mb} MB limit; none was saved.`,
  answerTooLarge: (p) => `The answer from ${PEER[p.peer]} is larger than the ${p.mb} MB limit; it was not read.`,
  tlsRefused: (p) => `The TLS certificate of ${PEER[p.peer]} was not accepted (${p.reason}). Check the base URL's host name.`,
  cannotConnect: (p) => `Could not connect to ${PEER[p.peer]} (${p.reason}). Check the base URL and your network.`,
  browserBlocked: (p) =>
    `The browser could not reach ${PEER[p.peer]} at ${p.origin}: if it is up, it must allow browser requests from ${p.from} (CORS: Access-Control-Allow-Origin, with Authorization and Content-Type in Access-Control-Allow-Headers).`,
  connectionBroke: (p) =>
    `The connection to ${PEER[p.peer]} broke ${p.receiving ? 'while reading the answer' : 'after sending the request'} (${p.reason}); not retried, since the image may already be billed. Try again.`,
  streamEnded: (p) => `the stream ended ${streamStage(p)}`,
  streamStage: (p) => `the stream stopped ${streamStage(p)}`,
  streamFailed: (p) =>
    `The gateway reported an error in the middle of the stream (${said(p)}), ${streamStage(p)}; not retried, since the image may already be billed. Nothing was saved. Try again.`,
  streamEventNotJson: (p) => `an event of the stream is not valid JSON${quoted(p.line)}`,
  streamEventTooLarge: () => 'an event of the stream is larger than any image answer',
  streamRemedy: () => 'Nothing was saved. Try again, or set "gptImage.previews" to "off" if this gateway does not stream reliably.',
  annotated: (p, say) => `${say(p.message).replace(/\.$/, '')} (${say(p.note)}).`,
  afterRetries: (p) => `after ${retries(p.retries)}`,
  gaveUp: (p) => `gave up after ${retries(p.retries)}`,
  serverAskedToWait: (p) => `not retried: the server asked to wait ${p.seconds} s`,
  noTimeLeft: () => 'not retried: no time left before the timeout',
  taskMayStillRun: (p) => `task ${p.task} may still run at the provider`,
  imageUrlNotUrl: () => 'The gateway answered with an image URL that is not a URL.',
  imageUrlScheme: (p) =>
    `${p.redirected ? 'The image URL redirected to' : 'The gateway answered with'} a URL with scheme ${p.scheme}; only http(s) images are downloaded.`,
  imageUrlDowngrade: () =>
    'The image URL redirected from https to plain http; it was not followed, since the image could be altered on the way.',
  tooManyRedirects: (p) => `The image URL redirected more than ${p.max} times; it was not followed.`,
  redirectNotUrl: () => 'The image URL redirected to something that is not a URL.',
  imageUrlStatus: (p) =>
    `The image URL answered HTTP ${p.status}${[403, 404, 410].includes(p.status) ? ' (it may have expired)' : ''}; the image could not be downloaded. Generate it again.`,
  addressRefused: (p) =>
    `The gateway answered with an image URL on ${ADDRESS[p.cls]}, ${p.host === p.address ? p.address : `${p.host} (${p.address})`}; it was not downloaded. ` +
    'Images are fetched from such addresses only when the configured base URL is on one too.',
  noApiKey: () => 'No API key is set. Set the key for this gateway.',
  keyLineBreak: () => 'The API key contains a line break. Set it again.',
  baseUrlUnusable: (p, say) => `The base URL is not usable: ${say(p.problem)}`,
  baseUrlMissing: () => `Enter the gateway's base URL, ${EXAMPLE}.`,
  baseUrlNotFull: (p) =>
    `"${p.text}" is not a full URL.${p.hostLike ? ` Add the scheme: https://${p.text}` : ` Use a full URL, ${EXAMPLE}.`}`,
  baseUrlScheme: (p) => `${p.scheme} URLs are not supported; use an https:// URL, ${EXAMPLE}.`,
  baseUrlCredentials: () => 'Remove the user name and password from the URL; the API key is asked for and stored separately.',
  baseUrlPlainHttp: (p) =>
    `Plain http would send the API key unencrypted to ${p.host}; use https:// (http is allowed only for localhost and 127.0.0.1).`,
  baseUrlQuery: () => 'Remove the query (?…) and fragment (#…) from the URL; only scheme, host, port and path are used.',
  taskTimedOut: (p) =>
    `Task ${p.task} did not finish within ${p.seconds} s. It may still finish (and be billed): ` +
    'check it with the provider, or use a longer timeout.',
  taskFailed: (p) => `The provider reports that ${taskName(p.task)} failed: ${p.server}. Adjust the request or try again.`,
  modelRequired: () => 'model: a model id is required',
  promptRequired: () => 'prompt: describe the image in text',
  promptTooLong: (p) => `prompt: ${p.length} characters; ${p.model} takes at most ${p.limit}`,
  sizeNotText: () => 'size: must be text like 1024x1024',
  sizeUnavailable: (p) =>
    `size: ${p.size} is not available for ${p.model}; use ${p.allowed}${p.custom ? ' or a custom WxH (multiples of 16, ratio up to 3:1, at most 3840x2160)' : ''}`,
  qualityNotText: () => 'quality: must be text',
  qualityUnavailable: (p) => `quality: ${p.quality} is not available for ${p.model}; use ${p.allowed}`,
  qualityNone: (p) => `quality: ${p.model} takes no quality; leave it unset`,
  formatNotText: () => 'outputFormat: must be png, jpeg or webp',
  formatUnavailable: (p) => `outputFormat: ${p.format} is not available for ${p.model}; use ${p.allowed}`,
  formatNone: (p) => `outputFormat: ${p.model} takes no output format (it returns PNG); leave it unset`,
  nNotWhole: (p) => `n: must be a whole number from 1 to ${p.max}`,
  nTooMany: (p) => `n: ${p.model} makes at most ${p.max} image${p.max === 1 ? '' : 's'} per request`,
  transparentNeedsAlpha: (p) =>
    `background: transparent needs an image format with transparency, and ${p.format} has none; choose png or webp as the output format, or another background`,
  cannotEdit: (p) => `model: ${p.model} cannot edit images; pick a GPT image model or dall-e-2`,
  noImages: () => 'images: add at least one reference image',
  tooManyImagesGiven: (p) => `images: ${p.count} given; ${p.model} takes at most ${p.max}. Remove some.`,
  notAnImage: (p) => `${fileName(p)} is not a PNG, JPEG or WebP image; pick an image file`,
  imageTooBig: (p) => `${fileName(p)} is ${p.size}; each image must be under 50 MB`,
  dallE2Image: (p) =>
    `${fileName(p)} is ${p.got}; dall-e-2 edits only a square PNG under 4 MB: choose a GPT image model, or use such an image`,
  maskNotPng: (p) => `${maskName(p)} is not a PNG; save the mask as PNG with transparency`,
  maskTooBig: (p) => `${maskName(p)} is ${p.size}; the mask must be under 4 MB`,
  maskWrongSize: (p) => `${maskName(p)} is ${p.got}; make it ${p.want}, the first image's size`,
  folderRefused: (p, say) => `The setting ${p.setting} (${p.shown}) ${say(p.problem)}. ${say(p.fix)}`,
  folderUnc: () => 'is a network (UNC) path',
  folderAbsolute: () => 'is an absolute path',
  folderDrive: () => 'starts with a drive letter',
  folderTilde: () => 'starts with "~", which is not expanded to the home folder',
  folderClimbs: () => 'leads outside the workspace folder with ".."',
  folderOutside: () => 'leads outside the workspace folder',
  folderIllegalChar: (p) => `contains "${p.char}", which Windows does not allow in file names`,
  folderControlChar: () => 'contains a control character, which Windows does not allow in file names',
  folderReserved: (p) => `uses "${p.name}", a name Windows reserves for devices`,
  folderTrailing: (p) => `has a folder name ending in a space or dot ("${p.name}"), which Windows drops`,
  folderTooLong: () => 'has a folder name longer than 255 characters',
  useRelativeFolder: () => 'Use a path relative to the workspace folder, e.g. "images" or "docs/images".',
  useFolderInside: () => 'Use a folder inside the workspace folder, e.g. "images/", or remove the rule.',
  removeChar: (p) => `Remove it from "${p.name}".`,
  otherFolderName: () => 'Choose another folder name.',
  removeTrailing: () => 'Remove the trailing space or dot.',
  shorterName: () => 'Use a shorter name.',
  noPlaceChosen: () => 'GPT Image: no place to save was chosen. Nothing was saved.',
  generationCancelled: () => 'GPT Image: generation cancelled. Nothing was saved.',
};

/** The English text of a message: for logs, tests and callers that speak to a language model. */
export function englishMessage(m: Message): string {
  return wordWith(ENGLISH, m);
}
