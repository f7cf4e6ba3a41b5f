import * as vscode from 'vscode';
// On the first read (cold code) the mini build parsed the bench's 1,000-entry history in 15–85 ms in the
// extension host, zod 3 in 45–155 ms; the extension bundles it anyway for the webview protocol.
import { localDisk } from './localDisk';
import * as z from 'zod/v4-mini';
import { historyEntrySchema, type HistoryEntry } from '../core/historyEntry';

export { historyEntrySchema, type HistoryEntry } from '../core/historyEntry';

const fileSchema = z.object({ version: z.literal(1), entries: z.array(historyEntrySchema) });
const MAX_ENTRIES = 5000;

/**
 * Every generation, newest first, in one JSON file under the extension's global storage
 * (not in globalState, which is loaded eagerly at startup and synced).
 */
export class HistoryStore implements vscode.Disposable {
  private entries: HistoryEntry[] | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: vscode.Uri) {}

  private get file(): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, 'history.json');
  }

  async all(): Promise<readonly HistoryEntry[]> {
    if (!this.entries) {
      try {
        const raw = JSON.parse(new TextDecoder().decode(await this.read()));
        const parsed = fileSchema.safeParse(raw);
        this.entries = parsed.success ? parsed.data.entries : [];
      } catch {
        this.entries = [];
      }
    }
    return this.entries;
  }

  /**
   * The first read is on the way to the Image Studio's first paint. In code-server, workspace.fs took
   * 40–200 ms to read the bench's 1,000-entry file (380 KB) through the workbench, node:fs 1–3 ms.
   */
  private read(): Thenable<Uint8Array> {
    return this.file.scheme === 'file' && localDisk ? localDisk.readFile(this.file.fsPath) : vscode.workspace.fs.readFile(this.file);
  }

  async add(entry: HistoryEntry): Promise<void> {
    const entries = [entry, ...(await this.all())].slice(0, MAX_ENTRIES);
    this.entries = entries;
    this.changed.fire();
    // Writes are chained so two generations ending together never interleave their files.
    this.writing = this.writing.then(async () => {
      await vscode.workspace.fs.createDirectory(this.storage);
      await vscode.workspace.fs.writeFile(this.file, new TextEncoder().encode(JSON.stringify({ version: 1, entries: this.entries })));
    });
    await this.writing;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
