import { CoursewrightError } from '../../schemas/errors.js';
import type { LearningIntent } from '../../schemas/intent.js';
import type { Syllabus, SyllabusLesson, SyllabusModule } from '../../schemas/syllabus.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { writeMockContent } from './mock-content.js';
import { realSleep, type Sleep } from './resilience.js';
import { ModelError, type ModelProvider, type ModelRequest } from './port.js';

export const mockFaults = ['rate_limited', 'server_error', 'network_error', 'timeout', 'malformed', 'fenced', 'truncated', 'ok'] as const;
export type MockFault = (typeof mockFaults)[number];

export interface MockProviderOptions {
  latencyMs?: number;
  /** Applied to successive calls; after the script runs out every call is 'ok'. */
  faults?: MockFault[];
  shape?: { modules: number; lessonsPerModule: number };
  sleep?: Sleep;
}

export function parseMockFaults(spec: string): MockFault[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      if (!(mockFaults as readonly string[]).includes(entry)) {
        throw new CoursewrightError('USAGE', `Unknown mock fault "${entry}". Use a comma-separated list of: ${mockFaults.join(', ')}.`);
      }
      return entry as MockFault;
    });
}

/** mulberry32: small, fast, and the same sequence everywhere for the same seed. */
function rngFrom(seedText: string): () => number {
  let a = parseInt(sha256Hex(seedText).slice(0, 8), 16) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fillerWords = new Set('a an the practical introduction intro to basics fundamentals course essentials guide hands-on applied modern complete beginners beginner'.split(' '));

/** Topic phrases from the course title: "Practical Data Visualisation with Python" → data visualisation, python. */
function topicPhrases(intent: LearningIntent): string[] {
  const phrases = intent.title
    .split(/\s*(?:\bwith\b|\bfor\b|\busing\b|\band\b|\bin\b|\bof\b|:|–|—|-\s|,|&)\s*/i)
    .map((phrase) =>
      phrase
        .split(/\s+/)
        .filter((w) => w && !fillerWords.has(w.toLowerCase()))
        .join(' ')
        .trim(),
    )
    .filter((phrase) => phrase.length > 1);
  // A title in a script without spaces (Japanese, say) stays one phrase, used verbatim.
  return phrases.length ? [...new Set(phrases)] : [intent.title];
}

const objectivesByLevel = {
  beginner: [
    (t: string) => `Identify the main parts of ${t} in a worked example`,
    (t: string) => `Describe what ${t} is used for in everyday work`,
    (t: string) => `Apply a basic ${t} technique to a small dataset`,
    (t: string) => `Recognise common mistakes in a short ${t} exercise`,
    (t: string) => `Explain a ${t} result to a colleague in plain language`,
    (t: string) => `List the steps of a simple ${t} task in order`,
  ],
  intermediate: [
    (t: string) => `Apply ${t} techniques to a realistic dataset`,
    (t: string) => `Compare two approaches to ${t} and choose one for a given case`,
    (t: string) => `Diagnose why a ${t} result is wrong`,
    (t: string) => `Implement a ${t} workflow from start to finish`,
    (t: string) => `Justify a ${t} design decision to a stakeholder`,
    (t: string) => `Analyse a ${t} example for strengths and weaknesses`,
  ],
  advanced: [
    (t: string) => `Evaluate competing ${t} strategies against explicit criteria`,
    (t: string) => `Design a ${t} solution for an ambiguous brief`,
    (t: string) => `Optimise an existing ${t} workflow for speed and clarity`,
    (t: string) => `Critique a published ${t} example`,
    (t: string) => `Defend a ${t} architecture choice in a review`,
    (t: string) => `Synthesise ${t} findings into a recommendation`,
  ],
} as const;

const moduleArcs = [
  (t: string) => `Getting started with ${t}`,
  (t: string) => `Core ideas of ${t}`,
  (t: string) => `Working with ${t} step by step`,
  (t: string) => `${cap(t)} in real situations`,
  (t: string) => `Common pitfalls in ${t}`,
  (t: string) => `Making ${t} reliable`,
  (t: string) => `Communicating with ${t}`,
  (t: string) => `Going further with ${t}`,
  (t: string) => `Reviewing and improving ${t} work`,
  (t: string) => `Putting ${t} together`,
];

const lessonPatterns = [
  (t: string) => `What ${t} is for`,
  (t: string) => `Reading ${t} examples closely`,
  (t: string) => `Your first ${t} exercise`,
  (t: string) => `Key vocabulary of ${t}`,
  (t: string) => `Choosing the right ${t} approach`,
  (t: string) => `Checking ${t} results`,
  (t: string) => `Fixing mistakes in ${t}`,
  (t: string) => `${cap(t)} with real data`,
  (t: string) => `Comparing ${t} options`,
  (t: string) => `Explaining ${t} to others`,
  (t: string) => `Planning a ${t} task`,
  (t: string) => `${cap(t)} under constraints`,
  (t: string) => `Automating repetitive ${t} work`,
  (t: string) => `Reviewing a peer's ${t} work`,
];

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** Spreads `total` minutes over `count` lessons in 5-minute steps, with some natural variation. */
function spreadMinutes(total: number, count: number, rng: () => number): number[] {
  const weights = Array.from({ length: count }, () => 0.75 + rng() * 0.5);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => Math.min(600, Math.max(5, Math.round(((total * w) / sum) / 5) * 5)));
}

