// Which network addresses an image download may connect to. A gateway names the image URLs, so
// without a rule it could make the extension fetch from this machine or its private network
// (routers, cloud metadata at 169.254.169.254, intranet services). Public addresses are always
// allowed; a non-public class only when the configured gateway is itself on that class (a local
// sandbox on 127.0.0.1 keeps its loopback image URLs, a LAN gateway its private ones).
import { message, type Message } from './messages';

export type AddressClass = 'public' | 'loopback' | 'private' | 'linkLocal' | 'reserved';

type Range = readonly [prefix: bigint, bits: number, cls: AddressClass];

const v4 = (a: number, b: number, c: number, d: number) => (BigInt(a) << 24n) | (BigInt(b) << 16n) | (BigInt(c) << 8n) | BigInt(d);

const V4_RANGES: readonly Range[] = [
  [v4(0, 0, 0, 0), 8, 'loopback'], // "this host": 0.0.0.0 reaches local services on Linux
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(100, 64, 0, 0), 10, 'private'], // carrier-grade NAT
  [v4(198, 18, 0, 0), 15, 'private'], // benchmarking networks
  [v4(169, 254, 0, 0), 16, 'linkLocal'], // includes cloud metadata services
  [v4(192, 0, 0, 0), 24, 'reserved'],
  [v4(192, 0, 2, 0), 24, 'reserved'], // documentation ranges
  [v4(198, 51, 100, 0), 24, 'reserved'],
  [v4(203, 0, 113, 0), 24, 'reserved'],
  [v4(224, 0, 0, 0), 4, 'reserved'], // multicast
  [v4(240, 0, 0, 0), 4, 'reserved'], // reserved and broadcast
];

const V6_RANGES: readonly Range[] = [
  [0n, 128, 'loopback'], // ::
  [1n, 128, 'loopback'], // ::1
  [0xfc00n << 112n, 7, 'private'], // unique local
  [0xfe80n << 112n, 10, 'linkLocal'],
  [0xfec0n << 112n, 10, 'private'], // deprecated site-local
  [0xff00n << 112n, 8, 'reserved'], // multicast
  [0x0100n << 112n, 64, 'reserved'], // discard prefix
  [0x20010db8n << 96n, 32, 'reserved'], // documentation
];

function inRanges(value: bigint, width: number, ranges: readonly Range[]): AddressClass {
  for (const [prefix, bits, cls] of ranges) {
    const shift = BigInt(width - bits);
    if (value >> shift === prefix >> shift) return cls;
  }
  return 'public';
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  const [a, b, c, d] = parts.map(Number) as [number, number, number, number];
  return v4(a, b, c, d);
}

function parseV6(text: string): bigint | undefined {
  let s = text.replace(/%.*$/, ''); // a zone id ("fe80::1%eth0") names the interface, not the address
  let tail: bigint[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    // An IPv4 address in the last 32 bits ("::ffff:10.0.0.1").
    const embedded = parseV4(s.slice(lastColon + 1));
    if (embedded === undefined) return undefined;
    tail = [embedded >> 16n, embedded & 0xffffn];
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const words = [...head.map((g) => BigInt(`0x${g}`)), ...Array<bigint>(8 - known).fill(0n), ...rest.map((g) => BigInt(`0x${g}`)), ...tail];
  return words.reduce((acc, w) => (acc << 16n) | w, 0n);
}

/** The class of an IP address literal (IPv6 may be bracketed), or undefined when `host` is not one. */
export function addressClass(host: string): AddressClass | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const four = parseV4(bare);
  if (four !== undefined) return inRanges(four, 32, V4_RANGES);
  const six = bare.includes(':') ? parseV6(bare) : undefined;
  if (six === undefined) return undefined;
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach the IPv4 address they carry.
  if (six >> 32n === 0xffffn || six >> 32n === 0x64ff9b0000000000000000n) return inRanges(six & 0xffffffffn, 32, V4_RANGES);
  return inRanges(six, 128, V6_RANGES);
}

/**
 * Whether an image download may connect to an address of class `cls`, given the classes the
 * configured gateway's own addresses fall in.
 */
export function mayDownloadFrom(cls: AddressClass, gatewayClasses: ReadonlySet<AddressClass>): boolean {
  return cls === 'public' || (cls !== 'reserved' && gatewayClasses.has(cls));
}

/** The refusal of an image URL whose host is (or resolves to) `address`. */
export function addressRefusal(host: string, address: string, cls: AddressClass): Message {
  return message('addressRefused', { host, address, cls });
}
