import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { englishMessage, message, wordWith, type Message, type MessageId, type MessageParams } from '../../src/core/messages';
import { wording, type Translator } from '../../src/services/messages';

/** vscode.l10n.t without a bundle: the English template with its arguments put in. */
const english: Translator = { t: (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])) };
/** A stand-in language: every template is marked, so untranslated text shows. */
const marked: Translator = { t: (m, ...args) => `«${english.t(m, ...args)}»` };

const said = { http: 'HTTP 400 bad_thing', server: 'the server said so' };
const note = message('afterRetries', { retries: 2 });

/** Every variant of every message: the type requires an entry per id. */
const SAMPLES: { [K in MessageId]: MessageParams[K][] } = {
  safetyRefused: [{ code: 'moderation_blocked', server: 'no' }, { code: 'moderation_blocked' }],
  keyRefused: [said, { http: 'HTTP 401' }],
  modelUnavailable: [{ ...said, model: 'gpt-image-2' }],
  keyNotAllowed: [said],
  noSuchEndpoint: [said],
  requestTooLarge: [said],
  outOfQuota: [said],
  rateLimited: [said],
  requestTimedOut: [said],
  gatewayTimedOut: [said],
  serverError: [said],
  redirected: [{ http: 'HTTP 302' }],
  requestRejected: [said, { ...said, param: 'size' }, { http: 'HTTP 400' }],
  unusableAnswer: [{ what: message('notJson', {}) }, { what: message('taskNoImages', {}), remedy: message('checkWithProvider', {}) }],
  notJson: [{}, { line: '<html>' }],
  taskNotJson: [{}, { line: 'oops' }],
  validatorSaid: [{ issue: 'Expected array at data' }],
  imageNotBase64: [{ index: 0, total: 2 }],
  imageNotImage: [{ index: 1, total: 2 }],
  taskImageEmpty: [{ index: 2 }],
  tooManyImages: [{ count: 9, asked: 2 }, { asked: 1 }, { asked: 3 }],
  taskShapeUnknown: [{ shape: 'fields: a, b' }],
  taskNoImages: [{}, { task: 't1' }],
  checkApi: [{}],
  reportToOperator: [{}],
  checkTask: [{}, { task: 't1' }],
  checkWithProvider: [{}],
  cancelled: [{}],
  noAnswerInTime: [
    { peer: 'gateway', seconds: 300 },
    { peer: 'imageServer', seconds: 1.5 },
  ],
  imagesTooLargeTogether: [{ mb: 210 }, { peer: 'imageServer', mb: 210 }],
  answerTooLarge: [{ peer: 'gateway', mb: 50 }],
  tlsRefused: [{ peer: 'gateway', reason: 'CERT_HAS_EXPIRED' }],
  cannotConnect: [{ peer: 'imageServer', reason: 'ECONNREFUSED' }],
  browserBlocked: [{ peer: 'gateway', origin: 'https://gateway.example', from: 'https://workbench.example' }],
  streamEnded: [
    { previews: 0, images: 0, asked: 1 },
    { previews: 1, images: 0, asked: 1 },
    { previews: 5, images: 2, asked: 3 },
  ],
  streamStage: [{ previews: 2, images: 0, asked: 2 }],
  streamFailed: [
    { ...said, previews: 1, images: 0, asked: 1 },
    { http: 'server_error', previews: 0, images: 1, asked: 2 },
  ],
  streamEventNotJson: [{ line: '' }, { line: '{"type":' }],
  streamEventTooLarge: [{}],
  streamRemedy: [{}],
  connectionBroke: [
    { peer: 'gateway', receiving: true, reason: 'ECONNRESET' },
    { peer: 'gateway', receiving: false, reason: 'socket hang up' },
  ],
  annotated: [{ message: message('serverError', said), note }],
  afterRetries: [{ retries: 1 }, { retries: 2 }],
  gaveUp: [{ retries: 1 }, { retries: 3 }],
  serverAskedToWait: [{ seconds: 61 }],
  noTimeLeft: [{}],
  taskMayStillRun: [{ task: 't1' }],
  imageUrlNotUrl: [{}],
  imageUrlScheme: [
    { scheme: 'file:', redirected: true },
    { scheme: 'ftp:', redirected: false },
  ],
  imageUrlDowngrade: [{}],
  tooManyRedirects: [{ max: 3 }],
  redirectNotUrl: [{}],
  imageUrlStatus: [{ status: 404 }, { status: 500 }],
  addressRefused: [
    { host: 'images.test', address: '10.0.0.7', cls: 'private' },
    { host: '::1', address: '::1', cls: 'loopback' },
    { host: 'a', address: '1.1.1.1', cls: 'public' },
    { host: 'b', address: '169.254.169.254', cls: 'linkLocal' },
    { host: 'c', address: '224.0.0.1', cls: 'reserved' },
  ],
  noApiKey: [{}],
  keyLineBreak: [{}],
  baseUrlUnusable: [{ problem: message('baseUrlMissing', {}) }],
  baseUrlMissing: [{}],
  baseUrlNotFull: [
    { text: 'api.example.com', hostLike: true },
    { text: '???', hostLike: false },
  ],
  baseUrlScheme: [{ scheme: 'ftp:' }],
  baseUrlCredentials: [{}],
  baseUrlPlainHttp: [{ host: 'example.com' }],
  baseUrlQuery: [{}],
  taskTimedOut: [{ task: 't1', seconds: 30 }],
  taskFailed: [{ server: 'bad prompt' }, { task: 't1', server: 'bad prompt' }],
  modelRequired: [{}],
  promptRequired: [{}],
  promptTooLong: [{ length: 1001, model: 'dall-e-2', limit: 1000 }],
  sizeNotText: [{}],
  sizeUnavailable: [
    { size: '1x1', model: 'm', allowed: 'auto, 1024x1024', custom: true },
    { size: '1x1', model: 'm', allowed: '1024x1024', custom: false },
  ],
  qualityNotText: [{}],
  qualityUnavailable: [{ quality: 'hd', model: 'm', allowed: 'low, high' }],
  qualityNone: [{ model: 'dall-e-2' }],
  formatNotText: [{}],
  formatUnavailable: [{ format: 'gif', model: 'm', allowed: 'png' }],
  formatNone: [{ model: 'dall-e-3' }],
  nNotWhole: [{ max: 8 }],
  nTooMany: [
    { model: 'dall-e-3', max: 1 },
    { model: 'm', max: 8 },
  ],
  transparentNeedsAlpha: [{ format: 'jpeg' }],
  cannotEdit: [{ model: 'dall-e-3' }],
  noImages: [{}],
  tooManyImagesGiven: [{ count: 20, model: 'm', max: 16 }],
  notAnImage: [{ index: 0 }, { name: 'a.txt', index: 1 }],
  imageTooBig: [
    { index: 0, size: '50.0 MB' },
    { name: 'big.png', index: 0, size: '50.0 MB' },
  ],
  dallE2Image: [
    { index: 0, got: 'JPEG' },
    { name: 'wide.png', index: 0, got: '1024x768' },
  ],
  maskNotPng: [{}, { name: 'm.jpg' }],
  maskTooBig: [{ size: '4.0 MB' }, { name: 'm.png', size: '4.0 MB' }],
  maskWrongSize: [
    { got: '10x10', want: '20x20' },
    { name: 'm.png', got: '10x10', want: '20x20' },
  ],
  folderRefused: [
    { setting: 'gptImage.outputFolder', shown: '"../x"', problem: message('folderClimbs', {}), fix: message('useRelativeFolder', {}) },
    {
      setting: 'markdown.copyFiles.destination',
      shown: '"**": "C:/x"',
      problem: message('folderDrive', {}),
      fix: message('useFolderInside', {}),
    },
  ],
  folderUnc: [{}],
  folderAbsolute: [{}],
  folderDrive: [{}],
  folderTilde: [{}],
  folderClimbs: [{}],
  folderOutside: [{}],
  folderIllegalChar: [{ char: ':' }],
  folderControlChar: [{}],
  folderReserved: [{ name: 'con' }],
  folderTrailing: [{ name: 'img.' }],
  folderTooLong: [{}],
  useRelativeFolder: [{}],
  useFolderInside: [{}],
  removeChar: [{ name: 'a:b' }],
  otherFolderName: [{}],
  removeTrailing: [{}],
  shorterName: [{}],
  noPlaceChosen: [{}],
  generationCancelled: [{}],
};

