import { CoursewrightError } from '../../schemas/errors.js';

/** A search as the index needs it: plain words, never query syntax. */
export interface SearchTerms {
  terms: string[];
  /** The last word is still being typed: match words that start with it. */
  prefixLast: boolean;
}

const MAX_TERMS = 32;
const hasWordCharacter = /[\p{L}\p{N}]/u;

/**
 * Splits what a person typed into words. Everything is taken literally: quotes, `*`, `AND`,
 * `-`, `:` and parentheses are text to find, not operators, so no input can be a syntax error.
 * Pieces without a letter or digit (a lone `-` or `(`) can match nothing and are dropped.
 */
export function parseSearchText(text: string): SearchTerms {
  if (!text.trim()) throw new CoursewrightError('INVALID_INPUT', 'Type a word to search for; the search is empty.');
  const terms = text.trim().split(/\s+/u).filter((term) => hasWordCharacter.test(term));
  if (terms.length === 0) {
    throw new CoursewrightError('INVALID_INPUT', `"${text.trim()}" has no letters or digits to search for; type a word.`);
  }
  if (terms.length > MAX_TERMS) {
    throw new CoursewrightError('INVALID_INPUT', `A search takes at most ${MAX_TERMS} words; this one has ${terms.length}. Use fewer, more specific words.`);
  }
  return { terms, prefixLast: !/\s$/u.test(text) };
}
