// The studio's visible text, in one place: `EN` holds the English defaults and is the one list of keys.
// The host sends the same keys in the display language (src/sidebar/studioStrings.ts, a `vscode.l10n.t`
// literal per key); `useStrings` makes that table active and `S` reads it at call time, so callers never
// see which language is in use. No DOM here: the host's unit tests import this file.

/** English defaults. `{0}`, `{1}` are placeholders, filled in by the functions of `S`. */
export const EN = {
  prompt: 'Prompt',
  promptPlaceholder: 'Describe the image… (Ctrl+Enter to generate)',
  promptTooLong: "The prompt is longer than this model's limit of {0} characters.",
  useSelection: 'Use selection',
  useSelectionHint: 'Copy the selected text of the last active editor into the prompt',
  improvePrompt: 'Improve prompt',
  improvePromptHint:
    'Rewrite the prompt with your chat model, with the paragraph around the cursor of the last active editor; the rewrite fills the box and nothing is generated',
  model: 'Model',
  refreshModels: "Refresh the gateway's model list",
  unknownModel: "Not in the catalog: sizes and limits follow OpenAI's rules.",
  size: 'Size',
  sizeMode: 'Size mode',
  sizePreset: 'Preset',
  sizeAuto: 'Auto',
  sizeCustom: 'Custom',
  customSize: 'Custom size (width x height)',
  customSizeHint: 'Both sides multiples of 16, at most 3840 and 3840x2160 pixels, ratio up to 3:1.',
  tier: 'Size tier',
  tierOther: 'Other',
  ratio: 'Aspect ratio',
  orientation: 'Orientation',
  landscape: 'Landscape',
  portrait: 'Portrait',
  square: 'Square',
  pixels: 'Pixels',
  autoHint: 'The model chooses the size.',
  quality: 'Quality',
  format: 'Format',
  count: 'Images',
  background: 'Background',
  compression: 'Compression',
  compressionHint: 'JPEG and WebP compression, 0 to 100; lower is smaller. 100 is not sent.',
  moderation: 'Moderation',
  inputFidelity: 'Input fidelity',
  previews: 'Previews',
  previewsHint: 'Partial images streamed while each image is made; each one costs extra output tokens.',
  previewsOff: 'Off',
  optionTransparent: 'Transparent',
  optionOpaque: 'Opaque',
  transparentNeedsAlpha: 'A transparent background needs PNG or WebP: choose one of them as the format.',
  cost: 'Estimated cost: {0}',
  generate: 'Generate',
  generateHint: 'Generate (Ctrl+Enter)',
  jobs: 'Generations',
  cancel: 'Cancel',
  running: 'Running',
  elapsed: '{0} s',
  preview: 'Preview {0} of {1}',
  previewSome: 'Preview {0}',
  reusePrompt: 'Use prompt again',
  insert: 'Insert at cursor',
  open: 'Open',
  reveal: 'Reveal in Explorer',
  copyMarkdown: 'Copy Markdown link',
  copyPath: 'Copy path',
  delete: 'Delete',
  fileDeleted: 'File deleted',
  history: 'History',
  searchHistory: 'Search history by prompt',
  historyCount: '{0} of {1}',
  historyEmpty: 'No images yet.',
  historyNoMatch: 'No prompt matches the search.',
  loadMore: 'Load more',
  refine: 'Refine this',
  moreLikeThis: 'More like this',
  showInfo: 'Show Generation Info',
  compareParent: 'Compare with parent',
  compare: 'Compare',
  compareToggle: 'Compare…',
  compareToggleHint: 'Choose two results to compare',
  comparePick: 'Choose {0} to compare',
  compareChosen: 'Choose two results: {0} chosen',
  compareSlider: 'Divider between {0} and {1}',
  compareKeys: 'Drag the divider, or use the arrow keys on the slider. Escape closes.',
  close: 'Close',
  editOf: 'Edit of {0}',
  editOfMasked: 'Edit of {0}, with a mask',
  refinedFrom: 'Refined from “{0}”',
  refinedFromHint: 'Show the entry it was refined from',
  parentNotLoaded: 'The entry it was refined from is further down: load more to see it.',
  failed: 'Failed: {0}',
  cancelled: 'Cancelled',
  costEstimate: 'estimate {0}',
  costActual: '{0} (estimate {1})',
  costHint: 'The cost from the token usage the gateway reported, and the estimate made before sending.',
  spent: 'Spent',
  spentHint:
    'Succeeded generations per gateway: the cost from the reported token usage where there is one, else the estimate made before sending. This week starts on Monday.',
  spentToday: 'today {0}',
  spentWeek: 'this week {0}',
  spentAll: 'all {0}',
  spentAbout: '~{0} estimated',
  spentOfWhich: '{0}, of which {1} estimated',
  spentUnpriced: '{0} without a price',
  gatewayUnknown: 'Gateway not recorded',
  // Catalog labels with words in them, keyed by their English (src/core/catalog.ts), and quality values.
  modelOrigin: 'GPT-Image-2 (billed by size)',
  modelAuto: 'GPT-Image-2 (auto size)',
  qualityLow: 'Low',
  qualityMedium: 'Medium',
  qualityHigh: 'High',
  qualityAuto: 'Auto',
  qualityStandard: 'Standard',
  qualityHd: 'HD',
  interrupted: 'Interrupted: the extension restarted.',
  loading: 'Loading…',
  references: 'Reference images',
  pickReferences: 'Pick images…',
  pickReferencesHint: 'Choose PNG, JPEG or WebP files to edit',
  dropHint: 'Hold Shift and drag images here from the Explorer, or',
  dropNothing: 'Only files can be dropped here: drag image files from the Explorer while holding Shift.',
  referencesFull: 'The studio holds at most {0} reference images.',
  referencesCannotEdit: '{0} cannot edit images: choose a GPT image model or dall-e-2, or remove the reference images to generate.',
  referencesTooManyOne: '{0} takes at most {1} reference image: remove some to edit.',
  referencesTooMany: '{0} takes at most {1} reference images: remove some to edit.',
  removeReference: 'Remove {0}',
  edit: 'Edit',
  editHint: 'Edit the reference images with the prompt (Ctrl+Enter)',
  paintMask: 'Paint mask',
  editMask: 'Edit mask',
  paintMaskHint: 'Paint the area of this image the edit may change',
  maskPainted: 'Mask painted',
  maskNone: 'No mask',
  maskNoneHint: 'Without a mask, the whole image may change',
  maskPainter: 'Mask painter',
  maskCanvas: 'Mask over {0}: paint the area to change',
  maskTools: 'Mask tools',
  brush: 'Brush',
  brushHint: 'Brush: paint the area to change (B)',
  eraser: 'Eraser',
  eraserHint: 'Eraser: keep this area (E)',
  brushSize: 'Brush size',
  brushSizeHint: 'Brush size ([ and ])',
  pixelsValue: '{0} px',
  clearMask: 'Clear',
  clearMaskHint: 'Clear the whole mask (Delete)',
  doneMask: 'Done',
  maskKeys:
    'Painted areas are what the edit may change. Mouse: drag to paint. Keyboard: arrows move the cursor (Shift+arrow: bigger steps), Space or Enter paints (hold Space while moving to paint a line), B brush, E eraser, [ and ] size, Delete clears.',
  maskTooBig: 'The mask is {0} MB; it must be under 4 MB. Paint fewer separate spots, or clear it.',
  maskCleared: 'Mask cleared',
  maskFailed: 'The mask could not be made. Clear it and paint again.',
  heading: 'GPT Image Studio',
} as const;

