import { describe, expect, it } from 'vitest';
import { lintSyllabus } from '../../core/syllabus/lint.js';
import { LearningIntent } from '../../schemas/intent.js';
import { Syllabus } from '../../schemas/syllabus.js';

/**
 * Each reviewer warning of the linter, from both sides: the outline that earns it (with the
 * exact sentence the reviewer reads) and the nearest outline that must stay silent. Outlines
 * span several modules, because the rules count titles and lesson lengths over the whole course.
 */

const intent = LearningIntent.parse({ title: 'Intro to SQL', audience: 'Analysts', level: 'beginner', timeBudgetHours: 2, teachingStyle: 'examples', constraints: [] });
const constrained = (...constraints: string[]) => LearningIntent.parse({ ...intent, constraints });
/** Ten hours: room for every outline below that tests another rule, so the budget rule stays out of its way. */
const roomy = LearningIntent.parse({ ...intent, timeBudgetHours: 10 });

interface LessonSpec {
  id: string;
  title?: string;
  summary?: string;
  minutes?: number;
  objectives?: string[];
  hooks?: Array<{ kind: 'quiz' | 'project'; description: string }>;
}
interface ModuleSpec {
  id: string;
  title?: string;
  summary?: string;
  lessons: LessonSpec[];
}

/** A stored syllabus (schema-parsed, as the linter always receives it) with distinct titles unless given. */
function outline(modules: ModuleSpec[], course: { title?: string; summary?: string } = {}): Syllabus {
  return Syllabus.parse({
    title: course.title ?? 'Intro to SQL',
    summary: course.summary ?? 'Query relational data with confidence.',
    audience: 'Analysts',
    level: 'beginner',
    language: 'en',
    totalEstimatedMinutes: 0,
    modules: modules.map((m, mi) => ({
      id: m.id,
      index: mi,
      title: m.title ?? `Module ${m.id}`,
      summary: m.summary ?? '',
      estimatedMinutes: 0,
      lessons: m.lessons.map((l, li) => ({
        id: l.id,
        index: li,
        title: l.title ?? `Lesson ${l.id}`,
        summary: l.summary ?? '',
        objectives: l.objectives ?? ['Write a query that answers a question'],
        prerequisites: [],
        estimatedMinutes: l.minutes ?? 40,
        assessmentHooks: l.hooks ?? [{ kind: 'quiz', description: 'Check it' }],
      })),
    })),
  });
}

const codes = (syllabus: Syllabus, i: LearningIntent = intent) => lintSyllabus(syllabus, i).map((w) => `${w.code}:${w.lessonId ?? w.moduleId ?? ''}`);

