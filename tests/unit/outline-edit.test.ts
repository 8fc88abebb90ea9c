import { describe, expect, it } from 'vitest';
import {
  addLesson,
  addModule,
  deleteLesson,
  deleteModule,
  duplicateLesson,
  duplicateModule,
  lessonStep,
  maxLessonsPerModule,
  moveLesson,
  moveModule,
  type OutlineEditResult,
} from '../../core/syllabus/outline-edit.js';
import { formatMinutes, timeBudgetTotals } from '../../core/syllabus/time-budget.js';
import { Syllabus } from '../../schemas/syllabus.js';

/**
 * Restructuring an outline by hand, operation by operation and from both sides: what each one
 * does (the whole resulting outline written out literally) and what it refuses or reports.
 * Outlines are written as `module: lesson lesson | module: lesson`, with a lesson's
 * prerequisites after a `<` (`loops<variables`).
 */

function course(): Syllabus {
  const lesson = (id: string, title: string, minutes: number, prerequisites: string[] = []) => ({
    id,
    index: 0,
    title,
    summary: '',
    objectives: [`Use ${title.toLowerCase()} in a program`],
    prerequisites,
    estimatedMinutes: minutes,
    assessmentHooks: [{ kind: 'quiz' as const, description: `Check ${title}` }],
  });
  return Syllabus.parse({
    title: 'Intro to Python',
    summary: 'Programs that do useful things.',
    audience: 'Analysts',
    level: 'beginner',
    language: 'en',
    totalEstimatedMinutes: 180,
    modules: [
      { id: 'basics', index: 0, title: 'Basics', summary: '', estimatedMinutes: 70, lessons: [lesson('variables', 'Variables', 30), { ...lesson('loops', 'Loops', 40, ['variables']), index: 1 }] },
      { id: 'functions', index: 1, title: 'Functions', summary: '', estimatedMinutes: 110, lessons: [lesson('defining', 'Defining functions', 50, ['loops']), { ...lesson('recursion', 'Recursion', 60, ['defining']), index: 1 }] },
    ],
  });
}

/** The outline in one line, as in the file comment. */
function shape(syllabus: Syllabus): string {
  return syllabus.modules.map((m) => `${m.id}: ${m.lessons.map((l) => (l.prerequisites.length ? `${l.id}<${l.prerequisites.join(',')}` : l.id)).join(' ')}`).join(' | ');
}

function done(result: OutlineEditResult): Syllabus {
  if (!result.ok) throw new Error(`expected the edit to be carried out, got: ${result.message}`);
  // Whatever the operation, the result is a syllabus the schema accepts, numbered and summed.
  expect(Syllabus.safeParse(result.syllabus).success).toBe(true);
  for (const [mi, m] of result.syllabus.modules.entries()) {
    expect(m.index).toBe(mi);
    m.lessons.forEach((l, li) => expect(l.index).toBe(li));
  }
  return result.syllabus;
}

const original = shape(course());

