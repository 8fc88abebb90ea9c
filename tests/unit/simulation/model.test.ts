import { describe, expect, it } from 'vitest';
import { AnswerKeySearch } from '../../../core/simulation/answer-key.js';
import { probabilityCorrect } from '../../../core/simulation/item-response.js';
import { planSimulation, plantOutcomes, type SimulatedCourse } from '../../../core/simulation/plan.js';
import { randomStream } from '../../../core/simulation/random.js';

/** Six lessons of three four-option questions, keys spread over the options, estimates as authors write them. */
const course: SimulatedCourse = {
  courseId: 'course-sim',
  lessons: Array.from({ length: 6 }, (_, lessonIndex) => ({
    lessonIndex,
    lessonId: `lesson-${lessonIndex + 1}`,
    estimatedMinutes: [45, 60, 30, 50, 40, 60][lessonIndex]!,
    questions: [0, 1, 2].map((questionIndex) => ({ questionId: `q${questionIndex + 1}`, optionCount: 4, keyIndex: (lessonIndex + questionIndex) % 4 })),
  })),
};

describe('the learner simulation model', () => {
  it('gives the same plan for the same seed, and another plan for another seed', () => {
    const first = planSimulation({ seed: 7, learners: 30, course, plants: [{ kind: 'dropoff', lessonIndex: 2 }] });
    const again = planSimulation({ seed: 7, learners: 30, course, plants: [{ kind: 'dropoff', lessonIndex: 2 }] });
    expect(again).toEqual(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const other = planSimulation({ seed: 8, learners: 30, course, plants: [{ kind: 'dropoff', lessonIndex: 2 }] });
    expect(other.learners.map((learner) => learner.ability)).not.toEqual(first.learners.map((learner) => learner.ability));
    expect(other.learners.map((learner) => learner.visits.map((visit) => visit.attempts))).not.toEqual(first.learners.map((learner) => learner.visits.map((visit) => visit.attempts)));
  });

  it('gives learner n the same plan whatever the number of learners, with emails named by seed and number', () => {
    const few = planSimulation({ seed: 3, learners: 5, course });
    const many = planSimulation({ seed: 3, learners: 50, course });
    expect(many.learners.slice(0, 5)).toEqual(few.learners);
    expect(few.learners.map((learner) => learner.email)).toEqual(['sim-3-1@example.org', 'sim-3-2@example.org', 'sim-3-3@example.org', 'sim-3-4@example.org', 'sim-3-5@example.org']);
  });

  it('computes 2PL probabilities: one half at θ = b, the logistic of a(θ − b) elsewhere', () => {
    expect(probabilityCorrect(0, 0, 1)).toBe(0.5);
    expect(probabilityCorrect(1.3, 1.3, 2.4)).toBe(0.5);
    expect(probabilityCorrect(1, 0, 1)).toBeCloseTo(0.7310585786300049, 12);
    expect(probabilityCorrect(0.5, -0.5, 2)).toBeCloseTo(0.8807970779778823, 12);
    expect(probabilityCorrect(-1, 0, 1)).toBeCloseTo(0.2689414213699951, 12);
    // A steeper item separates learners more sharply around its difficulty.
    expect(probabilityCorrect(0.5, 0, 3)).toBeGreaterThan(probabilityCorrect(0.5, 0, 1));
  });

  it('draws abilities from a standard normal: mean near 0, spread near 1', () => {
    const random = randomStream('normal-check');
    const draws = Array.from({ length: 20_000 }, () => random.normal());
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    const variance = draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(variance) - 1)).toBeLessThan(0.03);
  });

  it('a planted miskey makes strong learners choose the planted option, which the server does not key; on a clean question they choose the key', () => {
    const plan = planSimulation({ seed: 11, learners: 400, course, plants: [{ kind: 'miskey', lessonIndex: 1, questionIndex: 1 }] });
    const miskeyed = plan.questions[1]![1]!;
    const serverKey = course.lessons[1]!.questions[1]!.keyIndex;
    expect(miskeyed.miskeyed).toBe(true);
    expect(miskeyed.keyIndex).toBe(serverKey);
    expect(miskeyed.knownAnswerIndex).not.toBe(serverKey);
    const firstAnswers = (lessonIndex: number, questionIndex: number, strong: boolean) =>
      plan.learners.filter((learner) => (strong ? learner.ability > 1 : learner.ability < -1)).flatMap((learner) => learner.visits.filter((visit) => visit.lessonIndex === lessonIndex && visit.attempts[0]).map((visit) => visit.attempts[0]![questionIndex]!));
    const strongOnMiskey = firstAnswers(1, 1, true);
    expect(strongOnMiskey.length).toBeGreaterThan(30);
    expect(strongOnMiskey.filter((chosen) => chosen === miskeyed.knownAnswerIndex).length / strongOnMiskey.length).toBeGreaterThan(0.8);
    expect(strongOnMiskey.filter((chosen) => chosen === serverKey).length / strongOnMiskey.length).toBeLessThan(0.15);
    // Weak learners land on the server's key more often than strong ones: negative discrimination.
    const weakOnMiskey = firstAnswers(1, 1, false);
    expect(weakOnMiskey.filter((chosen) => chosen === serverKey).length / weakOnMiskey.length).toBeGreaterThan(strongOnMiskey.filter((chosen) => chosen === serverKey).length / strongOnMiskey.length + 0.1);
    // The question beside it is keyed as learners know it.
    const clean = plan.questions[1]![0]!;
    expect(clean.miskeyed).toBe(false);
    expect(clean.knownAnswerIndex).toBe(course.lessons[1]!.questions[0]!.keyIndex);
    const strongOnClean = firstAnswers(1, 0, true);
    expect(strongOnClean.filter((chosen) => chosen === clean.keyIndex).length / strongOnClean.length).toBeGreaterThan(0.8);
  });

  it('spreads wrong answers over the distractors with one drawing the most, and never to the known answer', () => {
    const plan = planSimulation({ seed: 5, learners: 1, course });
    for (const question of plan.questions.flat()) {
      expect(question.guessWeights[question.knownAnswerIndex]).toBe(0);
      expect(question.functionalDistractorIndex).not.toBe(question.keyIndex);
      const others = question.guessWeights.filter((_, index) => index !== question.knownAnswerIndex && index !== question.functionalDistractorIndex);
      for (const weight of others) {
        expect(weight).toBeGreaterThan(0);
        expect(question.guessWeights[question.functionalDistractorIndex]).toBeGreaterThan(weight);
      }
    }
  });

  it('a planted drop-off lesson is where most learners stop, and they never continue; without it few stop', () => {
    const plan = planSimulation({ seed: 21, learners: 200, course, plants: [{ kind: 'dropoff', lessonIndex: 2 }] });
    const stops = plan.learners.map((learner) => learner.stoppedAtLessonIndex).filter((index) => index !== null);
    const atPlanted = stops.filter((index) => index === 2).length;
    expect(atPlanted / plan.learners.filter((learner) => learner.visits.some((visit) => visit.lessonIndex === 2)).length).toBeGreaterThan(0.6);
    for (const other of [0, 1, 3, 4, 5]) expect(stops.filter((index) => index === other).length).toBeLessThan(atPlanted / 5);
    for (const learner of plan.learners.filter((candidate) => candidate.stoppedAtLessonIndex !== null)) {
      expect(learner.visits.at(-1)!.lessonIndex).toBe(learner.stoppedAtLessonIndex);
      expect(learner.visits.at(-1)!.completed).toBe(false);
      expect(learner.visits.at(-1)!.attempts).toEqual([]);
    }
    const outcome = plantOutcomes(plan, course)[0]!;
    expect(outcome).toMatchObject({ kind: 'dropoff', lessonIndex: 2, stopped: atPlanted });
    const clean = planSimulation({ seed: 21, learners: 200, course });
    expect(clean.learners.filter((learner) => learner.stoppedAtLessonIndex !== null).length / 200).toBeLessThan(0.25);
    expect(clean.learners.filter((learner) => learner.stoppedAtLessonIndex === null).every((learner) => learner.visits.length === 6 && learner.visits.every((visit) => visit.completed))).toBe(true);
  });

  it('every learner read in order, and stopped learners went quiet more than a week before the run', () => {
    const plan = planSimulation({ seed: 2, learners: 100, course, plants: [{ kind: 'dropoff', lessonIndex: 1 }] });
    for (const learner of plan.learners) {
      expect(learner.visits.map((visit) => visit.lessonIndex)).toEqual(learner.visits.map((_, index) => index));
      for (let index = 1; index < learner.visits.length; index++) expect(learner.visits[index]!.viewedSecondsAgo).toBeLessThan(learner.visits[index - 1]!.viewedSecondsAgo - learner.visits[index - 1]!.secondsSpent);
      const last = learner.visits.at(-1)!;
      expect(last.viewedSecondsAgo - last.secondsSpent).toBeGreaterThan(7 * 86_400);
    }
  });

  it('a planted slow lesson takes over three times its estimate; other lessons stay near theirs', () => {
    const plan = planSimulation({ seed: 9, learners: 100, course, plants: [{ kind: 'slow', lessonIndex: 3 }] });
    const ratios = (lessonIndex: number) => plan.learners.flatMap((learner) => learner.visits.filter((visit) => visit.lessonIndex === lessonIndex && visit.completed).map((visit) => visit.secondsSpent / (course.lessons[lessonIndex]!.estimatedMinutes * 60)));
    expect(ratios(3).length).toBeGreaterThan(50);
    expect(Math.min(...ratios(3))).toBeGreaterThan(3);
    for (const other of [0, 1, 2, 4, 5]) {
      const sorted = ratios(other).sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)]!).toBeGreaterThan(0.8);
      expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(1.25);
      expect(Math.max(...sorted)).toBeLessThanOrEqual(1.8);
    }
    const outcome = plantOutcomes(plan, course)[0]!;
    expect(outcome.kind === 'slow' && outcome.medianMinutesSpent! > 3 * 50).toBe(true);
  });

  it('a learner who fails a quiz tries once more; one who passes does not', () => {
    const plan = planSimulation({ seed: 4, learners: 200, course });
    const keys = course.lessons.map((lesson) => lesson.questions.map((question) => question.keyIndex));
    let retries = 0;
    for (const visit of plan.learners.flatMap((learner) => learner.visits.filter((candidate) => candidate.completed))) {
      const correct = visit.attempts[0]!.filter((chosen, index) => chosen === keys[visit.lessonIndex]![index]).length;
      expect(visit.attempts.length).toBe(correct === 3 ? 1 : 2);
      if (visit.attempts.length === 2) retries += 1;
    }
    expect(retries).toBeGreaterThan(0);
  });

  it('refuses plants outside the course and learner counts below one', () => {
    expect(() => planSimulation({ seed: 1, learners: 0, course })).toThrow(/1 or more/);
    expect(() => planSimulation({ seed: 1, learners: 3, course, plants: [{ kind: 'slow', lessonIndex: 6 }] })).toThrow(/lessons 0 to 5/);
    expect(() => planSimulation({ seed: 1, learners: 3, course, plants: [{ kind: 'miskey', lessonIndex: 0, questionIndex: 3 }] })).toThrow(/3 question/);
    expect(planSimulation({ seed: 1, learners: 3, course, plants: [{ kind: 'miskey', lessonIndex: 5, questionIndex: 2 }] }).learners).toHaveLength(3);
  });
});

describe('learning a quiz key from the server’s scoring', () => {
  const score = (keys: number[]) => (answers: number[]) => answers.map((chosen, index) => chosen === keys[index]);

  it('finds every key within options − 1 attempts, whatever the keys are', () => {
    for (const keys of [[0, 1, 2], [3, 3, 3], [2, 0, 3], [1, 1, 0]]) {
      const search = new AnswerKeySearch([4, 4, 4], `probe-${keys.join('')}`);
      const scorer = score(keys);
      let attempts = 0;
      for (let answers = search.nextAttempt(); answers !== null; answers = search.nextAttempt()) {
        search.record(answers, scorer(answers));
        attempts += 1;
      }
      expect(search.result()).toEqual(keys);
      expect(attempts).toBeLessThanOrEqual(3);
    }
  });

  it('needs no attempt for a quiz without questions, and refuses to name keys it has not learned', () => {
    expect(new AnswerKeySearch([], 'empty').nextAttempt()).toBeNull();
    expect(new AnswerKeySearch([], 'empty').result()).toEqual([]);
    expect(() => new AnswerKeySearch([4], 'one').result()).toThrow(/not known yet/);
  });
});
