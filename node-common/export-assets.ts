import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ExportHost } from '../core/export/index.js';
import type { ExportAssets } from '../core/export/types.js';
import { projectRoot } from './project-root.js';
import { writeZip } from './zip-writer.js';

/** Noto fonts (SIL Open Font License) from npm: Latin/Greek/Cyrillic, Japanese (with kana and CJK ideographs), Arabic. */
const fontFiles = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  fallbacks: [
    { name: 'NotoSansJP', file: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf' },
    { name: 'NotoSansArabic', file: '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf' },
  ],
};

function readAll(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name === 'README.md') continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full);
  }
  return files;
}

let cached: ExportAssets | undefined;

/** Loads the fonts and schema files exporters embed; read once per process. */
export function loadExportAssets(): ExportAssets {
  if (cached) return cached;
  // Resolved from the project root rather than this module: bundles move modules, not the project.
  const root = projectRoot();
  const require = createRequire(path.join(root, 'package.json'));
  const font = (file: string) => fs.readFileSync(require.resolve(file));
  const standards = path.join(root, 'resources', 'standards');
  cached = {
    fonts: {
      regular: font(fontFiles.regular),
      bold: font(fontFiles.bold),
      fallbacks: fontFiles.fallbacks.map((f) => ({ name: f.name, bytes: font(f.file) })),
    },
    schemaFiles: { scorm12: readAll(path.join(standards, 'scorm12')), scorm2004: readAll(path.join(standards, 'scorm2004')) },
  };
  return cached;
}

/**
 * Everything core's exporters borrow from a Node host: the studio's and the hosted server's are
 * this one, so a package exported by either is byte-identical to the other's export of it.
 */
export function exportHost(): ExportHost {
  return { assets: loadExportAssets(), zip: writeZip };
}
