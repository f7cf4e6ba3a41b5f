// Every message the core can produce, worded in the display language: one `l10n.t` literal per message
// (and per variant), so the l10n bundles cover them all and test/unit/l10n.test.ts checks each has a
// translation. The type requires every message id; a unit test checks the English matches the core's.
// Server text (`server`, `reason`, `issue`, codes and ids) is passed in as sent, never translated.
import type { AddressClass } from '../core/addressPolicy';
import { message, type Peer, type Wording } from '../core/messages';

/** `vscode.l10n`, or a stand-in in tests. */
export interface Translator {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

export function wording(l10n: Translator): Wording {
  const said = (p: { http: string; server?: string }) => (p.server ? l10n.t('{0}: {1}', p.http, p.server) : p.http);
  const peer = (p: Peer) => (p === 'gateway' ? l10n.t('the gateway') : l10n.t('the image server'));
  const task = (id: string | undefined) => (id ? l10n.t('task {0}', id) : l10n.t('the task'));
  const file = (p: { name?: string; index: number }) => l10n.t('images: {0}', p.name || l10n.t('image {0}', p.index + 1));
  const mask = (p: { name?: string }) => l10n.t('mask: {0}', p.name || l10n.t('the mask'));
  const address: Record<AddressClass, () => string> = {
    public: () => l10n.t('a public address'),
    loopback: () => l10n.t('this computer'),
    private: () => l10n.t('a private network address'),
    linkLocal: () => l10n.t('a link-local address (such as a cloud metadata service)'),
    reserved: () => l10n.t('a reserved or multicast address'),
  };
  const streamStage = (p: { previews: number; images: number; asked: number }) =>
    p.images > 0
      ? l10n.t('after {0} of {1} final images', p.images, p.asked)
      : p.previews === 1
        ? l10n.t('after 1 preview, before the final image')
        : l10n.t('after {0} previews, before the final image', p.previews);
  const mayHaveExpired = (status: number) => [403, 404, 410].includes(status);
  return {
    safetyRefused: (p) =>
      l10n.t("The provider's safety system refused this request ({0}). Rephrase the prompt.", said({ http: p.code, server: p.server })),
    keyRefused: (p) => l10n.t('The gateway refused the API key ({0}). Check or replace the key.', said(p)),
    modelUnavailable: (p) =>
      l10n.t(
        'Model "{0}" is not available for this key ({1}). Pick another model with "GPT Image: Choose Model", or ask the provider to give the key access to it.',
        p.model,
        said(p),
      ),
    keyNotAllowed: (p) => l10n.t("The key may not do this ({0}). Check the key's model access and balance with the provider.", said(p)),
    noSuchEndpoint: (p) => l10n.t('The gateway has no such endpoint ({0}). Check the base URL.', said(p)),
    requestTooLarge: (p) => l10n.t('The gateway refused the request as too large ({0}). Shorten the prompt.', said(p)),
    outOfQuota: (p) => l10n.t('The account is out of quota or credit ({0}). Check billing with the provider.', said(p)),
    rateLimited: (p) => l10n.t('The gateway is rate limiting requests ({0}). Wait a moment and try again.', said(p)),
    requestTimedOut: (p) => l10n.t('The gateway timed out receiving the request ({0}). Try again.', said(p)),
    gatewayTimedOut: (p) => l10n.t('The gateway timed out before the image was ready ({0}). Try a smaller size or lower quality.', said(p)),
    serverError: (p) => l10n.t('The gateway had a server error ({0}). Try again later.', said(p)),
    redirected: (p) => l10n.t('The gateway answered with a redirect ({0}). Check the base URL, including http vs https.', p.http),
    requestRejected: (p) =>
      l10n.t(
        'The gateway rejected the request ({0}). Adjust it and try again.',
        said({ http: p.param ? `${p.http}, ${p.param}` : p.http, server: p.server }),
      ),
    unusableAnswer: (p, say) => l10n.t('The answer could not be used: {0}. {1}', say(p.what), say(p.remedy ?? message('checkApi', {}))),
    notJson: (p) => (p.line ? l10n.t('the body is not valid JSON ("{0}")', p.line) : l10n.t('the body is not valid JSON (it is empty)')),
    taskNotJson: (p) =>
      p.line ? l10n.t('the task answer is not valid JSON ("{0}")', p.line) : l10n.t('the task answer is not valid JSON (it is empty)'),
    validatorSaid: (p) => p.issue,
    imageNotBase64: (p) => l10n.t('image {0} of {1} is not valid base64', p.index + 1, p.total),
    imageNotImage: (p) => l10n.t('image {0} of {1} is not a PNG, JPEG or WebP image', p.index + 1, p.total),
    taskImageEmpty: (p) => l10n.t('image {0} of the finished task has neither b64_json nor url', p.index + 1),
    tooManyImages: (p) =>
      p.count !== undefined
        ? l10n.t('the gateway sent {0} images for n={1}', p.count, p.asked)
        : p.asked === 1
          ? l10n.t('the gateway sent more than 1 image for n=1')
          : l10n.t('the gateway sent more than {0} images for n={0}', p.asked),
    taskShapeUnknown: (p) => l10n.t('the task answer has a shape this extension does not know ({0})', p.shape),
    taskNoImages: (p) => l10n.t('{0} finished without images', task(p.task)),
    checkApi: () => l10n.t('Check that the base URL points at an OpenAI-compatible images API.'),
    reportToOperator: () => l10n.t("Nothing was saved. Report it to the gateway's operator."),
    checkTask: (p) => l10n.t('Check {0} with the provider, or use the synchronous generations endpoint.', task(p.task)),
    checkWithProvider: () => l10n.t('Check it with the provider.'),
    cancelled: () => l10n.t('Cancelled.'),
    noAnswerInTime: (p) =>
      l10n.t(
        'No complete answer from {0} within {1} s; not retried, since the server may still be making (and billing) the image. Try a smaller size or lower quality, or a longer timeout.',
        peer(p.peer),
        p.seconds,
      ),
    imagesTooLargeTogether: (p) =>
      p.peer
        ? l10n.t('The images from {0} together are larger than the {1} MB limit for one answer; none was saved.', peer(p.peer), p.mb)
        : l10n.t('The images of this answer together are larger than the {0} MB limit; none was saved.', p.mb),
    answerTooLarge: (p) => l10n.t('The answer from {0} is larger than the {1} MB limit; it was not read.', peer(p.peer), p.mb),
    tlsRefused: (p) => l10n.t("The TLS certificate of {0} was not accepted ({1}). Check the base URL's host name.", peer(p.peer), p.reason),
    cannotConnect: (p) => l10n.t('Could not connect to {0} ({1}). Check the base URL and your network.', peer(p.peer), p.reason),
    browserBlocked: (p) =>
      l10n.t(
        'The browser could not reach {0} at {1}: if it is up, it must allow browser requests from {2} (CORS: Access-Control-Allow-Origin, with Authorization and Content-Type in Access-Control-Allow-Headers).',
        peer(p.peer),
        p.origin,
        p.from,
      ),
    connectionBroke: (p) =>
      p.receiving
        ? l10n.t(
            'The connection to {0} broke while reading the answer ({1}); not retried, since the image may already be billed. Try again.',
            peer(p.peer),
            p.reason,
          )
        : l10n.t(
            'The connection to {0} broke after sending the request ({1}); not retried, since the image may already be billed. Try again.',
            peer(p.peer),
            p.reason,
          ),
    streamEnded: (p) => l10n.t('the stream ended {0}', streamStage(p)),
    streamStage: (p) => l10n.t('the stream stopped {0}', streamStage(p)),
    streamFailed: (p) =>
      l10n.t(
        'The gateway reported an error in the middle of the stream ({0}), {1}; not retried, since the image may already be billed. Nothing was saved. Try again.',
        said(p),
        streamStage(p),
      ),
    streamEventNotJson: (p) =>
      p.line
        ? l10n.t('an event of the stream is not valid JSON ("{0}")', p.line)
        : l10n.t('an event of the stream is not valid JSON (it is empty)'),
    streamEventTooLarge: () => l10n.t('an event of the stream is larger than any image answer'),
    streamRemedy: () =>
      l10n.t('Nothing was saved. Try again, or set "gptImage.previews" to "off" if this gateway does not stream reliably.'),
    // The note goes before the message's final full stop, whichever the language uses.
    annotated: (p, say) => l10n.t('{0} ({1}).', say(p.message).replace(/[.。]$/, ''), say(p.note)),
    afterRetries: (p) => (p.retries === 1 ? l10n.t('after 1 retry') : l10n.t('after {0} retries', p.retries)),
    gaveUp: (p) => (p.retries === 1 ? l10n.t('gave up after 1 retry') : l10n.t('gave up after {0} retries', p.retries)),
    serverAskedToWait: (p) => l10n.t('not retried: the server asked to wait {0} s', p.seconds),
    noTimeLeft: () => l10n.t('not retried: no time left before the timeout'),
    taskMayStillRun: (p) => l10n.t('task {0} may still run at the provider', p.task),
    imageUrlNotUrl: () => l10n.t('The gateway answered with an image URL that is not a URL.'),
    imageUrlScheme: (p) =>
      p.redirected
        ? l10n.t('The image URL redirected to a URL with scheme {0}; only http(s) images are downloaded.', p.scheme)
        : l10n.t('The gateway answered with a URL with scheme {0}; only http(s) images are downloaded.', p.scheme),
    imageUrlDowngrade: () =>
      l10n.t('The image URL redirected from https to plain http; it was not followed, since the image could be altered on the way.'),
    tooManyRedirects: (p) => l10n.t('The image URL redirected more than {0} times; it was not followed.', p.max),
    redirectNotUrl: () => l10n.t('The image URL redirected to something that is not a URL.'),
    imageUrlStatus: (p) =>
      mayHaveExpired(p.status)
        ? l10n.t('The image URL answered HTTP {0} (it may have expired); the image could not be downloaded. Generate it again.', p.status)
        : l10n.t('The image URL answered HTTP {0}; the image could not be downloaded. Generate it again.', p.status),
    addressRefused: (p) =>
      l10n.t(
        'The gateway answered with an image URL on {0}, {1}; it was not downloaded. Images are fetched from such addresses only when the configured base URL is on one too.',
        address[p.cls](),
        p.host === p.address ? p.address : `${p.host} (${p.address})`,
      ),
    noApiKey: () => l10n.t('No API key is set. Set the key for this gateway.'),
    keyLineBreak: () => l10n.t('The API key contains a line break. Set it again.'),
    baseUrlUnusable: (p, say) => l10n.t('The base URL is not usable: {0}', say(p.problem)),
    baseUrlMissing: () => l10n.t("Enter the gateway's base URL, e.g. https://api.example.com."),
    baseUrlNotFull: (p) =>
      p.hostLike
        ? l10n.t('"{0}" is not a full URL. Add the scheme: https://{0}', p.text)
        : l10n.t('"{0}" is not a full URL. Use a full URL, e.g. https://api.example.com.', p.text),
    baseUrlScheme: (p) => l10n.t('{0} URLs are not supported; use an https:// URL, e.g. https://api.example.com.', p.scheme),
    baseUrlCredentials: () => l10n.t('Remove the user name and password from the URL; the API key is asked for and stored separately.'),
    baseUrlPlainHttp: (p) =>
      l10n.t(
        'Plain http would send the API key unencrypted to {0}; use https:// (http is allowed only for localhost and 127.0.0.1).',
        p.host,
      ),
    baseUrlQuery: () => l10n.t('Remove the query (?…) and fragment (#…) from the URL; only scheme, host, port and path are used.'),
    taskTimedOut: (p) =>
      l10n.t(
        'Task {0} did not finish within {1} s. It may still finish (and be billed): check it with the provider, or use a longer timeout.',
        p.task,
        p.seconds,
      ),
    taskFailed: (p) => l10n.t('The provider reports that {0} failed: {1}. Adjust the request or try again.', task(p.task), p.server),
    modelRequired: () => l10n.t('model: a model id is required'),
    promptRequired: () => l10n.t('prompt: describe the image in text'),
    promptTooLong: (p) => l10n.t('prompt: {0} characters; {1} takes at most {2}', p.length, p.model, p.limit),
    sizeNotText: () => l10n.t('size: must be text like 1024x1024'),
    sizeUnavailable: (p) =>
      p.custom
        ? l10n.t(
            'size: {0} is not available for {1}; use {2} or a custom WxH (multiples of 16, ratio up to 3:1, at most 3840x2160)',
            p.size,
            p.model,
            p.allowed,
          )
        : l10n.t('size: {0} is not available for {1}; use {2}', p.size, p.model, p.allowed),
    qualityNotText: () => l10n.t('quality: must be text'),
    qualityUnavailable: (p) => l10n.t('quality: {0} is not available for {1}; use {2}', p.quality, p.model, p.allowed),
    qualityNone: (p) => l10n.t('quality: {0} takes no quality; leave it unset', p.model),
    formatNotText: () => l10n.t('outputFormat: must be png, jpeg or webp'),
    formatUnavailable: (p) => l10n.t('outputFormat: {0} is not available for {1}; use {2}', p.format, p.model, p.allowed),
    formatNone: (p) => l10n.t('outputFormat: {0} takes no output format (it returns PNG); leave it unset', p.model),
    nNotWhole: (p) => l10n.t('n: must be a whole number from 1 to {0}', p.max),
    nTooMany: (p) =>
      p.max === 1
        ? l10n.t('n: {0} makes at most 1 image per request', p.model)
        : l10n.t('n: {0} makes at most {1} images per request', p.model, p.max),
    transparentNeedsAlpha: (p) =>
      l10n.t(
        'background: transparent needs an image format with transparency, and {0} has none; choose png or webp as the output format, or another background',
        p.format,
      ),
    cannotEdit: (p) => l10n.t('model: {0} cannot edit images; pick a GPT image model or dall-e-2', p.model),
    noImages: () => l10n.t('images: add at least one reference image'),
    tooManyImagesGiven: (p) => l10n.t('images: {0} given; {1} takes at most {2}. Remove some.', p.count, p.model, p.max),
    notAnImage: (p) => l10n.t('{0} is not a PNG, JPEG or WebP image; pick an image file', file(p)),
    imageTooBig: (p) => l10n.t('{0} is {1}; each image must be under 50 MB', file(p), p.size),
    dallE2Image: (p) =>
      l10n.t('{0} is {1}; dall-e-2 edits only a square PNG under 4 MB: choose a GPT image model, or use such an image', file(p), p.got),
    maskNotPng: (p) => l10n.t('{0} is not a PNG; save the mask as PNG with transparency', mask(p)),
    maskTooBig: (p) => l10n.t('{0} is {1}; the mask must be under 4 MB', mask(p), p.size),
    maskWrongSize: (p) => l10n.t("{0} is {1}; make it {2}, the first image's size", mask(p), p.got, p.want),
    folderRefused: (p, say) => l10n.t('The setting {0} ({1}) {2}. {3}', p.setting, p.shown, say(p.problem), say(p.fix)),
    folderUnc: () => l10n.t('is a network (UNC) path'),
    folderAbsolute: () => l10n.t('is an absolute path'),
    folderDrive: () => l10n.t('starts with a drive letter'),
    folderTilde: () => l10n.t('starts with "~", which is not expanded to the home folder'),
    folderClimbs: () => l10n.t('leads outside the workspace folder with ".."'),
    folderOutside: () => l10n.t('leads outside the workspace folder'),
    folderIllegalChar: (p) => l10n.t('contains "{0}", which Windows does not allow in file names', p.char),
    folderControlChar: () => l10n.t('contains a control character, which Windows does not allow in file names'),
    folderReserved: (p) => l10n.t('uses "{0}", a name Windows reserves for devices', p.name),
    folderTrailing: (p) => l10n.t('has a folder name ending in a space or dot ("{0}"), which Windows drops', p.name),
    folderTooLong: () => l10n.t('has a folder name longer than 255 characters'),
    useRelativeFolder: () => l10n.t('Use a path relative to the workspace folder, e.g. "images" or "docs/images".'),
    useFolderInside: () => l10n.t('Use a folder inside the workspace folder, e.g. "images/", or remove the rule.'),
    removeChar: (p) => l10n.t('Remove it from "{0}".', p.name),
    otherFolderName: () => l10n.t('Choose another folder name.'),
    removeTrailing: () => l10n.t('Remove the trailing space or dot.'),
    shorterName: () => l10n.t('Use a shorter name.'),
    noPlaceChosen: () => l10n.t('GPT Image: no place to save was chosen. Nothing was saved.'),
    generationCancelled: () => l10n.t('GPT Image: generation cancelled. Nothing was saved.'),
  };
}
