import type { LearningIntent } from '../../schemas/intent.js';
import type { Syllabus, SyllabusWarning } from '../../schemas/syllabus.js';
import { formatMinutes, timeBudgetTotals } from './time-budget.js';

/** Verbs a reviewer cannot observe a learner doing. */
const nonMeasurable = /^(?:(?:be able to|students will|learners will)\s+)?(understand|know|learn about|learn|be aware of|appreciate|be familiar with|grasp|comprehend)\b/i;

const stopWords = new Set(
  'a an and are as at be by every for from has have in include includes including into is it its no not of on or per prior should the their this to with without each must only any all than then use using assumed'.split(' '),
);

function stem(word: string): string {
  return word.replace(/(ing|ed|es|s)$/i, '');
}

function significantWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && !stopWords.has(w))
    .map(stem);
}

const normalTitle = (title: string) => title.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Warnings for reviewers, in course order. They never block saving: a reviewer decides. Each
 * rule runs in one pass over the outline, so a 480-lesson syllabus lints in well under a millisecond or two.
 */
export function lintSyllabus(syllabus: Syllabus, intent: LearningIntent): SyllabusWarning[] {
  const warnings: SyllabusWarning[] = [];
  const lessons = syllabus.modules.flatMap((m) => m.lessons.map((l) => ({ lesson: l, module: m })));
  const mean = lessons.length ? lessons.reduce((s, x) => s + x.lesson.estimatedMinutes, 0) / lessons.length : 0;
  const budget = timeBudgetTotals(syllabus, intent.timeBudgetHours);

  const titleCounts = new Map<string, number>();
  for (const m of syllabus.modules) titleCounts.set(`m:${normalTitle(m.title)}`, (titleCounts.get(`m:${normalTitle(m.title)}`) ?? 0) + 1);
  for (const { lesson } of lessons) titleCounts.set(`l:${normalTitle(lesson.title)}`, (titleCounts.get(`l:${normalTitle(lesson.title)}`) ?? 0) + 1);

  for (const module of syllabus.modules) {
    if (module.lessons.length === 0) warnings.push({ code: 'empty-module', severity: 'warning', message: `Module "${module.title}" has no lessons.`, moduleId: module.id });
    if ((titleCounts.get(`m:${normalTitle(module.title)}`) ?? 0) > 1) {
      warnings.push({ code: 'duplicate-title', severity: 'warning', message: `More than one module is titled "${module.title}".`, moduleId: module.id });
    }
    if (module.lessons.length > 0 && module.lessons.every((l) => l.assessmentHooks.length === 0)) {
      warnings.push({ code: 'module-without-assessment', severity: 'warning', message: `No lesson in "${module.title}" has a quiz or project hook.`, moduleId: module.id });
    }
    for (const lesson of module.lessons) {
      const where = { moduleId: module.id, lessonId: lesson.id };
      for (const objective of lesson.objectives) {
        const match = nonMeasurable.exec(objective.trim());
        if (match) {
          warnings.push({ code: 'non-measurable-objective', severity: 'warning', message: `"${objective}" uses "${match[1]}", which cannot be observed; use a measurable verb (identify, explain, apply…).`, ...where });
        }
      }
      if (lesson.objectives.length > 8) warnings.push({ code: 'too-many-objectives', severity: 'warning', message: `"${lesson.title}" has ${lesson.objectives.length} objectives; more than 8 rarely fit one lesson.`, ...where });
      if ((titleCounts.get(`l:${normalTitle(lesson.title)}`) ?? 0) > 1) {
        warnings.push({ code: 'duplicate-title', severity: 'warning', message: `More than one lesson is titled "${lesson.title}".`, ...where });
      }
      if (lesson.estimatedMinutes > budget.budgetMinutes) {
        warnings.push({ code: 'lesson-over-time-budget', severity: 'warning', message: `"${lesson.title}" alone takes ${formatMinutes(lesson.estimatedMinutes)}, over the time budget of ${formatMinutes(budget.budgetMinutes)} for the whole course.`, ...where });
      }
      if (lessons.length > 2 && (lesson.estimatedMinutes < mean * 0.4 || lesson.estimatedMinutes > mean * 2.5)) {
        warnings.push({ code: 'lesson-length-outlier', severity: 'warning', message: `"${lesson.title}" takes ${lesson.estimatedMinutes} min; lessons average ${Math.round(mean)} min.`, ...where });
      }
    }
  }

  // Human edits are not rescaled into the budget, so going over it must be said in words.
  if (budget.overByMinutes > 0) {
    warnings.push({
      code: 'over-time-budget',
      severity: 'warning',
      message: `The lessons add up to ${formatMinutes(budget.totalMinutes)}, over the time budget of ${formatMinutes(budget.budgetMinutes)} by ${formatMinutes(budget.overByMinutes)}.`,
    });
  }

  // Constraint words are matched as stems inside the outline's text: cheap on 480 lessons.
  const outlineText = intent.constraints.length
    ? [syllabus.title, syllabus.summary, ...syllabus.modules.flatMap((m) => [m.title, m.summary, ...m.lessons.flatMap((l) => [l.title, l.summary, ...l.objectives, ...l.assessmentHooks.map((h) => `${h.kind} ${h.description}`)])])].join('\n').toLowerCase()
    : '';
  for (const constraint of intent.constraints) {
    const words = significantWords(constraint);
    if (words.length > 0 && !words.some((w) => outlineText.includes(w))) {
      warnings.push({ code: 'constraint-ignored', severity: 'warning', message: `Nothing in the outline reflects the constraint "${constraint}".` });
    }
  }
  return warnings;
}
