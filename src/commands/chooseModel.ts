// GPT Image: Choose Model… — the catalog's models, then the other ids the gateway lists (kept for a day
// per gateway), and a refresh item; the pick goes to gptImage.model in the user settings.
import * as vscode from 'vscode';
import { readSettings, SECTION } from '../config/settings';
import { MODELS } from '../core/catalog';
import { isModelId } from '../core/modelCache';
import { fetchedWhen, modelList, type ModelList, type ModelListing } from '../services/modelList';
import type { Services } from '../services/services';

interface ModelItem extends vscode.QuickPickItem {
  /** The model id this item sets; undefined for the refresh item and separators. */
  model?: string;
  refresh?: true;
}

/** What the quick pick ended with: a model, or a refresh that needs a prompt (which would close the pick). */
type Choice = { model: string } | { refreshWithPrompt: true } | undefined;

/** Returns the id written to the settings, or undefined when the user left without choosing. */
export async function chooseModel(services: Services): Promise<string | undefined> {
  const list = modelList(services);
  for (;;) {
    const choice = await pick(list, services.log);
    if (!choice) return undefined;
    if ('model' in choice) return save(choice.model);
    // No key yet (or no base URL): asked for outside the pick, which then opens again with the new list.
    if (!(await list.list({ refresh: true, interactive: true }))) return undefined;
  }
}

function pick(list: ModelList, log: Services['log']): Promise<Choice> {
  const current = readSettings(vscode.window.activeTextEditor?.document.uri).settings.model;
  const apiRoot = list.currentApiRoot();
  const entry = list.cached(apiRoot);
  let listing: ModelListing | undefined = apiRoot ? { apiRoot, ids: entry?.ids ?? [], fetchedAt: entry?.fetchedAt } : undefined;
  const qp = vscode.window.createQuickPick<ModelItem>();
  qp.title = vscode.l10n.t('GPT Image: Choose Model');
  qp.placeholder = vscode.l10n.t(
    'The model for new images, saved as "gptImage.model" in your user settings. Type to filter or to enter an id.',
  );
  qp.matchOnDescription = true;

  /** With `keepActive`, the highlighted model stays highlighted; while typing, the filter picks the first match. */
  const render = (keepActive: boolean) => {
    const active = qp.activeItems[0]?.model ?? current;
    const items = buildItems(current, listing, qp.value.trim());
    qp.items = items;
    if (keepActive) qp.activeItems = items.filter((i) => i.model === active).slice(0, 1);
  };
  let done = false;
  const refresh = async (quietly: boolean) => {
    qp.busy = true;
    const fetched = await list.list(quietly ? {} : { refresh: true, interactive: true }).catch((err: unknown) => {
      log.error(`models: refresh from Choose Model failed: ${String(err)}`);
      return undefined;
    });
    // The pick may have been closed while the list was on its way.
    if (done) return;
    qp.busy = false;
    if (fetched && fetched.apiRoot === listing?.apiRoot) listing = fetched;
    render(!qp.value);
  };

  return new Promise<Choice>((resolve) => {
    const finish = (choice: Choice) => {
      if (done) return;
      done = true;
      resolve(choice);
      qp.dispose();
    };
    qp.onDidChangeValue(() => render(false));
    qp.onDidHide(() => finish(undefined));
    qp.onDidAccept(async () => {
      const item = qp.selectedItems[0];
      if (item?.model) return finish({ model: item.model });
      if (!item?.refresh) return;
      if (await list.canFetchQuietly()) return void (await refresh(false));
      finish({ refreshWithPrompt: true });
    });
    render(true);
    qp.show();
    // A missing or day-old list is fetched while the pick is open, with a stored key only.
    if (apiRoot && !list.isFresh(entry)) void refresh(true);
  });
}

function buildItems(current: string, listing: ModelListing | undefined, typed: string): ModelItem[] {
  const catalog = new Set(MODELS.map((m) => m.id));
  const listed = new Set(listing?.ids ?? []);
  const knowsList = listing?.fetchedAt !== undefined;
  const mark = (id: string) => (id === current ? '$(check) ' : '');
  const items: ModelItem[] = [refreshItem(listing)];

  items.push({ label: vscode.l10n.t('Models this extension knows'), kind: vscode.QuickPickItemKind.Separator });
  for (const m of MODELS) {
    const notes = [m.id, ...(knowsList && !listed.has(m.id) ? [vscode.l10n.t('not listed by this gateway')] : [])];
    items.push({ label: `${mark(m.id)}${m.label}`, description: notes.join(' · '), model: m.id });
  }

  const gateway = (listing?.ids ?? []).filter((id) => !catalog.has(id));
  if (listing && gateway.length) {
    items.push({
      label: vscode.l10n.t('Other models listed by {0}', new URL(listing.apiRoot).host),
      kind: vscode.QuickPickItemKind.Separator,
    });
    for (const id of gateway) items.push({ label: `${mark(id)}${id}`, model: id });
  }

  // The current id stays visible when nothing lists it (typed by hand); an id typed now can be used as it is,
  // for gateways that serve models they do not list.
  const other: ModelItem[] = [];
  if (!catalog.has(current) && !listed.has(current)) {
    other.push({ label: `${mark(current)}${current}`, description: vscode.l10n.t('current'), model: current });
  }
  if (typed && typed !== current && isModelId(typed) && !items.some((i) => i.model === typed)) {
    other.push({ label: typed, description: vscode.l10n.t('Use this model id'), model: typed, alwaysShow: true });
  }
  if (other.length) items.push({ label: vscode.l10n.t('Other'), kind: vscode.QuickPickItemKind.Separator }, ...other);
  return items;
}

function refreshItem(listing: ModelListing | undefined): ModelItem {
  const detail = !listing
    ? vscode.l10n.t('Set "gptImage.baseUrl" first.')
    : listing.fetchedAt === undefined
      ? vscode.l10n.t('Not fetched yet.')
      : vscode.l10n.t('Fetched {0}.', fetchedWhen(listing.fetchedAt));
  return { label: `$(refresh) ${vscode.l10n.t('Refresh list from the gateway')}`, detail, refresh: true, alwaysShow: true };
}

async function save(model: string): Promise<string> {
  const scope = vscode.window.activeTextEditor?.document.uri;
  await vscode.workspace.getConfiguration(SECTION, scope).update('model', model, vscode.ConfigurationTarget.Global);
  const inspected = vscode.workspace.getConfiguration(SECTION, scope).inspect<string>('model');
  const override = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  if (override !== undefined && override !== model) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'GPT Image: "gptImage.model" is set to {0} in this workspace\'s settings, which wins over your user settings. Remove it there to use {1}.',
        JSON.stringify(override),
        model,
      ),
    );
  } else {
    vscode.window.setStatusBarMessage(vscode.l10n.t('GPT Image: new images will use {0}.', model), 5000);
  }
  return model;
}
