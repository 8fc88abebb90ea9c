import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's or installation's root, found by walking up to Coursewright's package.json.
 * Modules run from their sources or from the CLI bundle in dist/, so a path relative to one
 * module would differ between the two; the root does not.
 */
export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && /"name":\s*"coursewright"/.test(fs.readFileSync(manifest, 'utf8'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find Coursewright's package.json above ${from}, so the fonts, schema files and built pages it ships cannot be found; run Coursewright from its installation or checkout.`);
    dir = parent;
  }
}
