import { describe, expect, it } from 'vitest';
import type { ModelProvider, ModelRequest, ModelResponse, ModelTask, ModerationHook } from '../../../core/ai/port.js';
import { generateValidated, judgeModelOutput, type GenerationStage, type ValidatedGenerationRequest, type Verdict } from '../../../core/ai/validated-generation.js';
import { CoursewrightError } from '../../../schemas/errors.js';
import type { LearningIntent } from '../../../schemas/intent.js';

const intent: LearningIntent = { title: 'Intro to SQL', audience: 'Analysts', level: 'beginner', timeBudgetHours: 2, teachingStyle: 'worked examples', constraints: [], language: 'en' };
const task: ModelTask = { kind: 'syllabus.generate', intent };
const messages = [
  { role: 'system' as const, content: 'You write syllabi.' },
  { role: 'user' as const, content: 'Intro to SQL' },
];

/** A course answer is good when it has a non-empty string title. */
function judgeTitle(value: unknown): Verdict<{ title: string }> {
  const title = (value as { title?: unknown }).title;
  return typeof title === 'string' && title !== '' ? { ok: true, value: { title } } : { ok: false, errors: ['title: must be a non-empty string', 'modules: missing'] };
}

type Answer = string | Partial<ModelResponse>;

/** Plays back answers in order (text, or a whole response) and records every request. */
function scripted(answers: Answer[]) {
  const requests: ModelRequest[] = [];
  const provider: ModelProvider = {
    name: 'scripted',
    model: 'script-1',
    complete: async (request) => {
      requests.push(request);
      const answer = answers[requests.length - 1];
      if (answer === undefined) throw new Error('script ran out');
      const response: ModelResponse = { content: '', provider: 'scripted', model: 'script-1-2024', usage: { promptTokens: 10, completionTokens: 20 } };
      return typeof answer === 'string' ? { ...response, content: answer } : { ...response, ...answer };
    },
  };
  return { provider, requests };
}

function generate(answers: Answer[], extra: Partial<ValidatedGenerationRequest<{ title: string }>> = {}) {
  const { provider, requests } = scripted(answers);
  const stages: Array<[GenerationStage, number, number, string]> = [];
  const repairTasks: Array<[string, string[]]> = [];
  const result = generateValidated({
    provider,
    purpose: 'syllabus',
    messages,
    task,
    repairTask: (previousOutput, errors) => {
      repairTasks.push([previousOutput, errors]);
      return { kind: 'syllabus.repair', intent, previousOutput, errors };
    },
    repairMessage: (errors) => `Fix these: ${errors.join(' | ')}`,
    responseSchema: { name: 'syllabus', schema: { type: 'object' } },
    judge: judgeTitle,
    what: 'syllabus',
    wayOut: 'Try another model.',
    onStage: (...stage) => void stages.push(stage),
    ...extra,
  });
  return { result, requests, stages, repairTasks };
}

async function failure(promise: Promise<unknown>): Promise<CoursewrightError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CoursewrightError);
  return error as CoursewrightError;
}

const good = '{"title": "Intro to SQL"}';
const bad = '{"title": ""}';

describe('a good first answer', () => {
  it('is returned after one call, with the usage, provider and the model that answered', async () => {
    const { result, requests } = generate([good]);
    await expect(result).resolves.toEqual({ value: { title: 'Intro to SQL' }, attempts: 1, usage: { promptTokens: 10, completionTokens: 20 }, provider: 'scripted', model: 'script-1-2024' });
    expect(requests).toHaveLength(1);
  });

  it('is asked for with the purpose, messages, task and response schema it was given', async () => {
    const { result, requests } = generate([good]);
    await result;
    expect(requests[0]).toEqual({ purpose: 'syllabus.generate', messages, task, responseSchema: { name: 'syllabus', schema: { type: 'object' } } });
  });

  it('passes temperature, timeout and the caller signal on only when they are set', async () => {
    const signal = new AbortController().signal;
    const set = generate([good], { temperature: 0.2, timeoutMs: 9000, signal });
    await set.result;
    expect(set.requests[0]).toMatchObject({ temperature: 0.2, timeoutMs: 9000 });
    expect(set.requests[0]!.signal).toBe(signal);

    const zero = generate([good], { temperature: 0, timeoutMs: 0 });
    await zero.result;
    expect(zero.requests[0]).toMatchObject({ temperature: 0, timeoutMs: 0 });

    const unset = generate([good]);
    await unset.result;
    expect(Object.keys(unset.requests[0]!).sort()).toEqual(['messages', 'purpose', 'responseSchema', 'task']);
  });

  it('works without anyone listening to its progress', async () => {
    const { result } = generate([bad, good], { onStage: undefined });
    await expect(result).resolves.toMatchObject({ attempts: 2 });
  });

  it('reports calling the model, then checking the answer', async () => {
    const { result, stages } = generate([good]);
    await result;
    expect(stages).toEqual([
      ['calling-model', 1, 3, 'asking the model for the syllabus'],
      ['validating', 1, 3, 'checking the answer'],
    ]);
  });
});