describe('clean outline', () => {
  it('stays silent on a clean outline of several modules', () => {
    expect(lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a' }, { id: 'b' }] }, { id: 'm2', lessons: [{ id: 'c' }] }]), intent)).toEqual([]);
  });
});

describe('empty modules and modules without assessment', () => {
  it('warns about a module with no lessons, and only about that', () => {
    const syllabus = outline([{ id: 'm1', lessons: [{ id: 'a' }] }]);
    // The stored schema needs a lesson per module; the linter is also given outlines mid-edit.
    const withEmpty: Syllabus = { ...syllabus, modules: [...syllabus.modules, { id: 'm2', index: 1, title: 'Wrap-up', summary: '', estimatedMinutes: 0, lessons: [] }] };
    expect(lintSyllabus(withEmpty, intent)).toEqual([{ code: 'empty-module', severity: 'warning', message: 'Module "Wrap-up" has no lessons.', moduleId: 'm2' }]);
  });

  it('warns about a module none of whose lessons has a hook', () => {
    const syllabus = outline([
      { id: 'm1', lessons: [{ id: 'a' }] },
      { id: 'm2', title: 'Joins', lessons: [{ id: 'b', hooks: [] }, { id: 'c', hooks: [] }] },
    ]);
    expect(lintSyllabus(syllabus, intent)).toEqual([{ code: 'module-without-assessment', severity: 'warning', message: 'No lesson in "Joins" has a quiz or project hook.', moduleId: 'm2' }]);
  });

  it('is content when one lesson of the module has a hook', () => {
    const syllabus = outline([{ id: 'm1', lessons: [{ id: 'a', hooks: [] }, { id: 'b', hooks: [{ kind: 'project', description: 'Build a report' }] }, { id: 'c', hooks: [] }] }]);
    expect(lintSyllabus(syllabus, intent)).toEqual([]);
  });
});

describe('duplicate titles', () => {
  it('warns about every module sharing a title, ignoring case and spacing', () => {
    const syllabus = outline([
      { id: 'm1', title: 'SQL Basics', lessons: [{ id: 'a' }] },
      { id: 'm2', title: 'sql   basics', lessons: [{ id: 'b' }] },
      { id: 'm3', title: 'Joins', lessons: [{ id: 'c' }] },
    ]);
    expect(lintSyllabus(syllabus, intent)).toEqual([
      { code: 'duplicate-title', severity: 'warning', message: 'More than one module is titled "SQL Basics".', moduleId: 'm1' },
      { code: 'duplicate-title', severity: 'warning', message: 'More than one module is titled "sql   basics".', moduleId: 'm2' },
    ]);
  });

  it('warns about lessons sharing a title in different modules', () => {
    const syllabus = outline([
      { id: 'm1', lessons: [{ id: 'a', title: 'Practice' }, { id: 'b' }] },
      { id: 'm2', lessons: [{ id: 'c', title: 'PRACTICE' }] },
    ]);
    expect(lintSyllabus(syllabus, intent)).toEqual([
      { code: 'duplicate-title', severity: 'warning', message: 'More than one lesson is titled "Practice".', moduleId: 'm1', lessonId: 'a' },
      { code: 'duplicate-title', severity: 'warning', message: 'More than one lesson is titled "PRACTICE".', moduleId: 'm2', lessonId: 'c' },
    ]);
  });

  it('lets a lesson share its title with a module, and distinct titles pass', () => {
    const syllabus = outline([
      { id: 'm1', title: 'Joins', lessons: [{ id: 'a', title: 'Joins' }] },
      { id: 'm2', title: 'Grouping', lessons: [{ id: 'b', title: 'Group by' }] },
    ]);
    expect(lintSyllabus(syllabus, intent)).toEqual([]);
  });

  it('tells apart titles that differ by more than case and spacing', () => {
    // "Maße" (measures) and "Masse" (mass) only meet when uppercased ("MASSE"); "Data sets" and
    // "Datasets" only when spaces are dropped.
    const syllabus = outline([
      { id: 'm1', title: 'Maße', lessons: [{ id: 'a', title: 'Data sets' }] },
      { id: 'm2', title: 'Masse', lessons: [{ id: 'b', title: 'Datasets' }] },
    ]);
    expect(lintSyllabus(syllabus, intent)).toEqual([]);
  });
});

describe('objectives', () => {
  it.each([
    ['Understand joins', 'Understand'],
    ['Know the difference between WHERE and HAVING', 'Know'],
    ['Learn about indexes', 'Learn about'],
    ['Learn the syntax of SELECT', 'Learn'],
    ['Be aware of NULL semantics', 'Be aware of'],
    ['Appreciate query plans', 'Appreciate'],
    ['Be familiar with window functions', 'Be familiar with'],
    ['Grasp grouping', 'Grasp'],
    ['Comprehend subqueries', 'Comprehend'],
    ['Be able to understand joins', 'understand'],
    ['Students will know aggregates', 'know'],
    ['Learners will   learn about views', 'learn about'],
  ])('flags "%s" and names the verb', (objective, verb) => {
    const warnings = lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a', objectives: [objective] }] }]), intent);
    expect(warnings).toEqual([
      {
        code: 'non-measurable-objective',
        severity: 'warning',
        message: `"${objective}" uses "${verb}", which cannot be observed; use a measurable verb (identify, explain, apply…).`,
        moduleId: 'm1',
        lessonId: 'a',
      },
    ]);
  });

  it.each([
    'Explain what understanding a query plan requires',
    'Identify known limits of indexes',
    'Write queries that learners can reuse',
    'Be able to write a join',
    'Knowingly choose a join type',
    'Explain what learners should know about NULL',
  ])('accepts the measurable objective "%s"', (objective) => {
    expect(lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a', objectives: [objective] }] }]), intent)).toEqual([]);
  });

  it('flags each non-measurable objective of a lesson in a later module', () => {
    const syllabus = outline([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', lessons: [{ id: 'b', objectives: ['Write a join', 'Understand joins', 'Know keys'] }] }]);
    expect(codes(syllabus)).toEqual(['non-measurable-objective:b', 'non-measurable-objective:b']);
  });

  it('warns above 8 objectives in a lesson, and accepts 8', () => {
    const objectives = (n: number) => Array.from({ length: n }, (_, i) => `Write query number ${i + 1}`);
    const nine = outline([{ id: 'm1', lessons: [{ id: 'a', title: 'Everything at once', objectives: objectives(9) }] }]);
    expect(lintSyllabus(nine, intent)).toEqual([
      { code: 'too-many-objectives', severity: 'warning', message: '"Everything at once" has 9 objectives; more than 8 rarely fit one lesson.', moduleId: 'm1', lessonId: 'a' },
    ]);
    expect(lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a', objectives: objectives(8) }] }]), intent)).toEqual([]);
  });
});

describe('lesson length outliers, against the mean of the whole course', () => {
  it('warns about a lesson shorter than 40% or longer than 250% of the mean, with the mean rounded', () => {
    // 10, 41, 41, 41: mean 33.25, and 10 is under 40% of it. 20, 20, 20, 101: mean 40.25, and 101 is over 250% of it.
    const short = outline([{ id: 'm1', lessons: [{ id: 'a', title: 'Quick look', minutes: 10 }, { id: 'b', minutes: 41 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 41 }, { id: 'd', minutes: 41 }] }]);
    expect(lintSyllabus(short, roomy)).toEqual([
      { code: 'lesson-length-outlier', severity: 'warning', message: '"Quick look" takes 10 min; lessons average 33 min.', moduleId: 'm1', lessonId: 'a' },
    ]);
    const long = outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 20 }, { id: 'b', minutes: 20 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 20 }, { id: 'd', title: 'Deep dive', minutes: 101 }] }]);
    expect(lintSyllabus(long, roomy)).toEqual([
      { code: 'lesson-length-outlier', severity: 'warning', message: '"Deep dive" takes 101 min; lessons average 40 min.', moduleId: 'm2', lessonId: 'd' },
    ]);
  });

  it('accepts lessons at exactly 40% and 250% of the mean', () => {
    // 20, 65, 65: mean 50, and 20 is exactly 40% of it.
    expect(lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 20 }, { id: 'b', minutes: 65 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 65 }] }]), roomy)).toEqual([]);
    // 100, 20, 20, 20: mean 40, and 100 is exactly 250% of it.
    expect(lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 100 }, { id: 'b', minutes: 20 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 20 }, { id: 'd', minutes: 20 }] }]), roomy)).toEqual([]);
  });

  it('does not judge lengths with only two lessons', () => {
    expect(lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 5 }] }, { id: 'm2', lessons: [{ id: 'b', minutes: 200 }] }]), roomy)).toEqual([]);
  });
});