/** A realistic syllabus written from the intent: same intent, same bytes. */
export function writeMockSyllabus(intent: LearningIntent, shape?: MockProviderOptions['shape']): Syllabus {
  const rng = rngFrom(canonicalJson(intent));
  const topics = topicPhrases(intent);
  const budget = Math.max(5, Math.round(intent.timeBudgetHours * 60));
  const lessonLength = intent.level === 'beginner' ? 40 : intent.level === 'intermediate' ? 50 : 60;
  const lessonCount = shape ? shape.modules * shape.lessonsPerModule : Math.max(2, Math.min(600, Math.round(budget / lessonLength)));
  const perModule = shape ? shape.lessonsPerModule : 3 + Math.floor(rng() * 3);
  const moduleCount = shape ? shape.modules : Math.max(1, Math.ceil(lessonCount / perModule));
  const minutes = spreadMinutes(budget, lessonCount, rng);
  const wantsProject = intent.constraints.some((c) => /project|capstone/i.test(c));
  const objectiveWriters = objectivesByLevel[intent.level];
  const usedTitles = new Set<string>();

  const modules: SyllabusModule[] = [];
  let lessonNumber = 0;
  let previousLessonId: string | undefined;
  for (let m = 0; m < moduleCount; m++) {
    const remaining = lessonCount - lessonNumber;
    const size = shape ? shape.lessonsPerModule : Math.min(remaining - (moduleCount - m - 1), Math.ceil(remaining / (moduleCount - m)));
    const topic = topics[m % topics.length]!.toLowerCase();
    const arc = moduleArcs[(m + Math.floor(rng() * 3)) % moduleArcs.length]!;
    const isLast = m === moduleCount - 1;
    let moduleTitle = isLast && wantsProject && !shape ? `Capstone project: ${intent.title}` : arc(topic);
    if (usedTitles.has(moduleTitle.toLowerCase())) moduleTitle = `${moduleTitle} (part ${m + 1})`;
    usedTitles.add(moduleTitle.toLowerCase());
    const moduleId = `m${m + 1}-${topic.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'module'}`;
    const lessons: SyllabusLesson[] = [];
    for (let l = 0; l < size; l++) {
      const lessonTopic = topics[(m + l) % topics.length]!.toLowerCase();
      let title = pick(rng, lessonPatterns)(lessonTopic);
      if (usedTitles.has(title.toLowerCase())) title = `${title}, part ${m + 1}.${l + 1}`;
      usedTitles.add(title.toLowerCase());
      const id = `${moduleId}-l${l + 1}`;
      const objectiveCount = 2 + Math.floor(rng() * 2);
      const firstObjective = Math.floor(rng() * objectiveWriters.length);
      const objectives = Array.from({ length: objectiveCount }, (_, i) => objectiveWriters[(firstObjective + i) % objectiveWriters.length]!(lessonTopic));
      const lastInModule = l === size - 1;
      const hooks: SyllabusLesson['assessmentHooks'] = [];
      if (rng() < 0.85 || lastInModule) hooks.push({ kind: 'quiz', description: `Check understanding of ${title.toLowerCase()}` });
      if (lastInModule && (wantsProject || shape)) hooks.push({ kind: 'project', description: isLast && wantsProject ? `Capstone: plan, build and present a ${topic} piece of work` : `Hands-on exercise applying ${moduleTitle.toLowerCase()}` });
      lessons.push({
        id,
        index: l,
        title,
        summary: `${cap(intent.teachingStyle.split(/[,.;]/)[0]!.trim())}: ${title.toLowerCase()} for ${intent.audience.toLowerCase()}.`.slice(0, 1000),
        objectives,
        prerequisites: previousLessonId ? [previousLessonId] : [],
        estimatedMinutes: minutes[lessonNumber]!,
        assessmentHooks: hooks,
      });
      previousLessonId = id;
      lessonNumber++;
    }
    modules.push({
      id: moduleId,
      index: m,
      title: moduleTitle,
      summary: `Module ${m + 1} of ${moduleCount}: ${moduleTitle.toLowerCase()}.`,
      estimatedMinutes: lessons.reduce((s, x) => s + x.estimatedMinutes, 0),
      lessons,
    });
  }
  const constraintsNote = intent.constraints.length ? ` Designed around these constraints: ${intent.constraints.join('; ')}.` : '';
  return {
    title: intent.title,
    summary: `A ${intent.level} course for ${intent.audience}, taught through ${intent.teachingStyle}.${constraintsNote}`.slice(0, 4000),
    audience: intent.audience,
    level: intent.level,
    language: intent.language,
    totalEstimatedMinutes: modules.reduce((s, m) => s + m.estimatedMinutes, 0),
    modules,
  };
}

