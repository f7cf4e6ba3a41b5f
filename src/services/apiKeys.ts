import * as vscode from 'vscode';

/**
 * API keys in SecretStorage, one per gateway origin, so a key entered for one gateway is never
 * sent to another (changing gptImage.baseUrl asks for that gateway's own key).
 */
export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private static id(origin: string): string {
    return `gptImage.apiKey:${origin}`;
  }

  get(origin: string): Thenable<string | undefined> {
    return this.secrets.get(ApiKeys.id(origin));
  }

  store(origin: string, key: string): Thenable<void> {
    return this.secrets.store(ApiKeys.id(origin), key);
  }

  delete(origin: string): Thenable<void> {
    return this.secrets.delete(ApiKeys.id(origin));
  }

  /** Asks for a key with a masked input box that survives focus changes. */
  static async prompt(origin: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('GPT Image: API key for {0}', origin),
      prompt: vscode.l10n.t("Stored in VS Code's secret storage for this gateway only; never in settings or logs."),
      placeHolder: 'sk-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) =>
        v.trim().length === 0
          ? vscode.l10n.t('Enter the key, or press Escape to cancel.')
          : /\s/.test(v.trim())
            ? vscode.l10n.t('A key has no spaces.')
            : undefined,
    });
    return key?.trim() || undefined;
  }
}
