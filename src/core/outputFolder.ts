// Validation of the `gptImage.outputFolder` setting: a relative folder inside the workspace
// folder, with names every OS accepts, so a workspace shared across OSes stays usable.
export { isInside } from './posixPath';

export type OutputFolderCheck = { ok: true; segments: string[] } | { ok: false; message: string };

const SETTING = 'gptImage.outputFolder';
const EXAMPLE = 'e.g. "images" or "docs/images"';
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const ILLEGAL = /[<>:"|?*\p{Cc}]/u;

function fail(value: string, problem: string, fix: string): OutputFolderCheck {
  return { ok: false, message: `The setting ${SETTING} (${JSON.stringify(value)}) ${problem}. ${fix}` };
}

/**
 * Splits the setting into folder names below the workspace folder. Both '/' and
 * '\' separate names; empty and '.' names are skipped and '..' is allowed while
 * it stays inside. An empty setting means the workspace folder itself.
 */
export function checkOutputFolder(setting: string): OutputFolderCheck {
  const value = setting.trim();
  const relative = `Use a path relative to the workspace folder, ${EXAMPLE}.`;
  if (/^[\\/]{2}/.test(value)) return fail(setting, 'is a network (UNC) path', relative);
  if (/^[\\/]/.test(value)) return fail(setting, 'is an absolute path', relative);
  if (/^[A-Za-z]:/.test(value)) return fail(setting, 'starts with a drive letter', relative);
  if (/^~(?:[\\/]|$)/.test(value)) return fail(setting, 'starts with "~", which is not expanded to the home folder', relative);

  const segments: string[] = [];
  for (const name of value.split(/[\\/]/)) {
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (segments.length === 0) return fail(setting, 'leads outside the workspace folder with ".."', relative);
      segments.pop();
      continue;
    }
    const char = ILLEGAL.exec(name)?.[0];
    if (char !== undefined) {
      const shown = /\p{Cc}/u.test(char) ? 'a control character' : `"${char}"`;
      return fail(setting, `contains ${shown}, which Windows does not allow in file names`, `Remove it from "${name}".`);
    }
    if (WINDOWS_RESERVED.test(name)) {
      return fail(setting, `uses "${name}", a name Windows reserves for devices`, 'Choose another folder name.');
    }
    if (/[ .]$/.test(name)) {
      return fail(
        setting,
        `has a folder name ending in a space or dot ("${name}"), which Windows drops`,
        'Remove the trailing space or dot.',
      );
    }
    if (name.length > 255) return fail(setting, 'has a folder name longer than 255 characters', 'Use a shorter name.');
    segments.push(name);
  }
  return { ok: true, segments };
}
