// The one lexical check for every folder images are saved to (`gptImage.outputFolder`, a command's or
// the chat tool's folder, a `markdown.copyFiles.destination` rule): a relative folder inside the
// workspace folder, with names every OS accepts, so a workspace shared across OSes stays usable.
// The real-path check (symbolic links) follows in src/workspace/targets.ts.
import { englishMessage, message, type Failure, type Message } from './messages';

export { isInside } from './posixPath';

/** A refusal carries its message (for the host to word) and its English text (for logs and the chat tool). */
export type OutputFolderCheck = { ok: true; segments: string[] } | (Failure & { message: string });

/** The refusal of a folder from `setting` whose value reads `shown`. */
export function folderRefused(setting: string, shown: string, problem: Message, fix: Message): Failure & { message: string } {
  const error = message('folderRefused', { setting, shown, problem, fix });
  return { ok: false, error, message: englishMessage(error) };
}

export const OUTPUT_FOLDER_SETTING = 'gptImage.outputFolder';
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const ILLEGAL = /[<>:"|?*\p{Cc}]/u;

/**
 * Splits the setting into folder names below the workspace folder. Both '/' and
 * '\' separate names; empty and '.' names are skipped and '..' is allowed while
 * it stays inside. An empty setting means the workspace folder itself.
 */
export function checkOutputFolder(value: string): OutputFolderCheck {
  return checkFolderPath(value, OUTPUT_FOLDER_SETTING);
}

/**
 * {@link checkOutputFolder} for a folder from any source: `setting` names that source in messages
 * and `shown` is the value as quoted there (a Markdown rule, say, rather than the folder it gave).
 */
export function checkFolderPath(path: string, setting: string, shown = JSON.stringify(path)): OutputFolderCheck {
  const fail = (problem: Message, fix: Message) => folderRefused(setting, shown, problem, fix);
  const value = path.trim();
  const relative = message('useRelativeFolder', {});
  if (/^[\\/]{2}/.test(value)) return fail(message('folderUnc', {}), relative);
  if (/^[\\/]/.test(value)) return fail(message('folderAbsolute', {}), relative);
  if (/^[A-Za-z]:/.test(value)) return fail(message('folderDrive', {}), relative);
  if (/^~(?:[\\/]|$)/.test(value)) return fail(message('folderTilde', {}), relative);

  const segments: string[] = [];
  for (const name of value.split(/[\\/]/)) {
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (segments.length === 0) return fail(message('folderClimbs', {}), relative);
      segments.pop();
      continue;
    }
    const char = ILLEGAL.exec(name)?.[0];
    if (char !== undefined) {
      const what = /\p{Cc}/u.test(char) ? message('folderControlChar', {}) : message('folderIllegalChar', { char });
      return fail(what, message('removeChar', { name }));
    }
    if (WINDOWS_RESERVED.test(name)) return fail(message('folderReserved', { name }), message('otherFolderName', {}));
    if (/[ .]$/.test(name)) return fail(message('folderTrailing', { name }), message('removeTrailing', {}));
    if (name.length > 255) return fail(message('folderTooLong', {}), message('shorterName', {}));
    segments.push(name);
  }
  return { ok: true, segments };
}
