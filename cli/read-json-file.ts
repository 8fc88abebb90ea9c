import fs from 'node:fs';
import { CoursewrightError } from '../schemas/errors.js';

const capitalised = (what: string) => `${what[0]!.toUpperCase()}${what.slice(1)}`;

/**
 * The byte offset where `bytes` stop being UTF-8: the first byte of the sequence that cannot be
 * decoded. Decoding one byte at a time in streaming mode makes the strict decoder fail exactly
 * where the bad sequence becomes undecidable; the sequence started where the last complete
 * character ended. Called only after a whole-file decode failed, so its cost never touches a
 * good file.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  // ignoreBOM: a BOM then decodes to U+FEFF like any character, so "output appeared" always means
  // "a character ended here".
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let sequenceStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    try {
      if (decoder.decode(bytes.subarray(i, i + 1), { stream: true }) !== '') sequenceStart = i + 1;
    } catch {
      // A byte that cannot continue the pending sequence is itself the problem when none is pending.
      return sequenceStart === i ? i : sequenceStart;
    }
  }
  try {
    decoder.decode();
  } catch {
    return sequenceStart;
  }
  return undefined;
}

/**
 * Reads a JSON file a person wrote (an intent, an edited syllabus). It must be UTF-8; a leading
 * byte order mark, which some editors write, is accepted. Anything else is refused naming the
 * byte offset, rather than decoded into U+FFFD replacement characters the person never typed.
 */
export function readJsonFile(file: string, what: string): unknown {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CoursewrightError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT', `Cannot read ${what} file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  let text: string;
  try {
    // The decoder drops a leading BOM (ignoreBOM defaults to false).
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = invalidUtf8Offset(bytes) ?? 0;
    const byte = bytes[offset];
    throw new CoursewrightError(
      'INVALID_INPUT',
      `${capitalised(what)} file ${file} is not valid UTF-8: the bytes starting at byte offset ${offset}${byte === undefined ? '' : ` (0x${byte.toString(16).toUpperCase().padStart(2, '0')})`} are not a UTF-8 character. Save the file as UTF-8 and run the command again.`,
      { file, byteOffset: offset },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CoursewrightError('INVALID_INPUT', `${capitalised(what)} file ${file} is not valid JSON: ${(error as Error).message}. Fix the file and run the command again.`);
  }
}