describe('the bounded repair loop', () => {
  it('shows the model its own answer and errors, and keeps the one it repairs', async () => {
    const { result, requests, stages, repairTasks } = generate([bad, good]);
    await expect(result).resolves.toMatchObject({ value: { title: 'Intro to SQL' }, attempts: 2, usage: { promptTokens: 20, completionTokens: 40 } });
    expect(requests[1]).toMatchObject({
      purpose: 'syllabus.repair',
      task: { kind: 'syllabus.repair', previousOutput: bad, errors: ['title: must be a non-empty string', 'modules: missing'] },
      messages: [...messages, { role: 'assistant', content: bad }, { role: 'user', content: 'Fix these: title: must be a non-empty string | modules: missing' }],
    });
    expect(repairTasks).toEqual([[bad, ['title: must be a non-empty string', 'modules: missing']]]);
    expect(stages).toEqual([
      ['calling-model', 1, 3, 'asking the model for the syllabus'],
      ['validating', 1, 3, 'checking the answer'],
      ['repairing', 2, 3, 'asking the model to fix 2 problem(s)'],
      ['validating', 2, 3, 'checking the answer'],
    ]);
  });

  it('each repair sees only the latest answer, not the whole history', async () => {
    const { result, requests, repairTasks } = generate(['{"nope": 1}', 'not json at all', good]);
    await expect(result).resolves.toMatchObject({ attempts: 3 });
    expect(requests[2]!.messages).toEqual([
      ...messages,
      { role: 'assistant', content: 'not json at all' },
      { role: 'user', content: 'Fix these: no JSON object found in the model output' },
    ]);
    expect(repairTasks.map(([output]) => output)).toEqual(['{"nope": 1}', 'not json at all']);
  });

  it('gives up after two repairs by default with the last problems, the way out, and nothing returned', async () => {
    const { result, requests } = generate([bad, bad, '{"title": 5}']);
    const error = await failure(result);
    expect(requests).toHaveLength(3);
    expect(error.code).toBe('MODEL_OUTPUT_INVALID');
    expect(error.message).toBe(
      "The model's syllabus was still invalid after 3 attempts, so nothing was saved. Last problems: title: must be a non-empty string; modules: missing. Try another model.",
    );
    expect(error.details).toEqual({ errors: ['title: must be a non-empty string', 'modules: missing'], truncatedAnswers: 0 });
  });

  it('makes exactly 1 + maxRepairs calls', async () => {
    const none = generate([bad, good], { maxRepairs: 0 });
    expect((await failure(none.result)).message).toContain('after 1 attempts');
    expect(none.requests).toHaveLength(1);

    const one = generate([bad, bad, good], { maxRepairs: 1 });
    expect((await failure(one.result)).message).toContain('after 2 attempts');
    expect(one.requests).toHaveLength(2);

    const stages = generate([bad, good], { maxRepairs: 5 });
    await expect(stages.result).resolves.toMatchObject({ attempts: 2 });
    expect(stages.stages[0]).toEqual(['calling-model', 1, 6, 'asking the model for the syllabus']);
  });

  it('lists at most five of the last problems in the message, and all of them in the details', async () => {
    const errors = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7'];
    const { result } = generate([bad], { maxRepairs: 0, judge: () => ({ ok: false, errors }) });
    const error = await failure(result);
    expect(error.message).toContain('Last problems: e1; e2; e3; e4; e5. Try another model.');
    expect(error.details).toMatchObject({ errors });
  });
});