describe('adding', () => {
  it('adds a lesson at the end of a module by default, or at a given place, with a fresh id and no prerequisites', () => {
    const atEnd = addLesson(course(), 'basics');
    expect(shape(done(atEnd))).toBe('basics: variables loops<variables new-lesson | functions: defining<loops recursion<defining');
    expect(atEnd.ok && atEnd.place).toEqual({ moduleId: 'basics', lessonId: 'new-lesson' });
    const first = done(addLesson(course(), 'functions', { at: 0, title: 'Why functions' }));
    expect(shape(first)).toBe('basics: variables loops<variables | functions: why-functions defining<loops recursion<defining');
    expect(first.modules[1]!.lessons[0]).toEqual({
      id: 'why-functions',
      index: 0,
      title: 'Why functions',
      summary: '',
      objectives: ['Describe what learners can do after this lesson'],
      prerequisites: [],
      estimatedMinutes: 30,
      assessmentHooks: [],
    });
  });

  it('counts the new lesson in the module and course minutes', () => {
    const added = done(addLesson(course(), 'basics', { estimatedMinutes: 45 }));
    expect(added.modules.map((m) => m.estimatedMinutes)).toEqual([115, 110]);
    expect(added.totalEstimatedMinutes).toBe(225);
  });

  it('gives a second new lesson its own title and id, never one already used', () => {
    const twice = done(addLesson(done(addLesson(course(), 'basics')), 'functions'));
    expect(shape(twice)).toBe('basics: variables loops<variables new-lesson | functions: defining<loops recursion<defining new-lesson-2');
    expect(twice.modules[1]!.lessons[2]!.title).toBe('New lesson 2');
    // An id taken by a module is taken for lessons too.
    expect(shape(done(addLesson(course(), 'basics', { title: 'Functions' })))).toBe('basics: variables loops<variables functions-2 | functions: defining<loops recursion<defining');
  });

  it('refuses a lesson in a module that does not exist, or that is full', () => {
    expect(addLesson(course(), 'nowhere')).toEqual({ ok: false, reason: 'refused', message: 'There is no module with id "nowhere" in this syllabus.' });
    let full = course();
    while (full.modules[0]!.lessons.length < maxLessonsPerModule) full = done(addLesson(full, 'basics'));
    expect(addLesson(full, 'basics')).toEqual({ ok: false, reason: 'refused', message: "'Basics' already has 60 lessons, the most a module can hold. Add the lesson to another module." });
    expect(shape(done(addLesson(full, 'functions')))).toContain('functions: defining<loops recursion<defining new-lesson-59');
  });

  it('adds a module with one new lesson in it, since no module may be empty', () => {
    const added = addModule(course());
    expect(shape(done(added))).toBe('basics: variables loops<variables | functions: defining<loops recursion<defining | new-module: new-lesson');
    expect(added.ok && added.place).toEqual({ moduleId: 'new-module', lessonId: 'new-lesson' });
    expect(shape(done(addModule(course(), { at: 0, title: 'Setting up' })))).toBe('setting-up: new-lesson | basics: variables loops<variables | functions: defining<loops recursion<defining');
  });
});

describe('duplicating', () => {
  it('copies a lesson right after it with a fresh id, a "(copy)" title and the same prerequisites', () => {
    const copied = done(duplicateLesson(course(), 'loops'));
    expect(shape(copied)).toBe('basics: variables loops<variables loops-copy<variables | functions: defining<loops recursion<defining');
    expect(copied.modules[0]!.lessons[2]!.title).toBe('Loops (copy)');
    const again = done(duplicateLesson(copied, 'loops'));
    expect(shape(again)).toBe('basics: variables loops<variables loops-copy-2<variables loops-copy<variables | functions: defining<loops recursion<defining');
    expect(again.modules[0]!.lessons[2]!.title).toBe('Loops (copy 2)');
  });

  it('copies a module after it, its internal prerequisites pointing at the copies and earlier ones kept', () => {
    const copied = done(duplicateModule(course(), 'functions'));
    expect(shape(copied)).toBe('basics: variables loops<variables | functions: defining<loops recursion<defining | functions-copy: defining-copy<loops recursion-copy<defining-copy');
    expect(copied.modules.map((m) => m.title)).toEqual(['Basics', 'Functions', 'Functions (copy)']);
    expect(copied.totalEstimatedMinutes).toBe(290);
  });

  it('keeps a 200-character title within the schema when copying it', () => {
    const long = course();
    long.modules[0]!.lessons[0]!.title = 'V'.repeat(200);
    const copy = done(duplicateLesson(long, 'variables')).modules[0]!.lessons[1]!;
    expect(copy.title).toBe(`${'V'.repeat(193)} (copy)`);
  });

  it('refuses to copy what does not exist', () => {
    expect(duplicateLesson(course(), 'nowhere')).toEqual({ ok: false, reason: 'refused', message: 'There is no lesson with id "nowhere" in this syllabus.' });
    expect(duplicateModule(course(), 'nowhere')).toEqual({ ok: false, reason: 'refused', message: 'There is no module with id "nowhere" in this syllabus.' });
  });
});

