import { describe, expect, it } from 'vitest';
import { normalizeSyllabus } from '../../core/syllabus/normalize.js';
import { LearningIntent } from '../../schemas/intent.js';
import { Syllabus, SyllabusCandidate, type SyllabusWarning } from '../../schemas/syllabus.js';

/**
 * The normaliser's rules on outlines of several modules: ids unique across the whole course,
 * prerequisites resolved and kept only when they point back in course order (also across
 * modules), estimates fitted to the budget, and level/language taken from the intent. Expected
 * values are written out by hand so a changed rule shows up as a changed number or sentence.
 */

/** 2 hours: 120 minutes, so three 40-minute lessons fit exactly and trigger no rescale. */
const intent = LearningIntent.parse({ title: 'Intro to SQL', audience: 'Analysts', level: 'beginner', timeBudgetHours: 2, teachingStyle: 'examples', constraints: [] });

interface LessonSpec {
  id: string;
  title?: string;
  minutes?: number;
  prerequisites?: string[];
}
interface ModuleSpec {
  id: string;
  title?: string;
  lessons: LessonSpec[];
}

let lessonCounter = 0;
function course(modules: ModuleSpec[], overrides: { level?: string; language?: string } = {}): SyllabusCandidate {
  return SyllabusCandidate.parse({
    title: 'Intro to SQL',
    summary: 'Query relational data with confidence.',
    audience: 'Analysts',
    level: overrides.level ?? 'beginner',
    language: overrides.language ?? 'en',
    modules: modules.map((m, mi) => ({
      id: m.id,
      title: m.title ?? `Module ${mi + 1}`,
      lessons: m.lessons.map((l) => ({
        id: l.id,
        title: l.title ?? `Lesson number ${++lessonCounter}`,
        objectives: ['Write a query that answers a question'],
        prerequisites: l.prerequisites ?? [],
        estimatedMinutes: l.minutes ?? 40,
        assessmentHooks: [{ kind: 'quiz', description: 'Check it' }],
      })),
    })),
  });
}

function withBudgetMinutes(minutes: number): LearningIntent {
  return LearningIntent.parse({ ...intent, timeBudgetHours: minutes / 60 });
}

const ids = (syllabus: Syllabus) => syllabus.modules.map((m) => [m.id, m.lessons.map((l) => l.id)]);
const prerequisites = (syllabus: Syllabus) => syllabus.modules.map((m) => m.lessons.map((l) => l.prerequisites));
const minutes = (syllabus: Syllabus) => syllabus.modules.map((m) => m.lessons.map((l) => l.estimatedMinutes));
const withCode = (notes: SyllabusWarning[], code: string) => notes.filter((n) => n.code === code);

