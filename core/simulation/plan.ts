import { MASTERY_SCALED } from '../export/scorm.js';
import { chooseOption, drawQuestion, type QuestionModel } from './item-response.js';
import { randomStream } from './random.js';

/**
 * The learner simulator's model, with no network in it: from a seed, a course's shape (lessons,
 * their estimates, each question's options and the key the server scores against) and the
 * problems to plant, it decides everything every simulated learner does. The same inputs give the
 * same plan, byte for byte, so a run against a fresh server can be repeated exactly; the command
 * (cli/simulate-command.ts) only carries the plan out through the server's learner API.
 *
 * Each learner's draws come from a stream named by the seed and the learner's number, and each
 * question's parameters from a stream named by the seed and the question, so learner 7 does the
 * same whether 10 or 1000 learners are simulated.
 */

export interface SimulatedQuestion {
  questionId: string;
  optionCount: number;
  /** The option the server scores as correct. */
  keyIndex: number;
}

export interface SimulatedLesson {
  lessonIndex: number;
  lessonId: string;
  estimatedMinutes: number;
  questions: SimulatedQuestion[];
}

export interface SimulatedCourse {
  courseId: string;
  lessons: SimulatedLesson[];
}

/**
 * A problem the simulation puts into the data on purpose, for analytics to find:
 * - miskey: learners who know the answer choose an option the server does not key;
 * - dropoff: most learners who reach the lesson stop there for good;
 * - slow: the lesson takes more than three times its estimate.
 */
export type PlantedProblem = { kind: 'miskey'; lessonIndex: number; questionIndex: number } | { kind: 'dropoff'; lessonIndex: number } | { kind: 'slow'; lessonIndex: number };

export interface LessonVisit {
  lessonIndex: number;
  /** When the learner opened the lesson, in seconds before the run starts. */
  viewedSecondsAgo: number;
  /** Time spent reading and answering, in seconds. */
  secondsSpent: number;
  /** Quiz attempts in order, each with one chosen option per question; none when the learner stopped here. */
  attempts: number[][];
  /** Whether the learner marked the lesson complete (everyone who does not stop at it). */
  completed: boolean;
}

export interface LearnerPlan {
  /** 1-based; names the learner's account. */
  learnerNumber: number;
  email: string;
  /** θ, drawn from N(0, 1). */
  ability: number;
  visits: LessonVisit[];
  /** The lesson the learner stopped at without completing it, or null when they finished the course. */
  stoppedAtLessonIndex: number | null;
}

export interface SimulationPlan {
  seed: number;
  courseId: string;
  plants: PlantedProblem[];
  /** Per lesson, per question, in course order. */
  questions: QuestionModel[][];
  learners: LearnerPlan[];
}

/** Every simulated account has this password, so a rerun with the same seed signs the same learners in. */
export const SIMULATED_PASSWORD = 'simulated-learner-password';

export function simulatedLearnerEmail(seed: number, learnerNumber: number): string {
  return `sim-${seed}-${learnerNumber}@example.org`;
}

/** Share of questions to answer right to pass a quiz: the server's pass mark (the SCORM mastery score). */
export const PASS_MARK = MASTERY_SCALED;
/** Chance that a learner who reaches a lesson stops there for good, without a planted problem. */
export const BASE_STOP_RATE = 0.02;
/** Chance that a learner who reaches a planted drop-off lesson stops there for good. */
export const PLANTED_DROPOFF_STOP_RATE = 0.8;
/** A planted slow lesson takes at least this many times its estimate (the analytics flag starts at 2×). */
export const PLANTED_SLOW_FACTOR = 3.3;
/**
 * No simulated activity falls in the ten days before the run, so every learner who stopped has
 * been inactive for longer than the server's default inactivity window (7 days) and counts as a
 * drop-off at once; learners start over the two weeks before that.
 */
export const QUIET_DAYS_BEFORE_RUN = 10;
export const START_SPREAD_DAYS = 14;
const DAY = 86_400;

export function validatePlants(course: SimulatedCourse, plants: readonly PlantedProblem[]): void {
  for (const plant of plants) {
    const lesson = course.lessons[plant.lessonIndex];
    if (!lesson) throw new RangeError(`a ${plant.kind} plant names lesson ${plant.lessonIndex}, but the course has lessons 0 to ${course.lessons.length - 1}`);
    if (plant.kind === 'miskey' && !lesson.questions[plant.questionIndex]) throw new RangeError(`a miskey plant names question ${plant.questionIndex} of lesson ${lesson.lessonId}, which has ${lesson.questions.length} question(s)`);
  }
}