function usageFor(request: ModelRequest, completion: string) {
  const promptChars = request.messages.reduce((n, m) => n + m.content.length, 0);
  return { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(completion.length / 4) };
}

/**
 * The deterministic mock model: realistic answers derived from the task, optional latency, and a
 * scripted sequence of faults so retries, repairs and fallbacks can be exercised offline.
 */
export function createMockProvider(options: MockProviderOptions = {}): ModelProvider {
  const faults = [...(options.faults ?? [])];
  const sleep = options.sleep ?? realSleep;
  const model = 'mock-syllabus-1';

  function answer(request: ModelRequest): string {
    switch (request.task.kind) {
      case 'syllabus.generate':
      case 'syllabus.repair':
        return JSON.stringify(writeMockSyllabus(request.task.intent, options.shape));
      case 'content.generate':
      case 'content.repair':
        return JSON.stringify(writeMockContent(request.task.request));
    }
  }

  return {
    name: 'mock',
    model,
    async complete(request) {
      if (request.signal?.aborted) throw new ModelError('cancelled', 'The model call was cancelled.');
      if (options.latencyMs) await sleep(options.latencyMs, request.signal);
      const fault = faults.shift() ?? 'ok';
      const where = { provider: 'mock', model };
      switch (fault) {
        case 'rate_limited':
          throw new ModelError('rate_limited', 'mock: rate limited (429).', { ...where, status: 429, retryAfterMs: 1000 });
        case 'server_error':
          throw new ModelError('server_error', 'mock: server error (500).', { ...where, status: 500 });
        case 'network_error':
          throw new ModelError('network_error', 'mock: connection reset.', where);
        case 'timeout':
          throw new ModelError('timeout', 'mock: no answer in time.', where);
        default:
          break;
      }
      const valid = answer(request);
      const content =
        fault === 'malformed'
          ? 'I would be happy to help design this course! Let me think about the modules first.'
          : fault === 'fenced'
            ? `Here is the syllabus you asked for:\n\`\`\`json\n${valid}\n\`\`\``
            : fault === 'truncated'
              ? valid.slice(0, Math.floor(valid.length / 2))
              : valid;
      // A truncated answer is what a model at its output limit sends: half the text, and the
      // endpoint's word that it stopped there.
      return { content, provider: 'mock', model, usage: usageFor(request, content), ...(fault === 'truncated' ? { truncated: true } : {}) };
    },
  };
}
