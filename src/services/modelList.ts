// The configured gateway's model ids (GET {apiRoot}/models), kept per base URL in globalState for a day,
// so the studio and Choose Model show them without a round trip and without asking for a key.
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { normalizeBaseUrl } from '../core/baseUrl';
import { listModels } from '../core/client';
import { ImageApiError } from '../core/errors';
import { entryFor, isFresh, parseModelCache, withEntry, type ModelListEntry } from '../core/modelCache';
import { resolveGateway, storedGateway } from './gateway';
import type { Services } from './services';
import { userText } from './userText';

/** `{ [apiRoot]: { ids, fetchedAt } }`; see src/core/modelCache. */
export const MODEL_CACHE_KEY = 'gptImage.models.cache';
/** Older versions' studio kept one plain list; which gateway it came from is unknown, so it is dropped, not migrated. */
const LEGACY_KEY = 'gptImage.studio.models';

export interface ModelListing {
  /** The API root the list belongs to. */
  apiRoot: string;
  /** The listed ids; after a failed fetch, the ones fetched before (empty when there are none). */
  ids: string[];
  /** When `ids` were fetched; undefined when they never were. */
  fetchedAt?: number;
  /** Set when a fetch was tried and failed: why, in one line for the user (already shown to them). */
  error?: string;
}

export interface ListOptions {
  /** Fetch even when the cached list is fresh (the user asked for it). */
  refresh?: boolean;
  /**
   * The user started this: a missing base URL or key is asked for, and a failure is always shown.
   * Otherwise nothing is asked for (no key stored: the cache is all there is) and a failure is shown
   * once per gateway and reason in a session.
   */
  interactive?: boolean;
}

interface Flight {
  /** Cleared when an interactive caller joins, so its failure is shown even if the fetch began in the background. */
  quiet: boolean;
  promise?: Promise<ModelListing>;
}

export class ModelList {
  private readonly flights = new Map<string, Flight>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly services: Pick<Services, 'state' | 'keys' | 'log' | 'network'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The API root of gptImage.baseUrl (a user setting only), or undefined when it is unset or unusable. */
  currentApiRoot(): string | undefined {
    const url = normalizeBaseUrl(readSettings().settings.baseUrl);
    return url.ok ? url.apiRoot : undefined;
  }

  /** What is stored for this API root, however old; no network. */
  cached(apiRoot: string | undefined = this.currentApiRoot()): ModelListEntry | undefined {
    return apiRoot === undefined ? undefined : entryFor(parseModelCache(this.services.state.get<unknown>(MODEL_CACHE_KEY)), apiRoot);
  }

  /** Whether a fetch can run without asking for anything: a usable base URL with a key stored for it. */
  async canFetchQuietly(): Promise<boolean> {
    const gateway = await this.gateway(false);
    return gateway?.key !== undefined;
  }

  isFresh(entry: ModelListEntry | undefined): boolean {
    return isFresh(entry, this.now());
  }

  /**
   * The current gateway's list: the cached one while fresh, else fetched (one fetch per API root at a time,
   * shared by every caller). Undefined when there is no usable gateway (an interactive caller has been told).
   */
  async list(options: ListOptions = {}): Promise<ModelListing | undefined> {
    const gateway = await this.gateway(options.interactive === true);
    if (!gateway) return undefined;
    const entry = this.cached(gateway.apiRoot);
    const held: ModelListing = { apiRoot: gateway.apiRoot, ids: entry?.ids ?? [], fetchedAt: entry?.fetchedAt };
    if (!gateway.key || (!options.refresh && this.isFresh(entry))) return held;
    let flight = this.flights.get(gateway.apiRoot);
    if (!flight) {
      const started: Flight = { quiet: true };
      this.flights.set(gateway.apiRoot, (flight = started));
      started.promise = this.fetch(gateway.apiRoot, gateway.origin, gateway.key, started).finally(() =>
        this.flights.delete(gateway.apiRoot),
      );
    }
    if (options.interactive) flight.quiet = false;
    return flight.promise!;
  }

  /** With `interactive`, asks for what is missing; otherwise a gateway without a stored key comes back keyless. */
  private async gateway(interactive: boolean): Promise<{ apiRoot: string; origin: string; key?: string } | undefined> {
    const { settings } = readSettings();
    const { keys, log } = this.services;
    return interactive ? resolveGateway(settings, keys, log) : storedGateway(settings, keys, log);
  }

  private async fetch(apiRoot: string, origin: string, key: string, flight: Flight): Promise<ModelListing> {
    const { state, log } = this.services;
    try {
      const listed = await listModels({ baseUrl: apiRoot, apiKey: key, network: this.services.network });
      const fetchedAt = this.now();
      // Read again: another gateway's list may have been stored while this one was on its way.
      const cache = withEntry(parseModelCache(state.get<unknown>(MODEL_CACHE_KEY)), apiRoot, listed, fetchedAt);
      await state.update(MODEL_CACHE_KEY, cache);
      if (state.get(LEGACY_KEY) !== undefined) await state.update(LEGACY_KEY, undefined);
      const ids = entryFor(cache, apiRoot)?.ids ?? [];
      log.info(`models: ${listed.length} listed by ${origin}, ${ids.length} kept`);
      return { apiRoot, ids, fetchedAt };
    } catch (err) {
      const old = this.cached(apiRoot);
      const error = log.clean(describeFailure(err, apiRoot));
      log.error(`models: listing ${origin} failed: ${error}`);
      this.report(apiRoot, error, old, flight.quiet);
      return { apiRoot, ids: old?.ids ?? [], fetchedAt: old?.fetchedAt, error };
    }
  }

  /** One notification per failed fetch; a background one only the first time this gateway fails this way. */
  private report(apiRoot: string, error: string, old: ModelListEntry | undefined, quiet: boolean): void {
    const seen = `${apiRoot}\n${error}`;
    if (quiet && this.reported.has(seen)) return;
    this.reported.add(seen);
    const message = old
      ? vscode.l10n.t(
          "GPT Image: could not refresh the gateway's model list: {0} The list from {1} is kept.",
          error,
          fetchedWhen(old.fetchedAt),
        )
      : vscode.l10n.t("GPT Image: could not list the gateway's models: {0}", error);
    void vscode.window.showWarningMessage(this.services.log.clean(message));
  }
}

function describeFailure(err: unknown, apiRoot: string): string {
  if (!(err instanceof ImageApiError)) return String(err);
  // Many image-only gateways have no /models; the images endpoint may work fine, so "check the base URL" would mislead.
  if (err.status === 404) {
    return vscode.l10n.t('The gateway offers no model list (HTTP 404 from {0}/models). Type the model id instead.', apiRoot);
  }
  return userText(err.detail);
}

/** A fetch time as the user reads dates. */
export function fetchedWhen(time: number): string {
  try {
    return new Date(time).toLocaleString(vscode.env.language);
  } catch {
    return new Date(time).toISOString(); // a display language Intl does not know
  }
}

const lists = new WeakMap<object, ModelList>();

/** The one ModelList of these services, so the studio and the command share its fetches. */
export function modelList(services: Pick<Services, 'state' | 'keys' | 'log' | 'network'>): ModelList {
  let list = lists.get(services);
  if (!list) lists.set(services, (list = new ModelList(services)));
  return list;
}