describe('ids across several modules', () => {
  it('numbers clashing module and lesson ids in course order, across modules, and reports each rename', () => {
    const { syllabus, notes } = normalizeSyllabus(
      course([
        { id: 'basics', lessons: [{ id: 'intro' }, { id: 'basics' }] },
        { id: 'intro', lessons: [{ id: 'intro' }] },
      ]),
      intent,
    );
    expect(ids(syllabus)).toEqual([
      ['basics', ['intro', 'basics-2']],
      ['intro-2', ['intro-3']],
    ]);
    expect(notes).toEqual([{ code: 'ids-renamed', severity: 'info', message: 'Ids made well-formed and unique: basics → basics-2, intro → intro-2, intro → intro-3.' }]);
    expect(Syllabus.safeParse(syllabus).success).toBe(true);
  });

  it('keeps well-formed unique ids as they are and reports nothing', () => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'select', lessons: [{ id: 'where' }] }, { id: 'joins', lessons: [{ id: 'inner-join' }, { id: 'outer-join' }] }]), intent);
    expect(ids(syllabus)).toEqual([
      ['select', ['where']],
      ['joins', ['inner-join', 'outer-join']],
    ]);
    expect(notes).toEqual([]);
  });

  it('numbers indices per module: modules in course order, lessons from 0 in each module', () => {
    const { syllabus } = normalizeSyllabus(course([{ id: 'a', lessons: [{ id: 'a1' }, { id: 'a2' }] }, { id: 'b', lessons: [{ id: 'b1' }] }]), intent);
    expect(syllabus.modules.map((m) => [m.index, m.lessons.map((l) => l.index)])).toEqual([
      [0, [0, 1]],
      [1, [0]],
    ]);
  });

  it('writes ids as lowercase ASCII words joined by single dashes, accents dropped', () => {
    const { syllabus } = normalizeSyllabus(course([{ id: 'Café Crème', lessons: [{ id: 'SQL  --  Joins' }, { id: '(Window) functions!' }] }]), withBudgetMinutes(80));
    expect(ids(syllabus)).toEqual([['cafe-creme', ['sql-joins', 'window-functions']]]);
  });

  it('gives an id with nothing usable in it a positional fallback naming its module and lesson', () => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'first', lessons: [{ id: 'one' }] }, { id: '***', lessons: [{ id: 'two' }, { id: '!!!' }] }]), intent);
    expect(ids(syllabus)).toEqual([
      ['first', ['one']],
      ['module-2', ['two', 'lesson-2-2']],
    ]);
    expect(notes).toEqual([{ code: 'ids-renamed', severity: 'info', message: 'Ids made well-formed and unique: *** → module-2, !!! → lesson-2-2.' }]);
  });

  it('cuts long ids to 60 characters without a trailing dash, and numbered copies stay within 60', () => {
    const sixtyFour = 'y'.repeat(64);
    const dashAtSixty = `${'x'.repeat(59)}-tail`;
    const { syllabus } = normalizeSyllabus(course([{ id: 'long', lessons: [{ id: dashAtSixty }, { id: sixtyFour }, { id: sixtyFour }] }]), intent);
    expect(ids(syllabus)).toEqual([['long', ['x'.repeat(59), 'y'.repeat(60), `${'y'.repeat(58)}-2`]]]);
    expect(Syllabus.safeParse(syllabus).success).toBe(true);
  });

  it('lists at most ten renames in the note and counts the rest', () => {
    const lessons = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `L${i + 1}`, minutes: 10 }));
    const listed = 'L1 → l1, L2 → l2, L3 → l3, L4 → l4, L5 → l5, L6 → l6, L7 → l7, L8 → l8, L9 → l9, L10 → l10';
    const twelve = normalizeSyllabus(course([{ id: 'm', lessons: lessons(12) }]), intent);
    expect(twelve.notes).toEqual([{ code: 'ids-renamed', severity: 'info', message: `Ids made well-formed and unique: ${listed} and 2 more.` }]);
    const ten = normalizeSyllabus(course([{ id: 'm', lessons: lessons(10) }]), withBudgetMinutes(100));
    expect(ten.notes).toEqual([{ code: 'ids-renamed', severity: 'info', message: `Ids made well-formed and unique: ${listed}.` }]);
  });
});