function planLearner(seed: number, learnerNumber: number, course: SimulatedCourse, questions: QuestionModel[][], plants: readonly PlantedProblem[]): LearnerPlan {
  const random = randomStream(`coursewright-simulate/${seed}/learner/${learnerNumber}`);
  const ability = random.normal();
  const dropoff = new Set(plants.filter((plant) => plant.kind === 'dropoff').map((plant) => plant.lessonIndex));
  const slow = new Set(plants.filter((plant) => plant.kind === 'slow').map((plant) => plant.lessonIndex));
  // Times are first laid out forward from the learner's start, then shifted into the past.
  const forward: Array<Omit<LessonVisit, 'viewedSecondsAgo'> & { at: number }> = [];
  let clock = 0;
  let stoppedAtLessonIndex: number | null = null;
  for (const lesson of course.lessons) {
    const estimate = lesson.estimatedMinutes * 60;
    const stops = random.next() < (dropoff.has(lesson.lessonIndex) ? PLANTED_DROPOFF_STOP_RATE : BASE_STOP_RATE);
    if (stops) {
      // Opened, read a little, never came back.
      forward.push({ lessonIndex: lesson.lessonIndex, at: clock, secondsSpent: Math.max(60, Math.round(estimate * random.uniform(0.2, 0.6))), attempts: [], completed: false });
      stoppedAtLessonIndex = lesson.lessonIndex;
      break;
    }
    // Near the estimate (log-normal, never beyond 1.8×), or well over three times it on a slow lesson.
    const factor = slow.has(lesson.lessonIndex) ? PLANTED_SLOW_FACTOR * Math.exp(Math.abs(0.15 * random.normal())) : Math.min(1.8, Math.max(0.5, Math.exp(0.2 * random.normal())));
    const secondsSpent = Math.max(180, Math.round(estimate * factor));
    const attempts: number[][] = [];
    const lessonQuestions = questions[lesson.lessonIndex]!;
    if (lessonQuestions.length > 0) {
      const attempt = () => lessonQuestions.map((question) => chooseOption(random, question, ability));
      const first = attempt();
      attempts.push(first);
      const correct = first.filter((chosen, index) => chosen === lessonQuestions[index]!.keyIndex).length;
      // A learner who failed tries once more before moving on.
      if (correct / lessonQuestions.length < PASS_MARK) attempts.push(attempt());
    }
    forward.push({ lessonIndex: lesson.lessonIndex, at: clock, secondsSpent, attempts, completed: true });
    clock += secondsSpent + Math.round(random.uniform(120, 8 * 3600));
  }
  const last = forward.at(-1);
  const span = last ? last.at + last.secondsSpent : 0;
  const startedSecondsAgo = QUIET_DAYS_BEFORE_RUN * DAY + span + Math.round(random.uniform(0, START_SPREAD_DAYS * DAY));
  return {
    learnerNumber,
    email: simulatedLearnerEmail(seed, learnerNumber),
    ability,
    visits: forward.map(({ at, ...visit }) => ({ ...visit, viewedSecondsAgo: startedSecondsAgo - at })),
    stoppedAtLessonIndex,
  };
}

/** Everything `learners` simulated learners do in a course, decided from the seed alone. */
export function planSimulation(options: { seed: number; learners: number; course: SimulatedCourse; plants?: readonly PlantedProblem[] }): SimulationPlan {
  const { seed, learners, course } = options;
  const plants = [...(options.plants ?? [])];
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`the seed must be a whole number of 0 or more, not ${seed}`);
  if (!Number.isSafeInteger(learners) || learners < 1) throw new RangeError(`the number of learners must be a whole number of 1 or more, not ${learners}`);
  validatePlants(course, plants);
  const questions = course.lessons.map((lesson) =>
    lesson.questions.map((question, questionIndex) =>
      drawQuestion(
        randomStream(`coursewright-simulate/${seed}/question/${lesson.lessonId}/${questionIndex}`),
        { lessonIndex: lesson.lessonIndex, questionIndex, questionId: question.questionId, optionCount: question.optionCount, keyIndex: question.keyIndex },
        plants.some((plant) => plant.kind === 'miskey' && plant.lessonIndex === lesson.lessonIndex && plant.questionIndex === questionIndex),
      ),
    ),
  );
  return {
    seed,
    courseId: course.courseId,
    plants,
    questions,
    learners: Array.from({ length: learners }, (_, index) => planLearner(seed, index + 1, course, questions, plants)),
  };
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** What a planted problem did in a plan, in numbers a person can check against the analytics. */
export type PlantOutcome =
  | { kind: 'miskey'; lessonIndex: number; questionIndex: number; questionId: string; keyIndex: number; plantedAnswerIndex: number; firstAttempts: number; choseKey: number; chosePlantedAnswer: number }
  | { kind: 'dropoff'; lessonIndex: number; reached: number; stopped: number }
  | { kind: 'slow'; lessonIndex: number; estimatedMinutes: number; completions: number; medianMinutesSpent: number | null };

export function plantOutcomes(plan: SimulationPlan, course: SimulatedCourse): PlantOutcome[] {
  return plan.plants.map((plant): PlantOutcome => {
    const visits = plan.learners.flatMap((learner) => learner.visits.filter((visit) => visit.lessonIndex === plant.lessonIndex));
    if (plant.kind === 'miskey') {
      const question = plan.questions[plant.lessonIndex]![plant.questionIndex]!;
      const firsts = visits.flatMap((visit) => (visit.attempts[0] ? [visit.attempts[0][plant.questionIndex]!] : []));
      return { kind: 'miskey', lessonIndex: plant.lessonIndex, questionIndex: plant.questionIndex, questionId: question.questionId, keyIndex: question.keyIndex, plantedAnswerIndex: question.knownAnswerIndex, firstAttempts: firsts.length, choseKey: firsts.filter((chosen) => chosen === question.keyIndex).length, chosePlantedAnswer: firsts.filter((chosen) => chosen === question.knownAnswerIndex).length };
    }
    if (plant.kind === 'dropoff') return { kind: 'dropoff', lessonIndex: plant.lessonIndex, reached: visits.length, stopped: visits.filter((visit) => !visit.completed).length };
    const completed = visits.filter((visit) => visit.completed);
    const minutes = median(completed.map((visit) => visit.secondsSpent / 60));
    return { kind: 'slow', lessonIndex: plant.lessonIndex, estimatedMinutes: course.lessons[plant.lessonIndex]!.estimatedMinutes, completions: completed.length, medianMinutesSpent: minutes === null ? null : Math.round(minutes * 10) / 10 };
  });
}
