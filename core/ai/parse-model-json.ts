import { jsonrepair } from 'jsonrepair';

export type ParsedModelJson = { ok: true; value: unknown; repaired: boolean } | { ok: false; error: string };

/** The JSON-looking part of a model's answer: inside a code fence if there is one, else from the first brace. */
function extractJsonText(raw: string): string | undefined {
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)(?:```|$)/.exec(raw);
  const body = fence?.[1]?.includes('{') ? fence[1] : raw;
  const start = body.indexOf('{');
  if (start === -1) return undefined;
  const end = body.lastIndexOf('}');
  // A truncated answer has no closing brace after the opening one: keep the tail for repair.
  return end > start ? body.slice(start, end + 1) : body.slice(start);
}

/**
 * Tolerant parsing of model text: code fences, prose around the JSON, trailing commas, comments,
 * single quotes and truncation are repaired by jsonrepair. Only a top-level object is accepted.
 */
export function parseModelJson(raw: string): ParsedModelJson {
  const text = extractJsonText(raw);
  if (text === undefined) return { ok: false, error: 'no JSON object found in the model output' };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the model output is JSON but not an object' };
    return { ok: true, value, repaired: text !== raw.trim() };
  } catch {
    // fall through to repair
  }
  try {
    const value: unknown = JSON.parse(jsonrepair(text));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the model output is JSON but not an object' };
    return { ok: true, value, repaired: true };
  } catch (error) {
    return { ok: false, error: `the model output is not valid JSON and could not be repaired: ${(error as Error).message}` };
  }
}