export type StringKey = keyof typeof EN;
/** A full table of the studio's text in one language. */
export type StringTable = Record<StringKey, string>;
/** Keys whose text has a placeholder: only the functions of `S` use them. */
type TemplateKey = { [K in StringKey]: (typeof EN)[K] extends `${string}{${number}}${string}` ? K : never }[StringKey];
type PlainKey = Exclude<StringKey, TemplateKey>;

export const STRING_KEYS = Object.keys(EN) as StringKey[];

/** The placeholders of a template, sorted: a translation must have the same ones. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
}

/** Fills `{0}`, `{1}`… with the arguments; a placeholder without one stays as it is. */
export function format(template: string, ...args: string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

let active: StringTable = EN;

/** Makes a table active for every later read of `S`. */
export function useStrings(table: StringTable): void {
  active = table;
}

const num = (n: number) => n.toLocaleString();
const fill = (key: TemplateKey, ...args: string[]) => format(active[key], ...args);

const LABEL_KEYS = ['modelOrigin', 'modelAuto'] as const;
const QUALITY_KEYS: Record<string, StringKey> = {
  low: 'qualityLow',
  medium: 'qualityMedium',
  high: 'qualityHigh',
  auto: 'qualityAuto',
  standard: 'qualityStandard',
  hd: 'qualityHd',
};

// Values of the other options (background, moderation, input fidelity) that share the quality names.
const OPTION_KEYS: Record<string, StringKey> = { ...QUALITY_KEYS, transparent: 'optionTransparent', opaque: 'optionOpaque' };

const templates = {
  failed: (error: string) => fill('failed', error),
  /** A catalog label in the active language; a label without a key (a bare model id) is shown as it is. */
  modelLabel: (label: string) => {
    const key = LABEL_KEYS.find((k) => EN[k] === label);
    return key ? active[key] : label;
  },
  /** A quality value's name; a gateway's own quality is shown as it is sent. */
  qualityName: (quality: string) => {
    const key = QUALITY_KEYS[quality];
    return key ? active[key] : quality;
  },
  /** A value of background, moderation or input fidelity. */
  optionName: (value: string) => {
    const key = OPTION_KEYS[value];
    return key ? active[key] : value;
  },
  /** `off`, or a number of partial images as it is. */
  previewsName: (value: string) => (value === 'off' ? active.previewsOff : value),
  promptCount: (n: number, max: number) => `${num(n)} / ${num(max)}`,
  promptTooLong: (max: number) => fill('promptTooLong', num(max)),
  cost: (amount: string) => fill('cost', amount),
  elapsed: (s: number) => fill('elapsed', String(s)),
  /** `index` 0-based; `total` 0 when the count is not known. */
  preview: (index: number, total: number) =>
    total > 0 ? fill('preview', String(index + 1), String(total)) : fill('previewSome', String(index + 1)),
  historyCount: (shown: number, total: number) => (shown < total ? fill('historyCount', String(shown), String(total)) : String(total)),
  referenceCount: (n: number, max: number) => `${n} / ${max}`,
  referencesFull: (max: number) => fill('referencesFull', String(max)),
  referencesTooMany: (model: string, max: number) =>
    fill(max === 0 ? 'referencesCannotEdit' : max === 1 ? 'referencesTooManyOne' : 'referencesTooMany', model, String(max)),
  removeReference: (name: string) => fill('removeReference', name),
  referenceSize: (w: number, h: number) => `${w}×${h}`,
  maskCanvas: (name: string) => fill('maskCanvas', name),
  pixelsValue: (n: number) => fill('pixelsValue', String(n)),
  maskTooBig: (mb: string) => fill('maskTooBig', mb),
  editOf: (names: readonly string[], mask: boolean) => fill(mask ? 'editOfMasked' : 'editOf', names.join(', ')),
  refinedFrom: (prompt: string) => fill('refinedFrom', prompt),
  costEstimate: (estimate: string) => fill('costEstimate', estimate),
  costActual: (actual: string, estimate: string) => fill('costActual', actual, estimate),
  spentToday: (amount: string) => fill('spentToday', amount),
  spentWeek: (amount: string) => fill('spentWeek', amount),
  spentAll: (amount: string) => fill('spentAll', amount),
  spentAbout: (amount: string) => fill('spentAbout', amount),
  spentOfWhich: (amount: string, estimated: string) => fill('spentOfWhich', amount, estimated),
  spentUnpriced: (n: number) => fill('spentUnpriced', num(n)),
  comparePick: (name: string) => fill('comparePick', name),
  compareChosen: (n: number) => fill('compareChosen', String(n)),
  compareSlider: (before: string, after: string) => fill('compareSlider', before, after),
};

/** The studio's text in the active language: plain strings (read when used) and functions for text with values. */
export const S = templates as typeof templates & { readonly [K in PlainKey]: string };
for (const key of STRING_KEYS) {
  if (!placeholders(EN[key]).length) Object.defineProperty(S, key, { get: () => active[key], enumerable: true });
}
