import { z } from 'zod';

/**
 * Characters XML 1.0 cannot carry (its `Char` production): C0 control characters other than
 * tab, line feed and carriage return, unpaired UTF-16 surrogates, and the noncharacters U+FFFE
 * and U+FFFF. Text that holds one becomes a manifest or QTI file no XML parser accepts, so every
 * text field refuses them where text enters (intents, edits, model answers) and every XML writer
 * drops them (core/export/xml.ts). With the `u` flag a valid surrogate pair is one code point, so
 * `\p{Cs}` matches only an unpaired half.
 */
export const XML_FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/u;

const codePointLabel = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** What the character is, in the words a person fixing the text needs. */
function characterKind(char: string): string {
  const code = char.codePointAt(0)!;
  if (code === 0) return 'a NUL character';
  if (code < 0x20) return 'a control character';
  // What is left of an emoji or other character cut in half.
  if (code >= 0xd800 && code <= 0xdfff) return 'an unpaired surrogate';
  return 'a noncharacter';
}

/**
 * The first forbidden character in `text` and its position: how many characters come before it
 * (counting from 0, as JSON parsers report positions; code points, so an emoji counts once), or
 * undefined when the text is clean.
 */
export function findForbiddenCharacter(text: string): { char: string; position: number } | undefined {
  const match = XML_FORBIDDEN_CHARACTER.exec(text);
  if (!match) return undefined;
  return { char: match[0], position: [...text.slice(0, match.index)].length };
}

/** The message a refused text field carries; the field's path is prefixed where the issue is reported. */
export function forbiddenCharacterMessage(found: { char: string; position: number }): string {
  return `contains ${characterKind(found.char)} (${codePointLabel(found.char)}) at position ${found.position}; remove it`;
}

/**
 * A string field for human-readable text. It refuses the characters XML cannot carry, naming the
 * character and where it is, before any trimming so the position matches what was written.
 * Chain `.trim()`, `.min()`, `.max()` as on `z.string()`.
 */
export const textField = () =>
  z.string().superRefine((value, ctx) => {
    const found = findForbiddenCharacter(value);
    if (found) ctx.addIssue({ code: 'custom', message: forbiddenCharacterMessage(found), input: value });
  });
