// Applies the address policy (addressPolicy.ts) to image downloads. A URL whose host is an address
// is checked before anything is sent; a host name is checked on every address it resolves to,
// inside the socket's own lookup, so the address checked is the address connected to (a second,
// different DNS answer cannot slip in between).
import { addressClass, addressRefusal, mayDownloadFrom, type AddressClass } from './addressPolicy';
import { ImageApiError } from './errors';
import type { Lookup } from './transport';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address of a host name: the system's DNS in Node (transport.node.ts); tests give their own. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface Connection {
  /** For the request: resolves and checks a host name; absent for an address, already checked. */
  lookup?: Lookup;
  /** The refusal, when the lookup refused the address (the socket reports it as a generic error). */
  refused(): ImageApiError | undefined;
}

/** `localhost` and names under it, which browsers send to this computer without asking DNS (RFC 6761). */
function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function refusal(host: string, address: string, cls: AddressClass): ImageApiError {
  return new ImageApiError({ kind: 'invalidResponse', detail: addressRefusal(host, address, cls) });
}

export class AddressGuard {
  private gateway?: Promise<ReadonlySet<AddressClass>>;

  /**
   * `gatewayHost`: the configured base URL's host, whose own address classes images may come from too.
   * Without `resolve` (a browser) only address literals are checked; a name is left to the browser.
   */
  constructor(
    private readonly gatewayHost: string,
    private readonly resolve?: Resolver,
  ) {}

  /**
   * An address literal's class. Without a resolver (a browser) a localhost name is this computer's too; with one,
   * a name is checked as resolved, inside the connection's lookup, as any other (a system resolver or search
   * domain may send `x.localhost` elsewhere).
   */
  private knownClass(host: string): AddressClass | undefined {
    return addressClass(host) ?? (!this.resolve && isLocalhostName(host) ? 'loopback' : undefined);
  }

  /** Resolved once, and only when an answer has URLs. */
  gatewayClasses(): Promise<ReadonlySet<AddressClass>> {
    this.gateway ??= (async () => {
      const literal = this.knownClass(this.gatewayHost);
      if (literal) return new Set([literal]);
      const found = this.resolve ? await this.resolve(this.gatewayHost).catch(() => [] as ResolvedAddress[]) : [];
      return new Set(found.map((a) => addressClass(a.address) ?? 'reserved'));
    })();
    return this.gateway;
  }

  /** Throws when `hostname` is an address images may not come from; else how to connect to it. */
  async check(hostname: string): Promise<Connection> {
    const allowed = await this.gatewayClasses();
    const literal = this.knownClass(hostname);
    if (literal) {
      if (!mayDownloadFrom(literal, allowed)) throw refusal(hostname, hostname.replace(/^\[(.*)\]$/, '$1'), literal);
      return { refused: () => undefined };
    }
    const resolve = this.resolve;
    if (!resolve) return { refused: () => undefined };
    let refused: ImageApiError | undefined;
    // Async on purpose: axios hands an async lookup its own callback adapter.
    const lookup: Lookup = async (host) => {
      const addresses = await resolve(host);
      // One refused address refuses the host: the socket may pick any of them.
      for (const a of addresses) {
        const cls = addressClass(a.address) ?? 'reserved';
        if (!mayDownloadFrom(cls, allowed)) {
          refused = refusal(host, a.address, cls);
          throw Object.assign(new Error(refused.userMessage), { code: 'EADDRNOTALLOWED' });
        }
      }
      if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
      return addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    };
    return { lookup, refused: () => refused };
  }
}