describe('deleting', () => {
  it('deletes a lesson nothing depends on', () => {
    const result = deleteLesson(course(), 'recursion');
    expect(shape(done(result))).toBe('basics: variables loops<variables | functions: defining<loops');
    expect(result.ok && result.place).toEqual({ moduleId: 'functions', lessonId: 'defining' });
  });

  it('names the lesson that needs a deleted one, and deletes nothing', () => {
    expect(deleteLesson(course(), 'loops')).toEqual({
      ok: false,
      reason: 'breaks-prerequisites',
      message: "'Defining functions' needs 'Loops', which would be deleted.",
      broken: [{ lessonId: 'defining', lessonTitle: 'Defining functions', prerequisiteId: 'loops', prerequisiteTitle: 'Loops', why: 'deleted' }],
    });
  });

  it('deletes it and drops the prerequisite when asked to', () => {
    const result = deleteLesson(course(), 'loops', { dropBrokenPrerequisites: true });
    expect(shape(done(result))).toBe('basics: variables | functions: defining recursion<defining');
    expect(result.ok && result.droppedPrerequisites.map((d) => `${d.lessonId}<${d.prerequisiteId}`)).toEqual(['defining<loops']);
  });

  it("refuses to delete a module's only lesson, and the only module", () => {
    const small = done(deleteLesson(course(), 'recursion'));
    expect(deleteLesson(small, 'defining')).toEqual({
      ok: false,
      reason: 'refused',
      message: "'Defining functions' is the only lesson of 'Functions', and a module needs at least one lesson. Delete the module instead, or add another lesson first.",
    });
    const single = done(deleteModule(course(), 'functions'));
    expect(deleteModule(single, 'basics')).toEqual({ ok: false, reason: 'refused', message: "'Basics' is the only module, and a syllabus needs at least one. Add another module first." });
  });

  it('deletes a module whose lessons nothing later needs', () => {
    expect(shape(done(deleteModule(course(), 'functions')))).toBe('basics: variables loops<variables');
  });

  it('names every later lesson that needs one of a deleted module, then drops those links on request', () => {
    const refusedResult = deleteModule(course(), 'basics');
    expect(refusedResult.ok).toBe(false);
    expect(!refusedResult.ok && refusedResult.message).toBe("'Defining functions' needs 'Loops', which would be deleted.");
    expect(shape(done(deleteModule(course(), 'basics', { dropBrokenPrerequisites: true })))).toBe('functions: defining recursion<defining');
  });
});

describe('moving modules', () => {
  it('moves a module when no prerequisite crosses it the wrong way', () => {
    const independent = done(deleteLesson(course(), 'loops', { dropBrokenPrerequisites: true }));
    expect(shape(done(moveModule(independent, 'functions', 0)))).toBe('functions: defining recursion<defining | basics: variables');
  });

  it('says which lesson would come before what it needs, and moves nothing', () => {
    expect(moveModule(course(), 'functions', 0)).toEqual({
      ok: false,
      reason: 'breaks-prerequisites',
      message: "'Defining functions' needs 'Loops', which would come after it.",
      broken: [{ lessonId: 'defining', lessonTitle: 'Defining functions', prerequisiteId: 'loops', prerequisiteTitle: 'Loops', why: 'after' }],
    });
    expect(shape(done(moveModule(course(), 'functions', 0, { dropBrokenPrerequisites: true })))).toBe('functions: defining recursion<defining | basics: variables loops<variables');
  });

  it('treats a move to where the module already is as no change, and clamps a place past the end', () => {
    expect(shape(done(moveModule(course(), 'basics', 0)))).toBe(original);
    expect(shape(done(moveModule(course(), 'functions', 99)))).toBe(original);
    const independent = done(deleteLesson(course(), 'loops', { dropBrokenPrerequisites: true }));
    expect(shape(done(moveModule(independent, 'basics', 99)))).toBe('functions: defining recursion<defining | basics: variables');
  });
});

