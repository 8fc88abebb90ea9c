import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createContentEngine } from '../../core/content/engine.js';
import { createEngine } from '../../core/engine.js';
import { openDatabase } from '../../db/open.js';
import { databaseFile } from '../../host/data-dir.js';
import { createCourseWithApprovedSyllabus, tempDataDir, approveAllContent } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

/** Arranges a course in the data folder (faster than a dozen CLI calls); `approveAll` approves every item. */
async function seedCourse(approveAll: boolean): Promise<string> {
  const opened = openDatabase(databaseFile(dir));
  try {
    const engine = createEngine({ store: opened.store });
    const content = createContentEngine({ store: opened.store });
    const { course } = await createCourseWithApprovedSyllabus(engine);
    if (approveAll) {
      await approveAllContent(content, course.id);
    }
    return course.id;
  } finally {
    opened.close();
  }
}

beforeEach(() => {
  dir = tempDataDir('cli-package');
});

describe('coursewright package and export', () => {
  it('refuses to build a package while content is missing, naming every missing piece', async () => {
    const courseId = await seedCourse(false);
    const refused = await cw('package', 'build', courseId);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/pieces are missing/);
    expect(refused.stderr).toMatch(/lesson \S+ \(.+\): no content yet/);
    expect(refused.stderr).toMatch(/quiz \S+ \(Quiz: .+\): no content yet/);
    expect(refused.stderr).toContain('Generate and approve them, then build again.');
    expect((await cw('package', 'list', '--course', courseId)).stdout).toContain('No packages yet');
  });

  it('builds, lists, shows, exports to a chosen path and to the data folder, and archives once', async () => {
    const courseId = await seedCourse(true);
    const built = await cw('package', 'build', courseId);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/^Built package v1 \(pkg_\w+\): \d+ modules, \d+ lessons/);
    const packageId = /\((pkg_\w+)\)/.exec(built.stdout)![1]!;
    const again = await cw('package', 'build', courseId, '--json');
    expect(again.json()).toMatchObject({ version: 2, sameContentAs: 1 });
    expect((await cw('package', 'build', courseId)).stdout).toContain('Same content as v2: nothing approved has changed since.');

    const list = await cw('package', 'list', '--course', courseId);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
    const show = await cw('package', 'show', packageId);
    expect(show.stdout).toMatch(/content sha256 [0-9a-f]{64}/);
    expect(show.stdout).toContain(`coursewright export ${packageId}`);
    const document = (await cw('package', 'show', packageId, '--document', '--json')).json();
    expect(document.format).toBe('coursewright.course-package');

    fs.mkdirSync(path.join(dir, 'handoff'));
    const out = path.join(dir, 'handoff', 'course-scorm.zip');
    const exported = await cw('export', packageId, '--format', 'scorm2004', '--sco', 'module', '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`Exported package v1 as scorm2004: ${out}`);
    expect(exported.stderr).toMatch(/Compressing/);
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const pdf = (await cw('export', packageId, '--format', 'pdf', '--json')).json();
    expect(pdf.path).toBe(path.join(dir, 'exports', 'practical-data-visualisation-with-python-v1.pdf'));
    expect(fs.readFileSync(pdf.path).subarray(0, 5).toString()).toBe('%PDF-');
    expect(fs.readdirSync(path.join(dir, 'exports')).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'handoff'))).toEqual(['course-scorm.zip']);

    const audit = await cw('audit', packageId, '--json');
    expect(audit.json().map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['package.built', 'package.exported']));

    expect((await cw('package', 'archive', packageId, '--reason', 'replaced')).stdout).toContain('Archived package v1');
    const twice = await cw('package', 'archive', packageId);
    expect(twice.code).toBe(5);
    expect(twice.stderr).toContain('already archived');
  }, 120_000);

  it('explains bad export requests with the right exit codes', async () => {
    const courseId = await seedCourse(true);
    const packageId = (await cw('package', 'build', courseId, '--json')).json().id as string;
    const badFormat = await cw('export', packageId, '--format', 'docx');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/Allowed choices are pdf, html, scorm12, scorm2004, imscc/);
    const missing = await cw('export', 'pkg_nothere', '--format', 'pdf');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('coursewright package list');
    const scoOnPdf = await cw('export', packageId, '--format', 'pdf', '--sco', 'module');
    expect(scoOnPdf.code).toBe(2);
    const intoMissingFolder = await cw('export', packageId, '--format', 'html', '--out', path.join(dir, 'missing', 'course.zip'));
    expect(intoMissingFolder.code).toBe(4);
    expect(intoMissingFolder.stderr).toContain('does not exist. Create it first');
  }, 120_000);
});