describe('prerequisites across several modules', () => {
  it('keeps prerequisites on lessons of earlier modules and drops those on later modules or on module ids', () => {
    const { syllabus, notes } = normalizeSyllabus(
      course([
        { id: 'sql-basics', lessons: [{ id: 'select', title: 'Selecting columns', prerequisites: ['joins'] }, { id: 'where' }] },
        { id: 'sql-joins', lessons: [{ id: 'joins', title: 'Joining tables', prerequisites: ['select', 'where', 'sql-basics'] }] },
      ]),
      intent,
    );
    expect(prerequisites(syllabus)).toEqual([[[], []], [['select', 'where']]]);
    expect(notes).toEqual([
      { code: 'prerequisite-dropped', severity: 'info', message: 'Dropped prerequisite "joins" of "Selecting columns": it is not an earlier lesson.', moduleId: 'sql-basics', lessonId: 'select' },
      { code: 'prerequisite-dropped', severity: 'info', message: 'Dropped prerequisite "sql-basics" of "Joining tables": no lesson has that id.', moduleId: 'sql-joins', lessonId: 'joins' },
    ]);
  });

  it('drops a lesson naming itself in a later module, with the reason and where it was', () => {
    const { syllabus, notes } = normalizeSyllabus(
      course([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', lessons: [{ id: 'b', title: 'Second lesson', prerequisites: ['b', 'a'] }, { id: 'c' }] }]),
      intent,
    );
    expect(prerequisites(syllabus)).toEqual([[[]], [['a'], []]]);
    expect(notes).toEqual([
      { code: 'prerequisite-dropped', severity: 'info', message: 'Dropped prerequisite "b" of "Second lesson": it refers to the lesson itself.', moduleId: 'm2', lessonId: 'b' },
    ]);
  });

  it('resolves an id several lessons had to the first of them, even from a later module', () => {
    const { syllabus } = normalizeSyllabus(
      course([{ id: 'm1', lessons: [{ id: 'intro' }] }, { id: 'm2', lessons: [{ id: 'intro' }, { id: 'practice', prerequisites: ['intro'] }] }]),
      intent,
    );
    expect(ids(syllabus)).toEqual([
      ['m1', ['intro']],
      ['m2', ['intro-2', 'practice']],
    ]);
    expect(prerequisites(syllabus)).toEqual([[[]], [[], ['intro']]]);
  });

  it('accepts a prerequisite written with the new id as well as the old one, and keeps it once without a note', () => {
    const { syllabus, notes } = normalizeSyllabus(
      course([{ id: 'm1', lessons: [{ id: 'Select Basics' }] }, { id: 'm2', lessons: [{ id: 'where', prerequisites: ['select-basics', 'Select Basics', 'select-basics'] }, { id: 'order' }] }]),
      intent,
    );
    expect(prerequisites(syllabus)).toEqual([[[]], [['select-basics'], []]]);
    expect(withCode(notes, 'prerequisite-dropped')).toEqual([]);
  });

  it('produces a syllabus that normalises to itself with no notes', () => {
    const first = normalizeSyllabus(
      course([{ id: 'M 1', lessons: [{ id: 'x', prerequisites: ['y'] }, { id: 'y' }] }, { id: 'm2', lessons: [{ id: 'x', prerequisites: ['x', 'y'] }] }]),
      intent,
    );
    expect(prerequisites(first.syllabus)).toEqual([[[], []], [['x', 'y']]]);
    const second = normalizeSyllabus(first.syllabus, intent);
    expect(second.syllabus).toEqual(first.syllabus);
    expect(second.notes).toEqual([]);
  });
});

describe('estimates against the time budget', () => {
  it('leaves totals within ±10% of the budget alone, at both edges', () => {
    for (const lessonMinutes of [
      [40, 50, 42],
      [40, 30, 38],
    ]) {
      const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: lessonMinutes[0] }, { id: 'b', minutes: lessonMinutes[1] }] }, { id: 'm2', lessons: [{ id: 'c', minutes: lessonMinutes[2] }] }]), intent);
      expect(minutes(syllabus)).toEqual([[lessonMinutes[0], lessonMinutes[1]], [lessonMinutes[2]]]);
      expect(notes).toEqual([]);
    }
  });

  it('rescales totals just beyond ±10% of the budget', () => {
    const over = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 40 }, { id: 'b', minutes: 50 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 43 }] }]), intent);
    expect(withCode(over.notes, 'estimates-rescaled')).toEqual([
      { code: 'estimates-rescaled', severity: 'info', message: 'Lesson estimates totalled 133 min against a budget of 120 min; every estimate was scaled down by 10% to 120 min.' },
    ]);
    expect(minutes(over.syllabus)).toEqual([[35, 45], [40]]);
    const under = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 40 }, { id: 'b', minutes: 30 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 37 }] }]), intent);
    expect(withCode(under.notes, 'estimates-rescaled')).toEqual([
      { code: 'estimates-rescaled', severity: 'info', message: 'Lesson estimates totalled 107 min against a budget of 120 min; every estimate was scaled up by 12% to 120 min.' },
    ]);
  });

  it('sums module and course totals over every module after rescaling', () => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 30 }] }, { id: 'm2', lessons: [{ id: 'b', minutes: 50 }, { id: 'c', minutes: 20 }] }]), intent);
    expect(minutes(syllabus)).toEqual([[35], [60, 25]]);
    expect(syllabus.modules.map((m) => m.estimatedMinutes)).toEqual([35, 85]);
    expect(syllabus.totalEstimatedMinutes).toBe(120);
    expect(notes).toEqual([
      { code: 'estimates-rescaled', severity: 'info', message: 'Lesson estimates totalled 100 min against a budget of 120 min; every estimate was scaled up by 20% to 120 min.' },
    ]);
  });

  it('counts the budget in whole minutes', () => {
    // 1.01 hours is 60.6 minutes: the budget the reviewer reads is 61.
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 100 }] }]), LearningIntent.parse({ ...intent, timeBudgetHours: 1.01 }));
    expect(minutes(syllabus)).toEqual([[60]]);
    expect(notes.map((n) => n.message)).toEqual([
      'Lesson estimates totalled 100 min against a budget of 61 min; every estimate was scaled down by 39% to 60 min. Check that no module or lesson is missing and that the lesson lengths are realistic.',
    ]);
  });

  it('never scales a lesson below 5 minutes, rounding the rest to 5', () => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 5 }] }, { id: 'm2', lessons: [{ id: 'b', minutes: 595 }] }]), withBudgetMinutes(60));
    expect(minutes(syllabus)).toEqual([[5], [60]]);
    expect(syllabus.totalEstimatedMinutes).toBe(65);
    expect(notes).toEqual([
      {
        code: 'estimates-rescaled',
        severity: 'warning',
        message: 'Lesson estimates totalled 600 min against a budget of 60 min; every estimate was scaled down by 90% to 65 min. Check that no module or lesson is missing and that the lesson lengths are realistic.',
      },
    ]);
  });

  it('never scales a lesson above 600 minutes', () => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 300 }, { id: 'b', minutes: 5 }] }]), withBudgetMinutes(1200));
    expect(minutes(syllabus)).toEqual([[600, 20]]);
    expect(notes.map((n) => [n.severity, n.message])).toEqual([
      ['warning', 'Lesson estimates totalled 305 min against a budget of 1200 min; every estimate was scaled up by 293% to 620 min. Check that no module or lesson is missing and that the lesson lengths are realistic.'],
    ]);
    expect(Syllabus.safeParse(syllabus).success).toBe(true);
  });

  it.each([
    [125, 'up by 25%', [65, 60]],
    [75, 'down by 25%', [40, 35]],
  ] as const)('a rescale of exactly a quarter, to a budget of %i min, is still an info note', (budget, wording, expected) => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 52 }] }, { id: 'm2', lessons: [{ id: 'b', minutes: 48 }] }]), withBudgetMinutes(budget));
    expect(notes).toEqual([{ code: 'estimates-rescaled', severity: 'info', message: expect.stringContaining(wording) }]);
    expect(notes[0]!.message).not.toContain('Check that');
    expect(minutes(syllabus)).toEqual([[expected[0]], [expected[1]]]);
  });

  it('keeps human estimates as written when fitting is off, even far from the budget', () => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 300 }] }, { id: 'm2', lessons: [{ id: 'b', minutes: 7 }] }]), intent, { fitTimeBudget: false });
    expect(minutes(syllabus)).toEqual([[300], [7]]);
    expect(syllabus.modules.map((m) => m.estimatedMinutes)).toEqual([300, 7]);
    expect(syllabus.totalEstimatedMinutes).toBe(307);
    expect(notes).toEqual([]);
  });
});

describe('level and language come from the intent', () => {
  it.each([
    ['level', { level: 'advanced' }],
    ['language', { language: 'fr' }],
  ] as const)('restores a different %s and says so', (_what, overrides) => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 120 }] }], overrides), intent);
    expect([syllabus.level, syllabus.language]).toEqual(['beginner', 'en']);
    expect(notes).toEqual([{ code: 'intent-restored', severity: 'info', message: "Level and language set to the intent's (beginner, en)." }]);
  });

  it('says nothing when both already match, and carries title, summary and audience over', () => {
    const { syllabus, notes } = normalizeSyllabus(course([{ id: 'm1', lessons: [{ id: 'a', minutes: 120 }] }], { level: 'intermediate', language: 'pt-BR' }), LearningIntent.parse({ ...intent, level: 'intermediate', language: 'pt-BR' }));
    expect(notes).toEqual([]);
    expect([syllabus.title, syllabus.summary, syllabus.audience, syllabus.level, syllabus.language]).toEqual(['Intro to SQL', 'Query relational data with confidence.', 'Analysts', 'intermediate', 'pt-BR']);
  });
});
