import fs from 'node:fs';
import path from 'node:path';
import { CoursewrightError } from '../schemas/errors.js';

/** Where the studio writes exports: the data folder's `exports/`. */
export const exportsFolder = (dataDir: string) => path.join(dataDir, 'exports');

/** The full path of a finished export, accepting only a plain file name inside the exports folder. */
export function exportedFile(dataDir: string, fileName: string): string {
  const folder = exportsFolder(dataDir);
  const target = path.resolve(folder, fileName);
  if (path.dirname(target) !== folder || !fs.existsSync(target)) {
    throw new CoursewrightError('NOT_FOUND', `No export named ${fileName} in ${folder}. Export the package again.`);
  }
  return target;
}
