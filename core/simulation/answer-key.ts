import { randomStream } from './random.js';

/**
 * Learning a quiz's answer key through the learner API, which never sends keys: the server says,
 * after each attempt, which answers were right. One account (the simulator's "answer-key probe")
 * answers each quiz until every question's key is known. Its first attempt is a uniform guess, the
 * answers of a learner who knows nothing, so the one first attempt it adds to the item statistics
 * looks like a weak learner's rather than a pattern (always option 0) that would skew option shares;
 * later attempts try, per question, the lowest option not yet ruled out. A question whose other
 * options are all ruled out needs no attempt. At most (options − 1) attempts per quiz.
 */
export class AnswerKeySearch {
  private readonly keys: Array<number | null>;
  private readonly ruledOut: Array<Set<number>>;
  private readonly firstGuess: number[];
  private attempts = 0;

  constructor(
    private readonly optionCounts: readonly number[],
    seedName: string,
  ) {
    this.keys = optionCounts.map(() => null);
    this.ruledOut = optionCounts.map(() => new Set<number>());
    const random = randomStream(seedName);
    this.firstGuess = optionCounts.map((count) => Math.floor(random.next() * count));
    optionCounts.forEach((_, index) => this.deduce(index));
  }

  /** Records which answers of an attempt the server scored correct. */
  record(answers: readonly number[], correct: readonly boolean[]): void {
    this.attempts += 1;
    answers.forEach((chosen, index) => {
      if (correct[index]) this.keys[index] = chosen;
      else this.ruledOut[index]!.add(chosen);
      this.deduce(index);
    });
  }

  private deduce(index: number): void {
    if (this.keys[index] !== null) return;
    const left = Array.from({ length: this.optionCounts[index]! }, (_, option) => option).filter((option) => !this.ruledOut[index]!.has(option));
    if (left.length === 1) this.keys[index] = left[0]!;
    if (left.length === 0) throw new Error(`every option of question ${index + 1} was scored wrong; the server's key changed while the simulator was learning it`);
  }

  /** The next attempt to send, or null once every key is known. */
  nextAttempt(): number[] | null {
    if (this.keys.every((key) => key !== null)) return null;
    if (this.attempts === 0) return [...this.firstGuess];
    return this.optionCounts.map((count, index) => {
      const known = this.keys[index];
      if (known !== null && known !== undefined) return known;
      return Array.from({ length: count }, (_, option) => option).find((option) => !this.ruledOut[index]!.has(option))!;
    });
  }

  /** The keys, once nextAttempt() has returned null. */
  result(): number[] {
    if (this.keys.some((key) => key === null)) throw new Error('the answer key is not known yet');
    return this.keys as number[];
  }
}