describe('answers cut off at the output limit', () => {
  it('refuses an answer the provider marked as cut off, even when its JSON looks whole', async () => {
    const { result, requests } = generate([{ content: good, truncated: true }, good]);
    await expect(result).resolves.toMatchObject({ attempts: 2 });
    expect(requests[1]!.task).toMatchObject({
      errors: [
        "the answer was cut off before its JSON ended (the model reported that it reached its output length limit), probably at the model's output length limit, so none of it was kept. Send the complete JSON object again from its first brace to its last; keep every module, lesson and question that was asked for, and use fewer words per field if space is short",
      ],
    });
  });

  it('an answer the provider says is whole is judged on its content', async () => {
    const { result } = generate([{ content: good, truncated: false }]);
    await expect(result).resolves.toMatchObject({ attempts: 1 });
  });

  it('when every answer was cut off, says the model needs room for longer answers', async () => {
    const { result } = generate([{ content: good, truncated: true }, '{"title": "Intro', { content: good, truncated: true }]);
    const error = await failure(result);
    expect(error.message).toContain(
      " Every answer was cut off at the model's output length limit: this syllabus needs a model (or a max-tokens setting) that allows longer answers. Try another model.",
    );
    expect(error.details).toMatchObject({ truncatedAnswers: 3 });
  });

  it('does not say so when one of the answers was complete but wrong', async () => {
    const { result } = generate([{ content: good, truncated: true }, bad, '{"title": "Intro']);
    const error = await failure(result);
    expect(error.message).not.toContain('Every answer was cut off');
    expect(error.details).toMatchObject({ truncatedAnswers: 2 });
  });
});

describe('moderation of the answer', () => {
  const refuseBombs: ModerationHook = {
    name: 'test moderation',
    check: (text) => (text.includes('bomb') ? { allowed: false, reason: 'mentions a bomb' } : { allowed: true }),
  };

  it('refuses an answer the moderation hook rejects, and keeps one it allows', async () => {
    const { result, requests } = generate(['{"title": "bomb making"}', good], { moderation: refuseBombs });
    await expect(result).resolves.toMatchObject({ value: { title: 'Intro to SQL' }, attempts: 2 });
    expect(requests[1]!.task).toMatchObject({ errors: ['output rejected by test moderation: mentions a bomb'] });
  });

  it('a moderated answer does not count as cut off', async () => {
    const { result } = generate(['{"title": "bomb"}'], { moderation: refuseBombs, maxRepairs: 0 });
    expect((await failure(result)).details).toEqual({ errors: ['output rejected by test moderation: mentions a bomb'], truncatedAnswers: 0 });
  });
});

describe('judging raw model text', () => {
  const refuseAll: ModerationHook = { name: 'strict', check: () => ({ allowed: false, reason: 'no' }) };

  it('parses, then judges the parsed value', () => {
    expect(judgeModelOutput('Sure: {"title": "SQL"}', judgeTitle)).toEqual({ ok: true, value: { title: 'SQL' } });
    expect(judgeModelOutput(bad, judgeTitle)).toEqual({ ok: false, errors: ['title: must be a non-empty string', 'modules: missing'] });
  });

  it('says why text that is not JSON was refused', () => {
    expect(judgeModelOutput('no idea', judgeTitle)).toEqual({ ok: false, errors: ['no JSON object found in the model output'] });
  });

  it('lets moderation refuse first, and allow what it passes', () => {
    expect(judgeModelOutput('{"title": "SQL"}', judgeTitle, refuseAll)).toEqual({ ok: false, errors: ['output rejected by strict: no'] });
    expect(judgeModelOutput('{"title": "SQL"}', judgeTitle, { name: 'lenient', check: () => ({ allowed: true }) })).toEqual({ ok: true, value: { title: 'SQL' } });
  });
});
