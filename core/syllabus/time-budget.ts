import type { Syllabus } from '../../schemas/syllabus.js';

/** "45 min", "2 h", "3 h 20 min": how designers say a duration. */
export function formatMinutes(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export interface TimeBudgetTotals {
  /** Sum of every lesson's estimate, in minutes. */
  totalMinutes: number;
  /** The intent's time budget in whole minutes. */
  budgetMinutes: number;
  /** Minutes over the budget; 0 when the course fits. */
  overByMinutes: number;
  /** Each module's lessons summed, by module id. */
  moduleMinutes: Map<string, number>;
}

/**
 * Totals counted from the lessons themselves, never from the stored module or course estimates,
 * so they stay true while an outline is being edited and before the normaliser recomputes them.
 */
export function timeBudgetTotals(syllabus: Syllabus, timeBudgetHours: number): TimeBudgetTotals {
  const moduleMinutes = new Map<string, number>();
  let totalMinutes = 0;
  for (const module of syllabus.modules) {
    const minutes = module.lessons.reduce((sum, lesson) => sum + lesson.estimatedMinutes, 0);
    moduleMinutes.set(module.id, minutes);
    totalMinutes += minutes;
  }
  const budgetMinutes = Math.round(timeBudgetHours * 60);
  return { totalMinutes, budgetMinutes, overByMinutes: Math.max(0, totalMinutes - budgetMinutes), moduleMinutes };
}