describe('the time budget, against the sum of every lesson', () => {
  const budgeted = (timeBudgetHours: number) => LearningIntent.parse({ ...intent, timeBudgetHours });

  it('says how far over the budget the lessons run, in hours and minutes', () => {
    // 60 + 80 + 70 = 210 min against 3 h: 30 min over.
    const syllabus = outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 60 }, { id: 'b', minutes: 80 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 70 }] }]);
    expect(lintSyllabus(syllabus, budgeted(3))).toEqual([
      { code: 'over-time-budget', severity: 'warning', message: 'The lessons add up to 3 h 30 min, over the time budget of 3 h by 30 min.' },
    ]);
  });

  it('is silent when the lessons fill the budget exactly, or leave time over', () => {
    const syllabus = outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 60 }, { id: 'b', minutes: 80 }] }, { id: 'm2', lessons: [{ id: 'c', minutes: 70 }] }]);
    expect(lintSyllabus(syllabus, budgeted(3.5))).toEqual([]);
    expect(lintSyllabus(syllabus, budgeted(4))).toEqual([]);
  });

  it('says a 500-minute lesson in a 3.5-hour course is over the time budget, not only an outlier', () => {
    // Ten 40-minute lessons beside it, so that only the long one is an outlier (mean 82 min).
    const short = (prefix: string) => Array.from({ length: 5 }, (_, i) => ({ id: `${prefix}${i + 1}`, minutes: 40 }));
    const syllabus = outline([
      { id: 'm1', lessons: [...short('a'), { id: 'b', title: 'Everything about joins', minutes: 500 }] },
      { id: 'm2', lessons: short('c') },
    ]);
    expect(lintSyllabus(syllabus, budgeted(3.5))).toEqual([
      { code: 'lesson-over-time-budget', severity: 'warning', message: '"Everything about joins" alone takes 8 h 20 min, over the time budget of 3 h 30 min for the whole course.', moduleId: 'm1', lessonId: 'b' },
      { code: 'lesson-length-outlier', severity: 'warning', message: '"Everything about joins" takes 500 min; lessons average 82 min.', moduleId: 'm1', lessonId: 'b' },
      { code: 'over-time-budget', severity: 'warning', message: 'The lessons add up to 15 h, over the time budget of 3 h 30 min by 11 h 30 min.' },
    ]);
  });

  it('lets one lesson take the whole budget, and no more', () => {
    expect(codes(outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 120 }] }]), budgeted(2))).toEqual([]);
    expect(codes(outline([{ id: 'm1', lessons: [{ id: 'a', minutes: 125 }] }]), budgeted(2))).toEqual(['lesson-over-time-budget:a', 'over-time-budget:']);
  });
});

