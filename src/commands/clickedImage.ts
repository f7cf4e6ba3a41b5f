// The one image a command on an image acts on: the Explorer's or the image tab's file; with neither
// (a keybinding, the palette), the active tab when it is an image, else an open dialog.
import * as vscode from 'vscode';

export const IMAGE_EXTENSION = /\.(png|jpe?g|webp)$/i;

export async function clickedImage(clicked: unknown, dialogTitle: string): Promise<vscode.Uri | undefined> {
  if (clicked instanceof vscode.Uri) return clicked;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if ((tab instanceof vscode.TabInputCustom || tab instanceof vscode.TabInputText) && IMAGE_EXTENSION.test(tab.uri.path)) return tab.uri;
  const chosen = await vscode.window.showOpenDialog({
    title: dialogTitle,
    filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
  });
  return chosen?.[0];
}
