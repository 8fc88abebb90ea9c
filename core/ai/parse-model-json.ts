import { jsonrepair } from 'jsonrepair';

export type ParsedModelJson =
  | { ok: true; value: unknown; repaired: boolean }
  /** `truncated`: the answer stopped before its JSON object ended; it is never repaired. */
  | { ok: false; error: string; truncated: boolean };

/**
 * What the model is told when its answer stopped mid-way. Closing the brackets ourselves would
 * keep half a course and call it whole, so the model must send the whole answer again.
 */
export function truncatedAnswerError(why: string): string {
  return (
    `the answer was cut off before its JSON ended (${why}), probably at the model's output length limit, so none of it was kept. ` +
    'Send the complete JSON object again from its first brace to its last; keep every module, lesson and question that was asked for, and use fewer words per field if space is short'
  );
}

/** The object's text, or, when the text ran out before its closing brace, how it was left open. */
type ScannedObject = { complete: true; text: string } | { complete: false; openBrackets: number; inString: boolean };

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\r' || c === '\t';

// Past either end of the text, text[i] is undefined, which is not a space: that ends both walks.
function nextNonSpace(text: string, from: number): string | undefined {
  let i = from;
  while (isSpace(text[i])) i++;
  return text[i];
}

function previousNonSpace(text: string, before: number): string | undefined {
  let i = before - 1;
  while (isSpace(text[i])) i--;
  return text[i];
}

/**
 * Reads the object that opens at `start` up to its matching closing brace, the way a JSON reader
 * would: brackets inside double-quoted strings, single-quoted strings (a value or key that opens
 * after `{ [ : ,`) and comments do not count. When the text ends first, the object is incomplete
 * and says how: brackets still open, or a string never closed. Mismatched closers still close,
 * so a wrong bracket is left to the repair, not mistaken for a cut-off answer.
 */
function scanObject(text: string, start: number): ScannedObject {
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === quote) {
        // A single quote inside a single-quoted string ("it's") ends it only before a separator.
        if (quote === '"' || [',', ':', '}', ']', undefined].includes(nextNonSpace(text, i + 1))) quote = undefined;
      }
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) break;
      i = end + 1;
      continue;
    }
    if (c === '"') quote = '"';
    else if (c === "'" && ['{', '[', ':', ','].includes(previousNonSpace(text, i) ?? '')) quote = "'";
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { text: text.slice(start, i + 1), complete: true };
    }
  }
  return { complete: false, openBrackets: depth, inString: quote !== undefined };
}

/** The object the answer carries: the first one inside a code fence if there is a fence, else the first in the text. */
function extractJsonObject(raw: string): ScannedObject | undefined {
  // Only the fence's opening is used: a closing fence may sit inside a string (a lesson's code sample).
  const fence = /```(?:json|JSON)?\s*\{/.exec(raw);
  const start = fence ? fence.index + fence[0].length - 1 : raw.indexOf('{');
  return start === -1 ? undefined : scanObject(raw, start);
}

function describeCutOff(scanned: Extract<ScannedObject, { complete: false }>): string {
  const brackets = `${scanned.openBrackets} bracket${scanned.openBrackets === 1 ? '' : 's'} still open`;
  return scanned.inString ? `it stops inside a string with ${brackets}` : brackets;
}

/**
 * Tolerant parsing of model text: code fences, prose around the JSON, trailing commas, comments,
 * single quotes and unquoted keys are repaired by jsonrepair. An answer that stops before its
 * object ends is refused as truncated: repairing it would invent an ending and lose the rest.
 * Only a top-level object is accepted.
 */
export function parseModelJson(raw: string): ParsedModelJson {
  const scanned = extractJsonObject(raw);
  if (scanned === undefined) return { ok: false, error: 'no JSON object found in the model output', truncated: false };
  if (!scanned.complete) return { ok: false, error: truncatedAnswerError(describeCutOff(scanned)), truncated: true };
  const text = scanned.text;
  let value: unknown;
  let repaired: boolean;
  try {
    value = JSON.parse(text);
    repaired = text !== raw.trim();
  } catch {
    try {
      value = JSON.parse(jsonrepair(text));
      repaired = true;
    } catch (error) {
      return { ok: false, error: `the model output is not valid JSON and could not be repaired: ${(error as Error).message}`, truncated: false };
    }
  }
  // The text starts with a brace, yet the repair can still read it as a list of objects.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the model output is JSON but not an object', truncated: false };
  return { ok: true, value, repaired };
}
