// One XMP packet carries the recipe: standard fields where they fit (dc:description = prompt,
// xmp:CreatorTool, xmp:CreateDate) so any XMP reader shows them, and the whole recipe as JSON in the
// extension's own namespace. Reading back is deliberately narrow: only that JSON element is read, from
// a packet no larger than one this extension writes; anything else is undefined. No XML library needed.
import { fromUtf8 } from './bytes';
import { embedXmp, MAX_PACKET_BYTES, readXmp } from './imageXmp';
import { parseRecipe, recipeSchema, type Recipe } from './recipe';

export const RECIPE_NAMESPACE = 'urn:gpt-image-studio:recipe:1';

const RECIPE_ELEMENT = /<gptimage:Recipe>([^<]*)<\/gptimage:Recipe>/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const UNESCAPES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// Characters XML 1.0 cannot carry or discourages (controls), and lone surrogates: shown as a space.
/* eslint-disable no-control-regex -- matching them is the point */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/* eslint-enable no-control-regex */

function escapeXml(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(NOT_XML, ' ')
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** JSON whose strings escape what XML cannot hold (JSON.stringify already escapes C0 controls and lone surrogates). */
function xmlSafeJson(recipe: Recipe): string {
  return JSON.stringify(recipe).replace(/[\u007f-\u009f\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `description: false` leaves out dc:description, the prompt's second copy, when the packet would be too long. */
export function recipeToXmp(recipe: Recipe, { description = true } = {}): string {
  const tool = `${recipe.generator.name} ${recipe.generator.version}`;
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` xmlns:gptimage="${RECIPE_NAMESPACE}">`,
    ...(description
      ? [`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(recipe.prompt)}</rdf:li></rdf:Alt></dc:description>`]
      : []),
    `<xmp:CreatorTool>${escapeXml(tool)}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${escapeXml(recipe.time)}</xmp:CreateDate>`,
    `<gptimage:Model>${escapeXml(recipe.model)}</gptimage:Model>`,
    `<gptimage:Recipe>${escapeXml(xmlSafeJson(recipe))}</gptimage:Recipe>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

/** The recipe in a packet this extension wrote, or undefined (no packet of ours, two recipes, a bad escape, a bad shape). */
export function recipeFromXmp(packet: string): Recipe | undefined {
  if (packet.length > MAX_PACKET_BYTES || !packet.includes(`xmlns:gptimage="${RECIPE_NAMESPACE}"`)) return undefined;
  const found = [...packet.matchAll(RECIPE_ELEMENT)];
  if (found.length !== 1) return undefined;
  const escaped = found[0]![1]!;
  if (!/^(?:[^&]|&(?:amp|lt|gt|quot|apos);)*$/.test(escaped)) return undefined;
  return parseRecipe(escaped.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => UNESCAPES[name]!));
}

export type Embedded =
  | {
      ok: true;
      bytes: Uint8Array;
      /** What had to be left out to fit one packet, if anything. */ omitted: ('description' | 'revisedPrompt')[];
    }
  | { ok: false; reason: 'invalid' | 'tooLong' | 'unsupported' };

/**
 * The image with the recipe embedded, pixels untouched. A long prompt is stored once rather than twice,
 * and then the revised prompt is left out, before the recipe is refused as too long (never cut).
 */
export function embedRecipe(bytes: Uint8Array, recipe: Recipe): Embedded {
  // Only what reads back is written.
  if (!recipeSchema.safeParse(recipe).success) return { ok: false, reason: 'invalid' };
  const withoutRevised: Recipe = { ...recipe, revisedPrompt: undefined };
  delete withoutRevised.revisedPrompt;
  const tries: [Recipe, boolean, Extract<Embedded, { ok: true }>['omitted']][] = [
    [recipe, true, []],
    [recipe, false, ['description']],
    [withoutRevised, false, recipe.revisedPrompt === undefined ? ['description'] : ['description', 'revisedPrompt']],
  ];
  for (const [fields, description, omitted] of tries) {
    const packet = fromUtf8(recipeToXmp(fields, { description }));
    if (packet.length > MAX_PACKET_BYTES) continue;
    const out = embedXmp(bytes, packet);
    return out ? { ok: true, bytes: out, omitted } : { ok: false, reason: 'unsupported' };
  }
  return { ok: false, reason: 'tooLong' };
}

/** The recipe an image carries, or undefined. Never throws. */
export function readRecipe(bytes: Uint8Array): Recipe | undefined {
  const packet = readXmp(bytes);
  return packet === undefined ? undefined : recipeFromXmp(packet);
}