describe('moving lessons', () => {
  it('reorders lessons inside a module when no prerequisite is broken', () => {
    const added = done(addLesson(course(), 'basics'));
    expect(shape(done(moveLesson(added, 'new-lesson', 'basics', 0)))).toBe('basics: new-lesson variables loops<variables | functions: defining<loops recursion<defining');
  });

  it('refuses to put a lesson before what it needs, naming both', () => {
    expect(moveLesson(course(), 'loops', 'basics', 0)).toEqual({
      ok: false,
      reason: 'breaks-prerequisites',
      message: "'Loops' needs 'Variables', which would come after it.",
      broken: [{ lessonId: 'loops', lessonTitle: 'Loops', prerequisiteId: 'variables', prerequisiteTitle: 'Variables', why: 'after' }],
    });
  });

  it('refuses to put a lesson after one that needs it, naming the lesson that needs it', () => {
    const result = moveLesson(course(), 'loops', 'functions', 2);
    expect(result).toEqual({
      ok: false,
      reason: 'breaks-prerequisites',
      message: "'Defining functions' needs 'Loops', which would come after it.",
      broken: [{ lessonId: 'defining', lessonTitle: 'Defining functions', prerequisiteId: 'loops', prerequisiteTitle: 'Loops', why: 'after' }],
    });
  });

  it('moves a lesson to another module and drops the broken prerequisite when asked', () => {
    const result = moveLesson(course(), 'loops', 'functions', 2, { dropBrokenPrerequisites: true });
    const moved = done(result);
    expect(shape(moved)).toBe('basics: variables | functions: defining recursion<defining loops<variables');
    expect(moved.modules.map((m) => m.estimatedMinutes)).toEqual([30, 150]);
    expect(result.ok && result.place).toEqual({ moduleId: 'functions', lessonId: 'loops' });
  });

  it('moves a lesson to another module where its prerequisites stay earlier', () => {
    expect(shape(done(moveLesson(course(), 'defining', 'basics', 2)))).toBe('basics: variables loops<variables defining<loops | functions: recursion<defining');
  });

  it("refuses to empty a module by moving its only lesson away, but moves it inside its own module", () => {
    const small = done(deleteLesson(course(), 'recursion'));
    expect(moveLesson(small, 'defining', 'basics', 2)).toEqual({
      ok: false,
      reason: 'refused',
      message: "'Defining functions' is the only lesson of 'Functions', and a module needs at least one lesson. Add another lesson to 'Functions' first, or delete that module.",
    });
    expect(shape(done(moveLesson(small, 'defining', 'functions', 0)))).toBe('basics: variables loops<variables | functions: defining<loops');
  });

  it('refuses an unknown lesson or module', () => {
    expect(moveLesson(course(), 'nowhere', 'basics', 0)).toEqual({ ok: false, reason: 'refused', message: 'There is no lesson with id "nowhere" in this syllabus.' });
    expect(moveLesson(course(), 'loops', 'nowhere', 0)).toEqual({ ok: false, reason: 'refused', message: 'There is no module with id "nowhere" in this syllabus.' });
  });

  it('does not blame a move for a prerequisite that already pointed forward, but reports the ones it breaks', () => {
    // Hand-edited JSON can hold a forward link (variables<recursion); the normaliser drops it on save.
    const odd = course();
    odd.modules[0]!.lessons[0]!.prerequisites = ['recursion'];
    expect(shape(done(moveLesson(odd, 'defining', 'basics', 2)))).toBe('basics: variables<recursion loops<variables defining<loops | functions: recursion<defining');
    expect(moveLesson(odd, 'loops', 'basics', 0)).toMatchObject({ ok: false, message: "'Loops' needs 'Variables', which would come after it." });
  });

  it('leaves the input outline untouched', () => {
    const before = course();
    moveLesson(before, 'loops', 'functions', 2, { dropBrokenPrerequisites: true });
    deleteModule(before, 'basics', { dropBrokenPrerequisites: true });
    duplicateModule(before, 'functions');
    expect(before).toEqual(course());
  });
});

describe('one step up or down in course order (Alt+Arrow)', () => {
  it('steps inside a module, then across its boundary, and stops at either end of the course', () => {
    expect(lessonStep(course(), 'loops', -1)).toEqual({ toModuleId: 'basics', toIndex: 0 });
    expect(lessonStep(course(), 'loops', 1)).toEqual({ toModuleId: 'functions', toIndex: 0 });
    expect(lessonStep(course(), 'defining', -1)).toEqual({ toModuleId: 'basics', toIndex: 2 });
    expect(lessonStep(course(), 'variables', -1)).toBeNull();
    expect(lessonStep(course(), 'recursion', 1)).toBeNull();
  });
});

describe('time budget totals', () => {
  it('sums each module and the course from the lessons, and says how far over the budget it is', () => {
    const totals = timeBudgetTotals(course(), 2.5);
    expect([...totals.moduleMinutes]).toEqual([
      ['basics', 70],
      ['functions', 110],
    ]);
    expect(totals).toMatchObject({ totalMinutes: 180, budgetMinutes: 150, overByMinutes: 30 });
    expect(timeBudgetTotals(course(), 3).overByMinutes).toBe(0);
    expect(timeBudgetTotals(course(), 3.5).overByMinutes).toBe(0);
  });

  it.each([
    [0, '0 min'],
    [45, '45 min'],
    [60, '1 h'],
    [200, '3 h 20 min'],
    [210, '3 h 30 min'],
  ])('writes %i minutes as "%s"', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});
