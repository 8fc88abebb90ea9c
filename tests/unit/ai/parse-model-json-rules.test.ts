import { describe, expect, it } from 'vitest';
import { parseModelJson, truncatedAnswerError } from '../../../core/ai/parse-model-json.js';

/** The whole sentence a cut-off answer earns, so a change to any part of it is noticed. */
const cutOff = (why: string) =>
  `the answer was cut off before its JSON ended (${why}), probably at the model's output length limit, so none of it was kept. ` +
  'Send the complete JSON object again from its first brace to its last; keep every module, lesson and question that was asked for, and use fewer words per field if space is short';

describe('the sentence a cut-off answer sends back to the model', () => {
  it('names why the answer was judged cut off and asks for the whole object again', () => {
    expect(truncatedAnswerError('the model said so')).toBe(cutOff('the model said so'));
  });

  it('counts the brackets still open, in the singular and the plural', () => {
    expect(parseModelJson('{"a": 1')).toEqual({ ok: false, error: cutOff('1 bracket still open'), truncated: true });
    expect(parseModelJson('{"a": {"b": 1')).toEqual({ ok: false, error: cutOff('2 brackets still open'), truncated: true });
    expect(parseModelJson('{"a": [{"b": [1')).toEqual({ ok: false, error: cutOff('4 brackets still open'), truncated: true });
  });

  it('says when the answer stops inside a string, and not when a string was closed', () => {
    expect(parseModelJson('{"a": "Sel')).toEqual({ ok: false, error: cutOff('it stops inside a string with 1 bracket still open'), truncated: true });
    expect(parseModelJson("{'a': 'Sel")).toEqual({ ok: false, error: cutOff('it stops inside a string with 1 bracket still open'), truncated: true });
    // A single-quoted string closed at the very end of the text is closed, not cut mid-string.
    expect(parseModelJson("{'a': 'x'")).toEqual({ ok: false, error: cutOff('1 bracket still open'), truncated: true });
  });
});

