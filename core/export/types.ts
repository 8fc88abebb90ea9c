import type { ExportFormat, ExportOptions, PackageDocument } from '../../schemas/package.js';

/** What an exporter reads: a stored package's identity and its frozen document. */
export interface ExportablePackage {
  id: string;
  courseId: string;
  version: number;
  contentHash: string;
  /** The package's build time: the only timestamp any export carries, so re-exports are byte-identical. */
  createdAt: string;
  document: PackageDocument;
  /** Bytes of the document's canonical JSON, as measured when the package was built; measured again when absent. */
  sizeBytes?: number;
}

/**
 * Files an exporter embeds that the host loads from `resources/` (core never reads the disk):
 * fonts for the PDF, and the official schema files SCORM packages carry at their root.
 */
export interface ExportAssets {
  fonts: {
    /** A Latin/Greek/Cyrillic text face, regular and bold. */
    regular: Uint8Array;
    bold: Uint8Array;
    /** Faces for scripts the Latin face lacks, tried in order for each run of text. */
    fallbacks: Array<{ name: string; bytes: Uint8Array }>;
  };
  /** Official schema files by standard, keyed by file name (for example `imscp_rootv1p1p2.xsd`). */
  schemaFiles: { scorm12: Record<string, Uint8Array>; scorm2004: Record<string, Uint8Array> };
}

export interface ExportProgress {
  phase: string;
  done: number;
  total: number;
}

export interface ExportRequest {
  format: ExportFormat;
  options?: Partial<ExportOptions>;
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
}
