import * as vscode from 'vscode';
import { z } from 'zod';

export const historyEntrySchema = z.object({
  id: z.string(),
  time: z.number(),
  prompt: z.string(),
  model: z.string(),
  size: z.string().optional(),
  quality: z.string().optional(),
  format: z.string().optional(),
  n: z.number().optional(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  error: z.string().optional(),
  durationMs: z.number().optional(),
  usage: z.record(z.unknown()).optional(),
  files: z.array(z.object({ uri: z.string(), width: z.number(), height: z.number(), format: z.string() })),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

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
        const raw = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(this.file)));
        const parsed = fileSchema.safeParse(raw);
        this.entries = parsed.success ? parsed.data.entries : [];
      } catch {
        this.entries = [];
      }
    }
    return this.entries;
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
