import { CoursewrightError } from '../../schemas/errors.js';
import { checkCancelled } from './guard.js';
import { wholeData, type ExportFile } from './html/site.js';

export interface XmlWellFormednessProblem {
  line: number;
  column: number;
  reason: string;
}

type SaxesModule = typeof import('saxes');
let saxes: Promise<SaxesModule> | undefined;
// Loaded on the first export, so commands that never export do not pay for it at start-up.
const loadSaxes = () => (saxes ??= import('saxes'));

/**
 * Parses `xml` with a conforming XML 1.0 parser (namespaces on) and returns the first reason it is
 * not well-formed, or undefined when it is. Pure JavaScript, so it runs wherever core runs.
 */
export async function findXmlWellFormednessProblem(xml: string): Promise<XmlWellFormednessProblem | undefined> {
  const { SaxesParser } = await loadSaxes();
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: XmlWellFormednessProblem | undefined;
  parser.on('error', (error) => {
    // saxes reports "line:column: reason"; the first problem is the one to fix.
    problem ??= { line: parser.line, column: parser.column, reason: error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '') };
  });
  parser.write(xml).close();
  return problem;
}

/** Files given as bytes are decoded strictly: every XML file declares UTF-8. */
async function problemOf(file: ExportFile): Promise<XmlWellFormednessProblem | undefined> {
  const data = wholeData(file);
  if (typeof data === 'string') return findXmlWellFormednessProblem(data);
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { line: 1, column: 1, reason: 'the file is not valid UTF-8, the encoding it declares' };
  }
  return findXmlWellFormednessProblem(xml);
}

/**
 * Checks every `.xml` file of an export before the export reports success, and throws naming the
 * first file, line and column that is not well-formed. The error is INTERNAL: package text cannot
 * cause it (the writers escape everything, core/export/xml.ts), so it marks a writer bug, and the
 * export stops before anything is written.
 */
export async function assertWellFormedXmlFiles(files: ExportFile[], signal?: AbortSignal): Promise<void> {
  for (const file of files) {
    if (!file.path.endsWith('.xml')) continue;
    checkCancelled(signal);
    const problem = await problemOf(file);
    if (problem) {
      throw new CoursewrightError(
        'INTERNAL',
        `The export produced ${file.path}, which is not well-formed XML (line ${problem.line}, column ${problem.column}: ${problem.reason}), so no LMS could read it. Nothing was written. Please report this with the package.`,
        { file: file.path, line: problem.line, column: problem.column, reason: problem.reason },
      );
    }
  }
}
