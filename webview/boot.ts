// Runs before any other studio module (main.ts imports it first), since some build their text when loaded:
// zod without eval, then the studio's text in the display language, from the host's table on <main id="app">.
import './jitless';
import { parseStrings } from './l10n';
import { useStrings } from './strings';

const app = document.getElementById('app');
const { table, problem } = parseStrings(app?.dataset.strings);
useStrings(table);
if (problem) console.warn(`GPT Image Studio: the studio's translated text was not fully used (${problem}); English fills the gaps.`);
if (app) delete app.dataset.strings;
