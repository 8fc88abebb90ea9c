import { XML_FORBIDDEN_CHARACTER } from '../../schemas/text.js';

/**
 * Escaping for the XML of LMS packages (SCORM manifests, Common Cartridge manifests, QTI
 * assessments).
 *
 * Text fields refuse characters XML 1.0 forbids where text enters (schemas/text.ts), but a
 * package frozen before that rule still holds whatever was written then, and a package is never
 * changed. So the writers themselves cannot emit those characters: every value they write goes
 * through `xmlText` or `xmlAttr`, which drop them. xml-well-formed.ts then parses each XML file
 * before an export reports success.
 */

const forbiddenCharacters = new RegExp(XML_FORBIDDEN_CHARACTER.source, 'gu');

const textEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;' };
// Parsers turn a raw tab, line feed or carriage return inside an attribute value into a space;
// written as references they survive, so a title reads back exactly as it was written.
const attributeEntities: Record<string, string> = { ...textEntities, '\t': '&#9;', '\n': '&#10;' };

/**
 * Characters that may have to be dropped, as the body of one character class: every surrogate,
 * paired or not (a class cannot tell a pair from a lone half). The quick tests below use it;
 * text it matches is then cleaned precisely, so an emoji costs a second look and nothing more.
 */
export const MAYBE_FORBIDDEN_XML_CLASS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uD800-\\uDFFF\\uFFFE\\uFFFF';

// Most text needs nothing done; one test first skips building a new string for it.
const textNeedsWork = new RegExp(`[&<>"'\\r${MAYBE_FORBIDDEN_XML_CLASS}]`);
const attributeNeedsWork = new RegExp(`[&<>"'\\t\\n\\r${MAYBE_FORBIDDEN_XML_CLASS}]`);

/** Removes every character XML 1.0 cannot carry; everything else (tabs, newlines, any script, emoji) stays. */
export const withoutForbiddenXmlCharacters = (text: string): string => text.replace(forbiddenCharacters, '');

/** Text for element content: markup escaped, forbidden characters dropped, a carriage return kept as a reference. */
export function xmlText(value: string | number): string {
  const text = String(value);
  if (!textNeedsWork.test(text)) return text;
  return withoutForbiddenXmlCharacters(text).replace(/[&<>"'\r]/g, (c) => textEntities[c]!);
}

/** Text for an attribute value in double quotes: as `xmlText`, and tab and line breaks kept as references. */
export function xmlAttr(value: string | number): string {
  const text = String(value);
  if (!attributeNeedsWork.test(text)) return text;
  return withoutForbiddenXmlCharacters(text).replace(/[&<>"'\t\n\r]/g, (c) => attributeEntities[c]!);
}
