// One XMP packet carries the recipe: standard fields where they fit (dc:description = prompt,
// xmp:CreatorTool, xmp:CreateDate) so any XMP reader shows them, and the whole recipe as JSON in the
// extension's own namespace. Reading back is deliberately narrow: only that JSON element is read, from
// a packet no larger than one this extension writes; anything else is undefined. No XML library needed.
import { embedXmp, readXmp } from './imageXmp';
import { parseRecipe, recipeSchema, type Recipe } from './recipe';

export const RECIPE_NAMESPACE = 'urn:gpt-image-studio:recipe:1';
/** A JPEG APP1 segment holds at most 65533 bytes after its length, 29 of them the XMP header: one cap for every format. */
export const MAX_PACKET_BYTES = 65_504;

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

export function recipeToXmp(recipe: Recipe): string {
  const tool = `${recipe.generator.name} ${recipe.generator.version}`;
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` xmlns:gptimage="${RECIPE_NAMESPACE}">`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(recipe.prompt)}</rdf:li></rdf:Alt></dc:description>`,
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

/** The image with the recipe embedded, pixels untouched; undefined when it cannot be (unknown or broken file, recipe too long). */
export function embedRecipe(bytes: Uint8Array, recipe: Recipe): Buffer | undefined {
  // Only what reads back is written.
  if (!recipeSchema.safeParse(recipe).success) return undefined;
  const packet = Buffer.from(recipeToXmp(recipe), 'utf8');
  if (packet.length > MAX_PACKET_BYTES) return undefined;
  return embedXmp(bytes, packet);
}

/** The recipe an image carries, or undefined. Never throws. */
export function readRecipe(bytes: Uint8Array): Recipe | undefined {
  const packet = readXmp(bytes);
  return packet === undefined ? undefined : recipeFromXmp(packet);
}
