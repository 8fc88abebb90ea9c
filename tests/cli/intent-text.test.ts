import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

/**
 * What the CLI accepts as text, from the outside: intent and syllabus files holding characters
 * XML cannot carry are refused naming the field, a byte order mark is fine, bytes that are not
 * UTF-8 are refused naming where, and real-world text passes untouched.
 */

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

beforeEach(() => {
  dir = tempDataDir('cli-text');
});

const utf8 = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2), 'utf8');

function writeBytes(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

async function expectNoCourses() {
  const list = await cw('course', 'list', '--json');
  expect(list.code, list.stderr).toBe(0);
  expect(list.json()).toEqual([]);
}

describe('course create --intent: characters XML cannot carry', () => {
  it('refuses a bell character (U+0007) in the title with exit 3, naming the field, the character and its position', async () => {
    const file = writeJson(dir, 'intent.json', { ...sampleIntent, title: 'Intro\u0007 to charts' });
    const human = await cw('course', 'create', '--intent', file);
    expect(human.code).toBe(3);
    expect(human.stderr).toContain('Title contains a control character (U+0007) at position 5; remove it');

    const json = await cw('course', 'create', '--intent', file, '--json');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stderr).error.code).toBe('INVALID_INPUT');
    await expectNoCourses();
  });

  it.each([
    ['NUL', '\u0000', 'a NUL character (U+0000)'],
    ['U+FFFF', '\uFFFF', 'a noncharacter (U+FFFF)'],
    ['an unpaired surrogate', '\uD83D', 'an unpaired surrogate (U+D83D)'],
  ])('refuses %s in a constraint, naming it as the form does (Constraint 2)', async (_label, char, described) => {
    const file = writeJson(dir, 'intent.json', { ...sampleIntent, constraints: ['fine', `broken ${char} here`] });
    const run = await cw('course', 'create', '--intent', file);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Constraint 2 contains ${described} at position 7; remove it`);
    await expectNoCourses();
  });

  it('accepts tabs, line breaks, emoji, Arabic, Japanese and <&>"\' and stores them exactly', async () => {
    const intent = {
      ...sampleIntent,
      title: 'Daten & <Visualisierung> "Kurs" l\'été 📊 تصور البيانات データ',
      audience: 'Analysts\twho use spreadsheets 👩🏽‍💻',
      teachingStyle: 'hands-on\nshort explanations\r\nthen exercises — مرحبا こんにちは',
      notes: 'Line one\n\tindented <b>not bold</b> & more',
    };
    const run = await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', intent), '--json');
    expect(run.code, run.stderr).toBe(0);
    const stored = run.json().intent;
    expect(stored.title).toBe(intent.title);
    expect(stored.audience).toBe(intent.audience);
    expect(stored.teachingStyle).toBe(intent.teachingStyle);
    expect(stored.notes).toBe(intent.notes);
  });
});

describe('course create --intent: file encoding', () => {
  it('accepts a UTF-8 file that starts with a byte order mark', async () => {
    const intent = { ...sampleIntent, title: 'Visualisierung für Einsteiger データ' };
    const file = writeBytes('intent-bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(intent)]));
    const run = await cw('course', 'create', '--intent', file, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(run.json().title).toBe(intent.title);
  });

  it.each([
    ['a lead byte followed by a byte that cannot continue it', (bytes: Buffer, at: number) => (bytes[at + 1] = 0x28)],
    ['a byte that is never UTF-8 (0xFF)', (bytes: Buffer, at: number) => (bytes[at] = 0xff)],
  ])('refuses %s with exit 3, naming the byte offset', async (_label, corrupt) => {
    const bytes = utf8({ ...sampleIntent, title: 'Visualisation pour débutants' });
    const at = bytes.indexOf(0xc3); // the first byte of "é"
    corrupt(bytes, at);
    const file = writeBytes('intent-latin1.json', bytes);
    const run = await cw('course', 'create', '--intent', file);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('is not valid UTF-8');
    expect(run.stderr).toContain(`byte offset ${at} `);
    await expectNoCourses();
  });
});

describe('syllabus edit --file: characters XML cannot carry', () => {
  it('refuses a control character in a lesson title, naming its path, and keeps the edit that is clean', async () => {
    const created = await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json');
    expect(created.code, created.stderr).toBe(0);
    const generated = await cw('syllabus', 'generate', created.json().id, '--json');
    expect(generated.code, generated.stderr).toBe(0);
    const draft = generated.json();

    const broken = structuredClone(draft.syllabus);
    broken.modules[0].lessons[0].title = 'Getting\u001B set up';
    const refused = await cw('syllabus', 'edit', draft.id, '--file', writeJson(dir, 'broken.json', broken));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Module 1, lesson 1, title contains a control character (U+001B) at position 7; remove it');

    const clean = structuredClone(draft.syllabus);
    clean.modules[0].lessons[0].title = 'Getting\tset up — 準備 & <tools>';
    const saved = await cw('syllabus', 'edit', draft.id, '--file', writeJson(dir, 'clean.json', clean), '--json');
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.json().syllabus.modules[0].lessons[0].title).toBe('Getting\tset up — 準備 & <tools>');
  });
});
