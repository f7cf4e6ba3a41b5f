// Imported before any module that builds a zod schema: zod decides, as each object schema is built, whether
// to compile it with `new Function`, and that probe breaks the CSP (and is reported as a violation).
import * as z from 'zod/v4-mini';

z.config({ jitless: true });
