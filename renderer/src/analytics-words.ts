import type { SignalType, SuggestionKind } from '../../schemas/analytics.js';

/** A signal as a designer reads it on a badge: the flag's text is the information, never its colour alone. */
export const signalLabels: Record<SignalType, string> = {
  high_dropoff: 'High drop-off',
  low_pass_rate: 'Low pass rate',
  item_too_hard: 'Too hard',
  item_too_easy: 'Too easy',
  item_poor_discrimination: 'Poor discrimination',
  item_suspect_key: 'Suspect answer key',
  nonfunctional_distractor: 'Unused distractor',
  time_over_estimate: 'Over time estimate',
  low_completion: 'Low completion',
};

export const suggestionKindLabels: Record<SuggestionKind, string> = {
  rewrite_question: 'Rewrite the question',
  check_answer_key: 'Check the answer key',
  replace_distractor: 'Replace a distractor',
  split_lesson: 'Split the lesson',
  add_worked_example: 'Add a worked example',
  shorten_lesson: 'Shorten the lesson',
  adjust_estimate: 'Adjust the time estimate',
  review_course_structure: 'Review the course structure',
};

/** What each number in a signal's evidence means, for the Suggestions queue. Unknown keys are shown as they come. */
export const evidenceLabels: Record<string, string> = {
  n: 'learners (n)',
  facility: 'facility p (share correct)',
  discrimination: 'discrimination r',
  dropOffRate: 'drop-off rate',
  dropOff: 'learners who stopped here',
  courseMedianDropOffRate: 'course median drop-off rate',
  medianMinutes: 'median minutes',
  estimatedMinutes: 'estimated minutes',
  firstAttemptPassRate: 'first-attempt pass rate',
  completionRate: 'completion rate',
  optionShare: 'share choosing the option',
  threshold: 'threshold',
};

export const percent = (share: number, digits = 0) => `${(share * 100).toFixed(digits)}%`;
export const optionLetter = (index: number) => String.fromCharCode(65 + index);
export const lessonNumber = (lessonIndex: number | null) => (lessonIndex === null ? '' : `Lesson ${lessonIndex + 1}`);