describe('constraints', () => {
  const plain = () => outline([{ id: 'm1', lessons: [{ id: 'a' }] }]);

  it('warns about a constraint nothing in the outline reflects, with the constraint as written', () => {
    expect(lintSyllabus(plain(), constrained('Finish with a capstone'))).toEqual([
      { code: 'constraint-ignored', severity: 'warning', message: 'Nothing in the outline reflects the constraint "Finish with a capstone".' },
    ]);
  });

  it('judges each constraint on its own', () => {
    expect(codes(plain(), constrained('questions', 'PostgreSQL only', 'relational', 'MongoDB'))).toEqual(['constraint-ignored:', 'constraint-ignored:']);
    expect(lintSyllabus(plain(), constrained('questions', 'PostgreSQL only', 'relational', 'MongoDB')).map((w) => w.message)).toEqual([
      'Nothing in the outline reflects the constraint "PostgreSQL only".',
      'Nothing in the outline reflects the constraint "MongoDB".',
    ]);
  });

  it.each([
    ['the course title', outline([{ id: 'm1', lessons: [{ id: 'a' }] }], { title: 'Intro to PostgreSQL' })],
    ['the course summary', outline([{ id: 'm1', lessons: [{ id: 'a' }] }], { summary: 'Query PostgreSQL data with confidence.' })],
    ['a module title', outline([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', title: 'PostgreSQL extras', lessons: [{ id: 'b' }] }])],
    ['a module summary', outline([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', summary: 'Runs on PostgreSQL.', lessons: [{ id: 'b' }] }])],
    ['a lesson title', outline([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', lessons: [{ id: 'b', title: 'PostgreSQL setup' }] }])],
    ['a lesson summary', outline([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', lessons: [{ id: 'b', summary: 'Install PostgreSQL.' }] }])],
    ['an objective', outline([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', lessons: [{ id: 'b', objectives: ['Write a join', 'Install PostgreSQL locally'] }] }])],
    ['a hook description', outline([{ id: 'm1', lessons: [{ id: 'a' }] }, { id: 'm2', lessons: [{ id: 'b', hooks: [{ kind: 'quiz', description: 'Check it' }, { kind: 'quiz', description: 'PostgreSQL quiz' }] }] }])],
  ])('finds a constraint reflected only in %s, whatever its case', (_where, syllabus) => {
    expect(lintSyllabus(syllabus, constrained('PostgreSQL only'))).toEqual([]);
  });

  it('counts a hook kind as reflecting a constraint', () => {
    const syllabus = outline([{ id: 'm1', lessons: [{ id: 'a', hooks: [{ kind: 'quiz', description: 'Check it' }] }, { id: 'b', hooks: [{ kind: 'project', description: 'Build a report' }] }] }]);
    expect(lintSyllabus(syllabus, constrained('a project'))).toEqual([]);
    expect(codes(outline([{ id: 'm1', lessons: [{ id: 'a' }] }]), constrained('a project'))).toEqual(['constraint-ignored:']);
  });

  it('does not join words across separate fields', () => {
    // Title "Intro to SQL" and summary "Query relational…" must not read as "sqlquery".
    expect(codes(plain(), constrained('sqlquery'))).toEqual(['constraint-ignored:']);
  });

  it.each([
    ['indexing', 'Index basics'],
    ['scripted exercises', 'Script basics'],
    ['boxes', 'Box plots'],
    ['joins', 'Join basics'],
    ['business cases', 'The business side'],
  ])('matches "%s" by its stem in "%s"', (constraint, title) => {
    expect(lintSyllabus(outline([{ id: 'm1', lessons: [{ id: 'a', title }] }]), constrained(constraint))).toEqual([]);
  });

  it('ignores stop words and words of two letters, but not three-letter words', () => {
    // "with" is in the outline's summary, yet it is no evidence of a capstone.
    expect(codes(plain(), constrained('Finish with a capstone'))).toEqual(['constraint-ignored:']);
    // Nothing left to check: no warning either way.
    expect(codes(plain(), constrained('use the'))).toEqual([]);
    expect(codes(plain(), constrained('Go'))).toEqual([]);
    expect(codes(plain(), constrained('DAX'))).toEqual(['constraint-ignored:']);
  });

  it('keeps letters of any script and digits inside words', () => {
    const french = outline([{ id: 'm1', lessons: [{ id: 'a', title: 'Une donnée réelle' }] }]);
    expect(lintSyllabus(french, constrained('Données réelles'))).toEqual([]);
    expect(codes(french, constrained('Réseaux'))).toEqual(['constraint-ignored:']);
    const versioned = outline([{ id: 'm1', lessons: [{ id: 'a', title: 'ES2015 modules' }] }]);
    expect(lintSyllabus(versioned, constrained('ES2015 syntax'))).toEqual([]);
    expect(codes(versioned, constrained('ES2020 syntax'))).toEqual(['constraint-ignored:']);
  });
});
