import * as vscode from 'vscode';
import { getModel, isValidCustomSize, type ModelInfo, type SizeEntry } from '../core/catalog';

type SizeItem = vscode.QuickPickItem & { size?: string; extra?: true };

/** What pickSize resolves to when its extra item (Improve prompt) was picked instead of a size. */
export const EXTRA_ITEM = Symbol('extra item');

const ORIENTATION_LABEL: Record<SizeEntry['orientation'], () => string> = {
  landscape: () => vscode.l10n.t('Landscape'),
  portrait: () => vscode.l10n.t('Portrait'),
  square: () => vscode.l10n.t('Square'),
};

function itemFor(entry: SizeEntry): SizeItem {
  return { label: entry.size, description: `${entry.ratio} · ${ORIENTATION_LABEL[entry.orientation]()}`, size: entry.size };
}

/** The items of the size pick, grouped by tier with the last used size first: pure apart from l10n. */
/** Why the first size comes first: the user's last pick, the configured size, or the edited image's own size. */
export type FirstSize = 'last' | 'default' | 'source';

const FIRST_LABEL: Record<FirstSize, () => string> = {
  last: () => vscode.l10n.t('Last used'),
  default: () => vscode.l10n.t('Default'),
  source: () => vscode.l10n.t('Size of the source image'),
};

export function sizeItems(model: ModelInfo, lastUsed?: string, first: FirstSize = 'last'): SizeItem[] {
  const items: SizeItem[] = [];
  const last = model.sizes.find((s) => s.size === lastUsed);
  if (last || (lastUsed === 'auto' && model.allowsAuto)) {
    items.push({ label: FIRST_LABEL[first](), kind: vscode.QuickPickItemKind.Separator });
    items.push(last ? itemFor(last) : autoItem());
  }
  if (model.allowsAuto && lastUsed !== 'auto') items.push(autoItem());
  let group: string | undefined;
  for (const entry of model.sizes) {
    if (entry.size === last?.size) continue;
    const tier = entry.tier ?? vscode.l10n.t('Sizes');
    if (tier !== group) {
      items.push({ label: tier, kind: vscode.QuickPickItemKind.Separator });
      group = tier;
    }
    items.push(itemFor(entry));
  }
  return items;
}

function autoItem(): SizeItem {
  return { label: 'auto', description: vscode.l10n.t('The model chooses'), size: 'auto' };
}

/**
 * Asks for a size of the given model; typing `WxH` offers a custom size where the model allows one. `lastUsed`
 * comes first, under a label saying why; an `extra` item comes last, always shown, and resolves to EXTRA_ITEM.
 */
export function pickSize(modelId: string, lastUsed?: string, first?: FirstSize): Promise<string | undefined>;
export function pickSize(
  modelId: string,
  lastUsed: string | undefined,
  first: FirstSize,
  extra: vscode.QuickPickItem | undefined,
): Promise<string | typeof EXTRA_ITEM | undefined>;
export function pickSize(
  modelId: string,
  lastUsed?: string,
  first: FirstSize = 'last',
  extra?: vscode.QuickPickItem,
): Promise<string | typeof EXTRA_ITEM | undefined> {
  const model = getModel(modelId);
  const base = sizeItems(model, lastUsed, first);
  if (extra) base.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { ...extra, extra: true, alwaysShow: true });
  const qp = vscode.window.createQuickPick<SizeItem>();
  qp.title = vscode.l10n.t('GPT Image: size for {0}', model.id);
  qp.placeholder = vscode.l10n.t('Type a size (1536x1024) or a ratio (16:9) to filter');
  qp.matchOnDescription = true;
  // An image preview that finishes loading takes the focus back; the question must not vanish with it.
  qp.ignoreFocusOut = true;
  qp.items = base;
  if (model.allowsCustomSize) {
    qp.onDidChangeValue((value) => {
      const v = value.trim().toLowerCase();
      const custom = /^\d+x\d+$/.test(v) && !base.some((i) => i.size === v) && isValidCustomSize(v);
      qp.items = custom ? [{ label: v, description: vscode.l10n.t('Custom size'), size: v, alwaysShow: true }, ...base] : base;
    });
  }
  return new Promise((resolve) => {
    let picked: string | typeof EXTRA_ITEM | undefined;
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      picked = item?.extra ? EXTRA_ITEM : item?.size;
      if (picked) qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(picked);
    });
    qp.show();
  });
}