const every = (): Message[] =>
  (Object.entries(SAMPLES) as [MessageId, MessageParams[MessageId][]][]).flatMap(([id, list]) =>
    list.map((params) => message(id, params as never)),
  );

describe('the host words every core message', () => {
  it('in English exactly as the core does (the words tests and logs see)', () => {
    const host = wording(english);
    for (const m of every()) assert.equal(wordWith(host, m), englishMessage(m), JSON.stringify(m));
  });

  it('through l10n.t, with the server text passed on as sent', () => {
    const host = wording(marked);
    for (const m of every()) {
      if (m.id === 'validatorSaid') continue; // the validator's own words, naming the answer's fields
      const text = wordWith(host, m);
      assert.match(text, /^«.*»$/, JSON.stringify(m));
      if ('server' in m.params && m.params.server) assert.ok(text.includes(m.params.server), text);
    }
  });

  it('with the note before the final full stop of a translation too', () => {
    const chinese: Translator = {
      t: (m, ...args) => (m === '{0} ({1}).' ? `${args[0]}（${args[1]}）。` : english.t(m, ...args).replace(/\.$/, '。')),
    };
    const text = wordWith(wording(chinese), message('annotated', { message: message('cancelled', {}), note }));
    assert.equal(text, 'Cancelled（after 2 retries）。');
  });
});
