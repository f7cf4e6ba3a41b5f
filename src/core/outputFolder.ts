// The one lexical check for every folder images are saved to (`gptImage.outputFolder`, a command's or
// the chat tool's folder, a `markdown.copyFiles.destination` rule): a relative folder inside the
// workspace folder, with names every OS accepts, so a workspace shared across OSes stays usable.
// The real-path check (symbolic links) follows in src/workspace/targets.ts.
export { isInside } from './posixPath';

export type OutputFolderCheck = { ok: true; segments: string[] } | { ok: false; message: string };

export const OUTPUT_FOLDER_SETTING = 'gptImage.outputFolder';
const EXAMPLE = 'e.g. "images" or "docs/images"';
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
  const fail = (problem: string, fix: string): OutputFolderCheck => ({
    ok: false,
    message: `The setting ${setting} (${shown}) ${problem}. ${fix}`,
  });
  const value = path.trim();
  const relative = `Use a path relative to the workspace folder, ${EXAMPLE}.`;
  if (/^[\\/]{2}/.test(value)) return fail('is a network (UNC) path', relative);
  if (/^[\\/]/.test(value)) return fail('is an absolute path', relative);
  if (/^[A-Za-z]:/.test(value)) return fail('starts with a drive letter', relative);
  if (/^~(?:[\\/]|$)/.test(value)) return fail('starts with "~", which is not expanded to the home folder', relative);

  const segments: string[] = [];
  for (const name of value.split(/[\\/]/)) {
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (segments.length === 0) return fail('leads outside the workspace folder with ".."', relative);
      segments.pop();
      continue;
    }
    const char = ILLEGAL.exec(name)?.[0];
    if (char !== undefined) {
      const what = /\p{Cc}/u.test(char) ? 'a control character' : `"${char}"`;
      return fail(`contains ${what}, which Windows does not allow in file names`, `Remove it from "${name}".`);
    }
    if (WINDOWS_RESERVED.test(name)) return fail(`uses "${name}", a name Windows reserves for devices`, 'Choose another folder name.');
    if (/[ .]$/.test(name)) {
      return fail(`has a folder name ending in a space or dot ("${name}"), which Windows drops`, 'Remove the trailing space or dot.');
    }
    if (name.length > 255) return fail('has a folder name longer than 255 characters', 'Use a shorter name.');
    segments.push(name);
  }
  return { ok: true, segments };
}