describe('which brackets count when deciding whether the object ended', () => {
  it.each([
    ['a space', ' '],
    ['a newline', '\n'],
    ['a carriage return', '\r'],
    ['a tab', '\t'],
  ])('%s between a single-quoted string and the separator after it still ends the string', (_label, space) => {
    expect(parseModelJson(`{'a{'${space}: 'x'${space}}`)).toEqual({ ok: true, value: { 'a{': 'x' }, repaired: true });
  });

  it.each([
    ['a space', ' '],
    ['a newline', '\n'],
    ['a carriage return', '\r'],
    ['a tab', '\t'],
  ])('%s between a separator and a single quote still opens a string', (_label, space) => {
    expect(parseModelJson(`{"a":${space}'{', "b": 1}`)).toEqual({ ok: true, value: { a: '{', b: 1 }, repaired: true });
  });

  it.each([
    ['after an opening brace (a key)', "{'k{': 1}", { 'k{': 1 }],
    ['after an opening square bracket (a list item)', "{\"a\": ['{']}", { a: ['{'] }],
    ['after a colon (a value)', "{\"a\": '{', \"b\": 1}", { a: '{', b: 1 }],
    ['after a comma (the next key)', "{\"a\": 1, 'b{': 2}", { a: 1, 'b{': 2 }],
  ])('a single-quoted string opens %s, so the brackets in it do not count', (_label, raw, value) => {
    expect(parseModelJson(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it.each([
    ['a comma', "{\"a\": 'x{', \"b\": 1}", { a: 'x{', b: 1 }],
    ['a colon', "{'k{': 1}", { 'k{': 1 }],
    ['a closing square bracket', "{\"a\": ['x{']}", { a: ['x{'] }],
  ])('a single-quoted string ends at a quote followed by %s', (_label, raw, value) => {
    expect(parseModelJson(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it('a single-quoted string ends at a quote followed by a closing brace, so the object is not taken for cut off', () => {
    expect(parseModelJson("{\"a\": 'x{'}")).not.toMatchObject({ truncated: true });
  });

  it('a single quote that is an apostrophe is neither the start nor the end of a string', () => {
    // "Analyst's" opens no string (a letter comes before it), and "it's" does not close one.
    expect(parseModelJson('{"a": 1, "b": Analyst\'s {x}')).toEqual({ ok: false, error: cutOff('1 bracket still open'), truncated: true });
    expect(parseModelJson("{'a': 'it's {x', 'b': 2}")).toMatchObject({ ok: true, value: { b: 2 } });
  });

  it('an escaped quote does not end its string, and an escaped backslash does not escape the quote after it', () => {
    expect(parseModelJson('{"a": "say \\"}\\" loudly", "b": 1}')).toEqual({ ok: true, value: { a: 'say "}" loudly', b: 1 }, repaired: false });
    expect(parseModelJson('{"a": "C:\\\\", "b": {"c": 1}}')).toEqual({ ok: true, value: { a: 'C:\\', b: { c: 1 } }, repaired: false });
    expect(parseModelJson('{"": 1}')).toEqual({ ok: true, value: { '': 1 }, repaired: false });
  });

  it('a slash or a star on its own is not a comment, so the object is not taken for cut off', () => {
    expect(parseModelJson('{"ratio": 1/2, "b": {"c": 1}}')).not.toMatchObject({ truncated: true });
    expect(parseModelJson('{"area": 2*3, "b": {"c": 1}}')).not.toMatchObject({ truncated: true });
  });

  it('an unescaped double quote ends its string as in JSON, so a brace after it counts', () => {
    expect(parseModelJson('{"a": "x" {"b": 1}')).toEqual({ ok: false, error: cutOff('1 bracket still open'), truncated: true });
  });

  it('a square bracket opens and closes like a brace', () => {
    expect(parseModelJson('{"a": [1, [2')).toEqual({ ok: false, error: cutOff('3 brackets still open'), truncated: true });
    expect(parseModelJson('{"a": [1, [2]]}')).toEqual({ ok: true, value: { a: [1, [2]] }, repaired: false });
  });

  it('the object ends at its own closing brace: what follows is not part of it', () => {
    expect(parseModelJson('{"a": 1} {"b": 2}')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
    expect(parseModelJson('{"a": {"b": 1}} and {"c": 2')).toEqual({ ok: true, value: { a: { b: 1 } }, repaired: true });
  });

  it('a brace inside a line comment does not count, and the comment ends at the line break', () => {
    expect(parseModelJson('{"a": 1, // {\n"b": 2}')).toEqual({ ok: true, value: { a: 1, b: 2 }, repaired: true });
    expect(parseModelJson('{"a": 1, // }\n"b": 2}')).toEqual({ ok: true, value: { a: 1, b: 2 }, repaired: true });
  });

  it('a brace inside a block comment does not count, and the comment ends at its own */', () => {
    expect(parseModelJson('{"a": 1, /* { */ "b": 2}')).toEqual({ ok: true, value: { a: 1, b: 2 }, repaired: true });
    expect(parseModelJson('{"a": 1 /* one *//* two */}')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
    // "/*/" opens a comment; it does not close one, so the brace after it is still commented out.
    expect(parseModelJson('{"a": 1 /*/ { */}')).not.toMatchObject({ truncated: true });
  });

  it('a comment the text never closes is a cut-off answer', () => {
    expect(parseModelJson('{"a": 1 /* the lessons follow')).toEqual({ ok: false, error: cutOff('1 bracket still open'), truncated: true });
    expect(parseModelJson('{"a": 1, // the lessons follow')).toEqual({ ok: false, error: cutOff('1 bracket still open'), truncated: true });
  });
});

describe('where the object is looked for', () => {
  it('takes the object in the fence over a brace in the prose before it, whatever the fence is labelled', () => {
    expect(parseModelJson('Use {braces}:\n```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
    expect(parseModelJson('Use {braces}:\n```JSON\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
    expect(parseModelJson('Use {braces}:\n```\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
  });

  it('finds the fenced object with no line break, or with spaces and blank lines, before it', () => {
    expect(parseModelJson('Use {braces}: ```json{"a": 1}```')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
    expect(parseModelJson('Use {braces}:\n```json   \n\n  {"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
  });

  it('skips a fence in another language: a SQL sample is not the answer', () => {
    expect(parseModelJson('Use {x}\n```sql\n{y}\n```\n```json\n{"a": 1}\n```')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
  });

  it('without a fence, takes the first object in the text', () => {
    expect(parseModelJson('The course: {"a": 1}')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
  });
});

describe('what counts as repaired', () => {
  it('clean JSON with only white space around it is taken as it is', () => {
    expect(parseModelJson('  \n{"a": 1}\n\t ')).toEqual({ ok: true, value: { a: 1 }, repaired: false });
  });

  it('clean JSON with prose around it is marked repaired', () => {
    expect(parseModelJson('ok {"a": 1}')).toEqual({ ok: true, value: { a: 1 }, repaired: true });
  });
});

describe('what is refused after repair', () => {
  it('refuses an answer the repair turns into a list instead of an object', () => {
    expect(parseModelJson('{\n[1]}')).toEqual({ ok: false, error: 'the model output is JSON but not an object', truncated: false });
  });

  it('says why an answer could not be repaired', () => {
    expect(parseModelJson('{{}}')).toEqual({
      ok: false,
      error: 'the model output is not valid JSON and could not be repaired: Unexpected character "{" at position 1',
      truncated: false,
    });
  });
});
