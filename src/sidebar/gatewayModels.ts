// The model ids the configured gateway offers (GET /v1/models), for the studio's model field.
// Lists are kept per gateway for a day by the ModelList service; this is the studio's side of it.
import type { Services } from '../services/services';
import { modelList } from '../services/modelList';

/** The list kept for the current gateway, however old, for the studio's first paint; no network. */
export function cachedModelIds(services: Services): string[] {
  return modelList(services).cached()?.ids ?? [];
}

/**
 * The refresh button: always fetches, asking for a base URL or key if missing (the user clicked).
 * Undefined when there is nothing new to show; a failure has been shown to the user by then.
 */
export async function fetchModelIds(services: Services): Promise<string[] | undefined> {
  const listing = await modelList(services).list({ refresh: true, interactive: true });
  return listing && !listing.error ? listing.ids : undefined;
}

/**
 * When the kept list is missing or older than a day and a key is already stored, fetches it without
 * asking for anything and hands the ids on, unless the user has moved to another gateway meanwhile.
 */
export function refreshStaleModelIds(services: Services, show: (ids: string[]) => void): void {
  const list = modelList(services);
  const apiRoot = list.currentApiRoot();
  if (!apiRoot || list.isFresh(list.cached(apiRoot))) return;
  const refresh = async () => {
    if (!(await list.canFetchQuietly())) return;
    const listing = await list.list();
    if (listing && !listing.error && listing.apiRoot === list.currentApiRoot()) show(listing.ids);
  };
  refresh().catch((err: unknown) => services.log.error(`models: background refresh failed: ${String(err)}`));
}
