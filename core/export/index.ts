import { ExportOptions, exportFormats, type ExportFormat } from '../../schemas/package.js';
import { slugify } from '../syllabus/normalize.js';
import { assertExportableSize, checkCancelled } from './guard.js';
import { htmlSiteFiles } from './html/site.js';
import { exportCommonCartridge } from './imscc.js';
import { exportPdf } from './pdf.js';
import { scormFiles } from './scorm.js';
import { assertWellFormedXmlFiles } from './xml-well-formed.js';
import type { ExportablePackage, ExportAssets, ExportRequest } from './types.js';
import type { ZipWriter } from './zip.js';

/** What the host lends the exporters: embedded files, and a zip writer on native compression. */
export interface ExportHost {
  assets: ExportAssets;
  zip: ZipWriter;
}

export interface ExportedFile {
  bytes: Uint8Array;
  /** A suggested file name: course slug, package version and format. */
  fileName: string;
  mediaType: string;
}

/** A suggested file name from the course title, the package version and the format. */
export function exportFileName(pkg: ExportablePackage, format: ExportFormat): string {
  // Titles in other scripts leave too little ASCII for a name; the course id stands in.
  const slug = slugify(pkg.document.course.title, '');
  const base = slug.length >= 3 ? slug : pkg.courseId;
  const suffix = format === 'scorm12' ? '-scorm12' : format === 'scorm2004' ? '-scorm2004' : format === 'html' ? '-html' : '';
  return `${base}-v${pkg.version}${suffix}.${exportFormats[format].extension}`;
}

/**
 * Package → file bytes, for every format. Pure and deterministic: the same package exported twice
 * gives byte-identical files (the package's build time is the only timestamp used, entries are
 * sorted, nothing is random).
 */
export async function exportPackage(pkg: ExportablePackage, request: ExportRequest, host: ExportHost): Promise<ExportedFile> {
  const { assets, zip } = host;
  assertExportableSize(pkg);
  const options = ExportOptions.parse(request.options ?? {});
  const progress = (phase: string) => (done: number, total: number) => {
    checkCancelled(request.signal);
    request.onProgress?.({ phase, done, total });
  };
  const modified = new Date(pkg.createdAt);
  let bytes: Uint8Array;
  switch (request.format) {
    case 'pdf':
      bytes = await exportPdf(pkg, assets, { onProgress: request.onProgress, signal: request.signal });
      break;
    case 'html': {
      const files = htmlSiteFiles(pkg, progress('Writing lesson pages'));
      request.onProgress?.({ phase: 'Compressing', done: 0, total: 1 });
      bytes = await zip(files, { modified });
      break;
    }
    case 'scorm12':
    case 'scorm2004': {
      const files = scormFiles(pkg, request.format, assets.schemaFiles[request.format], options.scoMode, progress('Writing players'));
      request.onProgress?.({ phase: 'Checking the manifest', done: 0, total: 1 });
      await assertWellFormedXmlFiles(files, request.signal);
      request.onProgress?.({ phase: 'Compressing', done: 0, total: 1 });
      bytes = await zip(files, { modified });
      break;
    }
    case 'imscc':
      bytes = await exportCommonCartridge(pkg, { onProgress: request.onProgress, signal: request.signal, zip });
      break;
  }
  checkCancelled(request.signal);
  request.onProgress?.({ phase: 'Done', done: 1, total: 1 });
  return { bytes, fileName: exportFileName(pkg, request.format), mediaType: exportFormats[request.format].mediaType };
}
