import { beforeEach, describe, expect, it } from 'vitest';
import { sampleIntent, tempDataDir, writeJson } from '../helpers.js';
import { runCoursewright } from './run-cli.js';

let dir: string;
const cw = (...args: string[]) => runCoursewright([...args, '--data', dir]);

beforeEach(() => {
  dir = tempDataDir('cli-content');
});

describe('coursewright content and course lifecycle commands', () => {
  it('refuses content before approval, then generates, reviews and moves the course on', async () => {
    const courseId = (await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json')).json().id as string;
    const draft = (await cw('syllabus', 'generate', courseId, '--json')).json();
    const early = await cw('content', 'generate', courseId);
    expect(early.code).toBe(5);
    expect(early.stderr).toContain('APPROVED syllabus');

    await cw('syllabus', 'submit', draft.id);
    await cw('syllabus', 'approve', draft.id, '--by', 'Rui');
    const moduleId = draft.syllabus.modules[0].id as string;
    const generated = await cw('content', 'generate', courseId, '--module', moduleId, '--json');
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stderr).toMatch(/remaining 0/);
    const ids = generated.json().generated.map((i: { id: string }) => i.id) as string[];
    expect(ids.length).toBeGreaterThanOrEqual(draft.syllabus.modules[0].lessons.length * 2);

    const again = await cw('content', 'generate', courseId, '--module', moduleId, '--json');
    expect(again.json()).toMatchObject({ generated: [], skipped: ids.length });

    expect((await cw('content', 'submit', ...ids)).code).toBe(0);
    const unopened = await cw('content', 'approve', ...ids, '--by', 'Rui');
    expect(unopened.code).toBe(5);
    expect(unopened.stderr).toContain('not opened yet');
    for (const id of ids) expect((await cw('content', 'show', id)).code).toBe(0);
    expect((await cw('content', 'approve', ...ids, '--by', 'Rui', '--note', 'module one reviewed')).code).toBe(0);

    const status = await cw('course', 'status', courseId);
    expect(status.stdout).toContain('Status: draft');
    expect((await cw('course', 'transition', courseId, '--to', 'review', '--reason', 'syllabus approved')).code).toBe(0);
    const blocked = await cw('course', 'transition', courseId, '--to', 'ready');
    expect(blocked.code).toBe(5);
    expect(blocked.stderr).toContain('lessons-approved');
    expect(blocked.stderr).toContain('quizzes-approved');
  }, 120_000);
});

describe('a content run killed mid-batch', () => {
  it('resumes on the next run: no finished item lost, none duplicated', async () => {
    const courseId = (await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json')).json().id as string;
    const draft = (await cw('syllabus', 'generate', courseId, '--json')).json();
    await cw('syllabus', 'submit', draft.id);
    await cw('syllabus', 'approve', draft.id, '--by', 'Rui');

    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const bin = fileURLToPath(new URL('../../bin/coursewright.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'content', 'generate', courseId, '--mock-latency-ms', '150', '--concurrency', '2', '--data', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stderr.on('data', (chunk) => {
        seen += chunk;
        if (/done [4-9]/.test(seen)) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const saved = (await cw('content', 'list', courseId, '--json')).json() as Array<{ id: string; kind: string; targetId: string }>;
    expect(saved.length).toBeGreaterThanOrEqual(4);
    const resumed = await cw('content', 'generate', courseId, '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = resumed.json();
    expect(summary.skipped).toBe(saved.length);
    const all = (await cw('content', 'list', courseId, '--json')).json() as Array<{ id: string; kind: string; targetId: string }>;
    expect(all).toHaveLength(summary.planned);
    expect(new Set(all.map((i) => `${i.kind}:${i.targetId}`)).size).toBe(all.length);
    for (const item of saved) expect(all.map((i) => i.id)).toContain(item.id);
  }, 120_000);
});

describe('bulk review from the terminal', () => {
  it('shows several items in one process and approves exactly the items in review that this reviewer opened', async () => {
    const courseId = (await cw('course', 'create', '--intent', writeJson(dir, 'intent.json', sampleIntent), '--json')).json().id as string;
    const draft = (await cw('syllabus', 'generate', courseId, '--json')).json();
    await cw('syllabus', 'submit', draft.id);
    await cw('syllabus', 'approve', draft.id, '--by', 'Rui');
    const generated = await cw('content', 'generate', courseId, '--module', draft.syllabus.modules[0].id, '--json');
    const ids = generated.json().generated.map((i: { id: string }) => i.id) as string[];
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const [openedByRui1, openedByRui2, openedByAna, unopened, draftItem] = ids as [string, string, string, string, string];
    expect((await cw('content', 'submit', openedByRui1, openedByRui2, openedByAna, unopened)).code).toBe(0);

    // A list with an unknown id opens nothing, not even the ids before it.
    const typo = await cw('content', 'show', unopened, 'no-such-item', '--by', 'Rui');
    expect(typo.code).toBe(4);
    expect(typo.stdout).toBe('');

    const shown = await cw('content', 'show', openedByRui1, openedByRui2, '--by', 'Rui');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`(${openedByRui1})`);
    expect(shown.stdout).toContain(`(${openedByRui2})`);
    const shownJson = await cw('content', 'show', openedByRui1, openedByRui2, '--by', 'Rui', '--json');
    expect(shownJson.json().map((i: { id: string }) => i.id)).toEqual([openedByRui1, openedByRui2]);
    expect((await cw('content', 'show', openedByAna, '--by', 'Ana')).code).toBe(0);

    const bulk = await cw('content', 'approve', '--all-opened', courseId, '--by', 'Rui', '--note', 'module one');
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(bulk.stdout).toContain('Approved 2 item(s)');
    expect(bulk.stdout).toMatch(new RegExp(`${openedByAna}.*opened by Ana, not by Rui`));
    expect(bulk.stdout).toMatch(new RegExp(`${unopened}.*not opened by anyone yet`));
    expect(bulk.stdout).not.toContain(draftItem);

    const status = Object.fromEntries((await cw('content', 'list', courseId, '--json')).json().map((i: { id: string; status: string }) => [i.id, i.status]));
    expect(status[openedByRui1]).toBe('APPROVED');
    expect(status[openedByRui2]).toBe('APPROVED');
    expect(status[openedByAna]).toBe('IN_REVIEW');
    expect(status[unopened]).toBe('IN_REVIEW');
    expect(status[draftItem]).toBe('DRAFT');
    const audit = (await cw('audit', openedByRui1, '--json')).json() as Array<{ action: string; actor: string; metadata: { note?: string } }>;
    expect(audit.find((a) => a.action === 'content.approved')).toMatchObject({ actor: 'Rui', metadata: { note: 'module one' } });

    // Ana's look counts for Ana: her run approves her item and leaves the one nobody opened.
    const byAna = (await cw('content', 'approve', '--all-opened', courseId, '--by', 'Ana', '--json')).json();
    expect(byAna.approved.map((i: { id: string }) => i.id)).toEqual([openedByAna]);
    expect(byAna.notApproved).toEqual([expect.objectContaining({ id: unopened, reason: 'not opened by anyone yet' })]);
  }, 120_000);

  it('refuses ids together with --all-opened, and an unknown course', async () => {
    const both = await cw('content', 'approve', 'some-id', '--all-opened', 'some-course', '--by', 'Rui');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
    const neither = await cw('content', 'approve', '--by', 'Rui');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--all-opened COURSE');
    const unknown = await cw('content', 'approve', '--all-opened', 'no-such-course', '--by', 'Rui');
    expect(unknown.code).toBe(4);
  });
});
