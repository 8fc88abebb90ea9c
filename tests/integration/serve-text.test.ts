import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMockSyllabus } from '../../core/ai/mock-provider.js';
import { startStudioServer } from '../../cli/serve/server.js';
import { LearningIntent } from '../../schemas/intent.js';
import type { Result } from '../../schemas/api.js';
import { sampleIntent, tempDataDir } from '../helpers.js';

/**
 * The studio's create form and syllabus editor reach the engine through the contract, over real
 * HTTP here: text holding a character XML cannot carry is refused naming the field; real-world
 * text goes through untouched.
 */

let server: Awaited<ReturnType<typeof startStudioServer>>;

beforeAll(async () => {
  server = await startStudioServer({ dataDir: tempDataDir('serve-text'), rendererDir: path.join(tempDataDir('no-ui'), 'missing') });
});
afterAll(async () => server.close());

async function call(name: string, input: unknown): Promise<{ status: number; result: Result<any> }> {
  const response = await fetch(`${server.url}api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, result: (await response.json()) as Result<any> };
}

describe('text from the studio, over the served contract', () => {
  it('courses.create refuses a control character in the title with INVALID_INPUT naming the field', async () => {
    const { status, result } = await call('courses.create', { intent: { ...sampleIntent, title: 'Intro\u0007 to charts' } });
    expect(status).toBe(400);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!result.ok && result.error.message).toContain('Title contains a control character (U+0007) at position 5; remove it');
    const courses = await call('courses.list', {});
    expect(courses.result.ok && courses.result.value).toEqual([]);
  });

  it('courses.create keeps tabs, line breaks, emoji, Arabic, Japanese and <&>"\' exactly; the editor lint names a control character', async () => {
    const title = 'Daten & <Visualisierung> "Kurs" l\'été 📊 تصور البيانات データ';
    const teachingStyle = 'hands-on\nshort explanations\r\n\tthen exercises — مرحبا こんにちは';
    const { status, result } = await call('courses.create', { intent: { ...sampleIntent, title, teachingStyle } });
    expect(status, JSON.stringify(result)).toBe(200);
    expect(result.ok && result.value.intent).toMatchObject({ title, teachingStyle });
    const courseId = result.ok ? (result.value.id as string) : '';

    const syllabus = writeMockSyllabus(LearningIntent.parse(sampleIntent));
    const clean = await call('syllabus.lint', { courseId, syllabus });
    expect(clean.result).toMatchObject({ ok: true, value: { valid: true } });

    syllabus.modules[0]!.title = 'Getting\u0000 started';
    const broken = await call('syllabus.lint', { courseId, syllabus });
    expect(broken.result).toMatchObject({ ok: true, value: { valid: false } });
    expect(broken.result.ok && broken.result.value.issues).toContain('modules.0.title: contains a NUL character (U+0000) at position 7; remove it');
  });
});
