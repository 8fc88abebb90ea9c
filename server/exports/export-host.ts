import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ExportHost } from '../../core/export/index.js';
import { projectRoot } from '../project-root.js';
import type { ExportAssets } from '../../core/export/types.js';
import { sortedForZip, type ZipWriter } from '../../core/export/zip.js';

/**
 * What core's exporters borrow from the hosted server: the same fonts and official schema files
 * the studio embeds, and a zip writer with the same byte-for-byte rules (see core/export/zip.ts).
 * The server is its own deployable and may not import the studio's host/, so it loads them here;
 * a package exported by the server is byte-identical to the studio's export of the same package.
 */


const fontFiles = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  fallbacks: [
    { name: 'NotoSansJP', file: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf' },
    { name: 'NotoSansArabic', file: '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf' },
  ],
};

function filesUnder(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name === 'README.md') continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full);
  }
  return files;
}

let assets: ExportAssets | undefined;

function exportAssets(): ExportAssets {
  if (assets) return assets;
  const root = projectRoot();
  const require = createRequire(path.join(root, 'package.json'));
  const font = (file: string) => fs.readFileSync(require.resolve(file));
  const standards = path.join(root, 'resources', 'standards');
  assets = {
    fonts: { regular: font(fontFiles.regular), bold: font(fontFiles.bold), fallbacks: fontFiles.fallbacks.map((f) => ({ name: f.name, bytes: font(f.file) })) },
    schemaFiles: { scorm12: filesUnder(path.join(standards, 'scorm12')), scorm2004: filesUnder(path.join(standards, 'scorm2004')) },
  };
  return assets;
}

/** Streamed page text in pieces of about 256 KB, so zlib's per-write cost stays small. */
function* batched(chunks: Iterable<string>): Generator<Buffer> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= 256 * 1024) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      length = 0;
    }
  }
  if (pending.length) yield Buffer.from(pending.join(''), 'utf8');
}

/** yazl on Node's zlib; entry times shifted so the DOS fields read as UTC in every time zone. */
const writeZip: ZipWriter = async (files, { modified }) => {
  const { default: yazl } = await import('yazl');
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    const utcAsLocal = new Date(modified.getTime() + modified.getTimezoneOffset() * 60_000);
    for (const file of sortedForZip(files)) {
      const options = { mtime: utcAsLocal, mode: 0o100644, compressionLevel: 6, forceDosTimestamp: true };
      if (typeof file.data === 'string') zip.addBuffer(Buffer.from(file.data, 'utf8'), file.path, options);
      else if (file.data instanceof Uint8Array) zip.addBuffer(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength), file.path, options);
      else zip.addReadStream(Readable.from(batched(file.data.chunks())), file.path, options);
    }
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
};

export function serverExportHost(): ExportHost {
  return { assets: exportAssets(), zip: writeZip };
}
