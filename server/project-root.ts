import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's or installation's root, found by walking up to Coursewright's package.json:
 * the server runs from its sources or from the CLI bundle in dist/, so a path relative to one
 * module would differ. The studio has its own in host/; the server may not import host/.
 */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && /"name":\s*"coursewright"/.test(fs.readFileSync(manifest, 'utf8'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('The server cannot find Coursewright\'s package.json above its own files, so it cannot load the player, fonts and schema files it serves; run it from an installed Coursewright.');
    dir = parent;
  }
}
