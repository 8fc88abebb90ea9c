import type { RandomStream } from './random.js';

/**
 * The two-parameter logistic item-response model (2PL): the chance that a learner of ability θ
 * knows the answer to a question of difficulty b and discrimination a is 1 / (1 + e^(−a(θ − b))).
 * At θ = b it is one half; a sets how sharply it rises with ability.
 */
export function probabilityCorrect(ability: number, difficulty: number, discrimination: number): number {
  return 1 / (1 + Math.exp(-discrimination * (ability - difficulty)));
}

/**
 * How clean questions are drawn, chosen so that clean data trips as few analytics rules as
 * possible. Difficulties sit below the average learner (θ ~ N(0, 1)), so a question is answered
 * correctly by about 75–85% of learners; discriminations are high, so the three questions of a
 * quiz agree with each other (item–rest correlations above 0.2) and most learners who know one
 * know all three, which is what passing the server's 70% mark on three questions takes. The
 * rules pull against each other: easier questions leave distractors under the 5% "non-functional"
 * line, harder ones drop first-attempt pass rates under 50%; with these values, on 200 learners a
 * third of clean questions still show a distractor under 5%, and about one quiz in six a pass
 * rate under 50%.
 */
export const DIFFICULTY_RANGE = [-1.2, -0.6] as const;
export const DISCRIMINATION_RANGE = [2.2, 3.2] as const;
/**
 * Share of wrong answers the functional distractor draws; the other distractors share the rest
 * equally (0.32 each with four options). Every question has one distractor that is plausible by
 * design, and none that nobody chooses.
 */
export const FUNCTIONAL_DISTRACTOR_SHARE = 0.36;

/** One quiz question as the simulation models it. */
export interface QuestionModel {
  lessonIndex: number;
  questionIndex: number;
  questionId: string;
  optionCount: number;
  /** The option the server scores as correct. */
  keyIndex: number;
  difficulty: number;
  discrimination: number;
  /** The option learners who know the answer choose: the key, or for a planted miskey another option. */
  knownAnswerIndex: number;
  /** The distractor designed to be plausible (never the known answer). */
  functionalDistractorIndex: number;
  /** What learners who do not know choose: a weight per option, 0 for the known answer. */
  guessWeights: number[];
  miskeyed: boolean;
}

/**
 * Draws a question's parameters. A planted miskey keeps the server's key as it is and makes the
 * functional distractor the answer learners who know choose, while the server's key becomes what
 * learners who do not know are drawn to: strong learners are scored wrong and weak ones right,
 * which is how a miskeyed question looks in real data (negative discrimination, a distractor
 * outdrawing the key among the top scorers).
 */
export function drawQuestion(random: RandomStream, shape: { lessonIndex: number; questionIndex: number; questionId: string; optionCount: number; keyIndex: number }, miskeyed: boolean): QuestionModel {
  const { optionCount, keyIndex } = shape;
  if (optionCount < 2) throw new Error(`question ${shape.questionId} has ${optionCount} option(s); a multiple-choice question needs at least two`);
  if (keyIndex < 0 || keyIndex >= optionCount) throw new Error(`question ${shape.questionId} keys option ${keyIndex} of ${optionCount}`);
  const difficulty = random.uniform(DIFFICULTY_RANGE[0], DIFFICULTY_RANGE[1]);
  const discrimination = random.uniform(DISCRIMINATION_RANGE[0], DISCRIMINATION_RANGE[1]);
  const distractors = Array.from({ length: optionCount }, (_, index) => index).filter((index) => index !== keyIndex);
  const functionalDistractorIndex = distractors[Math.floor(random.next() * distractors.length)]!;
  const knownAnswerIndex = miskeyed ? functionalDistractorIndex : keyIndex;
  // Who does not know is drawn to the plausible wrong answer: the functional distractor, or under
  // a miskey the option the server keys (it then plays the distractor's part).
  const attractor = miskeyed ? keyIndex : functionalDistractorIndex;
  const others = optionCount - 2;
  const guessWeights = Array.from({ length: optionCount }, (_, index) => {
    if (index === knownAnswerIndex) return 0;
    if (index === attractor) return others === 0 ? 1 : FUNCTIONAL_DISTRACTOR_SHARE;
    return (1 - FUNCTIONAL_DISTRACTOR_SHARE) / others;
  });
  return { ...shape, difficulty, discrimination, knownAnswerIndex, functionalDistractorIndex, guessWeights, miskeyed };
}

/** The option one learner chooses: the known answer with the 2PL probability, else a guess among the others. */
export function chooseOption(random: RandomStream, question: QuestionModel, ability: number): number {
  if (random.next() < probabilityCorrect(ability, question.difficulty, question.discrimination)) return question.knownAnswerIndex;
  return random.weighted(question.guessWeights);
}
