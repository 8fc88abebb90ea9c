import { CoursewrightError } from '../../schemas/errors.js';
import type { LearningIntent } from '../../schemas/intent.js';
import type { Syllabus, SyllabusLesson, SyllabusModule } from '../../schemas/syllabus.js';
import { canonicalJson, sha256Hex } from '../hash.js';
import { writeMockContent } from './mock-content.js';
import { writeMockQuestion, writeMockSyllabusRevision } from './mock-revisions.js';
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

/** "an" before a vowel sound, "a" otherwise: "an intermediate course", "a user guide", "an hour". */
export function withArticle(phrase: string): string {
  const word = phrase.trim().toLowerCase();
  const vowelSound = /^(?:hour|honest|honou?r|heir)/.test(word) || (/^[aeiou]/.test(word) && !/^(?:uni|use|usu|uti|eu|one|once)/.test(word));
  return `${vowelSound ? 'an' : 'a'} ${phrase}`;
}

/** Lowercases the first letter of ordinary words only: "Backend developers" → "backend developers", "SQL basics" and "SREs" stay. */
function lowerFirst(text: string): string {
  return /^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Leading words that say what kind of course it is, not what it is about. */
const leadingFiller = /^(?:(?:a|an|the|practical|hands-on|applied|modern|complete|essential|(?:absolute\s+)?beginners?'?s?|gentle|quick|crash|short|friendly|introductory|intro(?:duction)?|fundamentals|basics|essentials|foundations|principles|course|guide|primer)(?:\s+(?:to|of|in|on|for))?\s+)+/i;

interface Topic {
  /** What the course is about, kept whole and in the title's own casing: "Data Engineering". */
  subject: string;
  /** Tools or languages the title names after "with", "using" or "in": "Python". */
  tools: string[];
}

/**
 * The course's subject from its title: "Practical Data Visualisation with Python" → subject
 * "Data Visualisation", tool "Python"; "Data Engineering from Zero to Production" → "Data
 * Engineering" (the journey stays in the title, which the course summary quotes whole).
 * Words keep their casing: the title knows better than a guess whether "Python" or "SQL" is a name.
 */
function topicOf(title: string): Topic {
  const main = title.split(/\s*(?::|\s[–—-]\s)\s*/)[0]!.trim() || title;
  const unprefixed = main.replace(leadingFiller, '').trim() || main;
  const [subject, ...rest] = unprefixed.split(/\s+(?=(?:with|using|in|for|from|through)\s)/i);
  const tools = rest
    .filter((part) => /^(?:with|using|in)\s/i.test(part))
    .flatMap((part) => part.replace(/^\S+\s+/, '').split(/\s*(?:,|\band\b|&)\s*/i))
    .map((tool) => tool.trim())
    .filter((tool) => tool.length > 1);
  // A title in a script without spaces (Japanese, say) stays one subject, used verbatim.
  return { subject: subject!.trim() || title, tools };
}

const objectivesByLevel = {
  beginner: [
    (t: string) => `Identify the main parts of ${t} in a worked example`,
    (t: string) => `Describe what ${t} is used for in everyday work`,
    (t: string) => `Apply a basic ${t} technique to a small example`,
    (t: string) => `Recognise common mistakes in a short ${t} exercise`,
    (t: string) => `Explain ${withArticle(`${t} result`)} to a colleague in plain language`,
    (t: string) => `List the steps of a simple ${t} task in order`,
  ],
  intermediate: [
    (t: string) => `Apply ${t} techniques to a realistic case`,
    (t: string) => `Compare two approaches to ${t} and choose one for a given case`,
    (t: string) => `Diagnose why ${withArticle(`${t} result`)} is wrong`,
    (t: string) => `Implement ${withArticle(`${t} workflow`)} from start to finish`,
    (t: string) => `Justify ${withArticle(`${t} design decision`)} to a stakeholder`,
    (t: string) => `Analyse ${withArticle(`${t} example`)} for strengths and weaknesses`,
  ],
  advanced: [
    (t: string) => `Evaluate competing ${t} strategies against explicit criteria`,
    (t: string) => `Design ${withArticle(`${t} solution`)} for an ambiguous brief`,
    (t: string) => `Optimise an existing ${t} workflow for speed and clarity`,
    (t: string) => `Critique a published ${t} example`,
    (t: string) => `Defend ${withArticle(`${t} architecture choice`)} in a review`,
    (t: string) => `Synthesise ${t} findings into a recommendation`,
  ],
} as const;

interface ModuleArc {
  title: (subject: string, tool: string | undefined) => string;
  /** The module's theme as a noun phrase inside a sentence: "the core ideas of SQL". */
  focus: (subject: string, tool: string | undefined) => string;
  summary: (subject: string, tool: string | undefined) => string;
}

/** The progression a designer draws, first to last; a course takes an evenly spaced selection. */
const moduleArcs: ModuleArc[] = [
  { title: (s) => `Getting started with ${s}`, focus: (s) => `the first steps in ${s}`, summary: (s) => `What ${s} is for, the words you will meet, and a first small piece of work.` },
  { title: (s) => `Core ideas of ${s}`, focus: (s) => `the core ideas of ${s}`, summary: (s) => `The handful of ideas everything else in ${s} builds on, each tried on a short example.` },
  { title: (s) => `${cap(s)} step by step`, focus: (s) => `${withArticle(`${s} task`)}, step by step`, summary: (s) => `One complete ${s} task taken slowly, a decision at a time.` },
  {
    title: (s, tool) => (tool ? `Working with ${tool}` : `Tools for ${s}`),
    focus: (s, tool) => (tool ? `everyday work in ${tool}` : `the tools of ${s}`),
    summary: (s, tool) => (tool ? `Setting up ${tool} and using it for everyday ${s} work.` : `The tools people use for ${s}, and how to pick the right one for a task.`),
  },
  { title: (s) => `${cap(s)} in real situations`, focus: (s) => `${s} in real situations`, summary: (s) => `Realistic cases that show how ${s} is used at work, and what changes when the case is messy.` },
  { title: (s) => `Choosing between ${s} approaches`, focus: (s) => `choosing between ${s} approaches`, summary: (s) => `Several ways to solve the same ${s} problem, and how to decide between them.` },
  { title: (s) => `Common pitfalls in ${s}`, focus: (s) => `common pitfalls in ${s}`, summary: (s) => `The mistakes people most often make in ${s}, how to spot them early and how to avoid them.` },
  { title: (s) => `Checking ${s} work`, focus: (s) => `checking ${s} work`, summary: (s) => `Ways to check that ${s} work is correct before anyone relies on it.` },
  { title: (s) => `Troubleshooting ${s}`, focus: (s) => `troubleshooting ${s}`, summary: (s) => `A calm method for finding out why ${s} work went wrong, and fixing it.` },
  { title: (s) => `Making ${s} reliable`, focus: (s) => `reliable ${s}`, summary: (s) => `Habits and checks that make ${s} work repeatable and trustworthy.` },
  { title: (s) => `Automating ${s} work`, focus: (s) => `automating ${s} work`, summary: (s) => `Turning repetitive ${s} steps into something that runs by itself, safely.` },
  { title: (s) => `Scaling up ${s}`, focus: (s) => `${s} at a larger scale`, summary: (s) => `What changes when ${s} work grows larger, and how to keep it manageable.` },
  { title: (s) => `Working with others on ${s}`, focus: (s) => `${s} in a team`, summary: (s) => `Sharing, reviewing and handing over ${s} work in a team.` },
  { title: (s) => `Communicating ${s} results`, focus: (s) => `communicating ${s} results`, summary: (s) => `Explaining ${s} results clearly to people who did not do the work.` },
  { title: (s) => `Advanced techniques in ${s}`, focus: (s) => `advanced ${s} techniques`, summary: (s) => `Techniques for harder ${s} cases, once the basics are secure.` },
  { title: (s) => `Case study: ${s} from start to finish`, focus: (s) => `${withArticle(`${s} case study`)}`, summary: () => `A full case followed from the first question to the finished result.` },
  { title: (s) => `Planning ${withArticle(`${s} project`)}`, focus: (s) => `planning ${withArticle(`${s} project`)}`, summary: (s) => `Scoping, estimating and planning ${s} work before it starts.` },
  { title: (s) => `Reviewing and improving ${s} work`, focus: (s) => `reviewing ${s} work`, summary: (s) => `Reading your own and others' ${s} work critically, and making it better.` },
  { title: (s) => `Where to go next in ${s}`, focus: (s) => `next steps in ${s}`, summary: (s) => `The directions ${s} can take you after this course, and how to keep learning.` },
  { title: (s) => `Putting ${s} together`, focus: (s) => `the whole of ${s}, put together`, summary: () => `Everything from the course used together on one piece of work.` },
];

/** The position of the tools module in `moduleArcs`. */
const toolArc = 3;

type LessonStep = { title: (focus: string) => string; summary: (focus: string) => string };

const lessonSteps: Record<string, LessonStep> = {
  why: { title: (f) => `Why it matters: ${f}`, summary: (f) => `The place of ${f} in your own work: the problems you will be able to solve.` },
  ideas: { title: (f) => `Key ideas: ${f}`, summary: (f) => `The ideas behind ${f}, each explained with a short example.` },
  example: { title: (f) => `Worked example: ${f}`, summary: (f) => `A complete example of ${f}, with each decision explained as it is made.` },
  practice: { title: (f) => `Guided practice: ${f}`, summary: (f) => `Exercises on ${f} with hints, and what to check in your answers.` },
  mistakes: { title: (f) => `Common mistakes: ${f}`, summary: (f) => `The mistakes people most often make with ${f}, and how to avoid them.` },
  further: { title: (f) => `Going further: ${f}`, summary: (f) => `Harder cases and variations of ${f}, once the basics are secure.` },
  solo: { title: (f) => `On your own: ${f}`, summary: (f) => `An exercise on ${f} done without help, to show what you can do.` },
  review: { title: (f) => `Review: ${f}`, summary: (f) => `A recap of ${f} and a short self-check before you move on.` },
};

/** Which steps a module of n lessons walks through, in teaching order. */
const stepsBySize: Record<number, string[]> = {
  1: ['example'],
  2: ['ideas', 'practice'],
  3: ['ideas', 'example', 'practice'],
  4: ['why', 'ideas', 'example', 'practice'],
  5: ['why', 'ideas', 'example', 'practice', 'review'],
  6: ['why', 'ideas', 'example', 'practice', 'mistakes', 'review'],
  7: ['why', 'ideas', 'example', 'practice', 'mistakes', 'further', 'review'],
  8: ['why', 'ideas', 'example', 'practice', 'mistakes', 'further', 'solo', 'review'],
};

const capstoneSteps: LessonStep[] = [
  { title: () => 'Choosing a capstone brief', summary: () => 'Pick a realistic brief from your own work and agree what a good result looks like.' },
  { title: () => 'Planning your capstone', summary: () => 'Break the brief into steps, estimate them and decide what to leave out.' },
  { title: () => 'Building the first version', summary: () => 'Carry out the plan and get a first complete version working end to end.' },
  { title: () => 'Getting feedback on your capstone', summary: () => 'Show the first version to a peer and collect specific, usable feedback.' },
  { title: () => 'Improving your capstone', summary: () => 'Act on the feedback and make the work clearer and more robust.' },
  { title: () => 'Checking your capstone against the brief', summary: () => 'Go through the brief point by point and close any gaps.' },
  { title: () => 'Writing up your decisions', summary: () => 'Explain the choices you made and what you would do differently.' },
  { title: () => 'Presenting your capstone', summary: () => 'Present the finished work and answer questions about it.' },
];

/** Which capstone steps a module of n lessons keeps first: plan, build and present come before the rest. */
const capstonePriority = [1, 2, 7, 3, 4, 0, 5, 6];

function capstoneStepsFor(size: number): LessonStep[] {
  const chosen = capstonePriority.slice(0, Math.min(size, 8)).sort((a, b) => a - b).map((i) => capstoneSteps[i]!);
  // Past eight lessons (forced shapes only), extra rounds of feedback and improvement come before the presentation.
  const extra = Array.from({ length: Math.max(0, size - 8) }, (_, i): LessonStep => ({ title: () => `Improving your capstone, round ${i + 2}`, summary: () => 'Another round of feedback and improvement on your capstone.' }));
  return [...chosen.slice(0, -1), ...extra, chosen.at(-1)!];
}

/** `count` indices spread evenly over 0…length-1, first and last included. */
function spread(count: number, length: number): number[] {
  if (count <= 1) return [0];
  return Array.from({ length: count }, (_, i) => Math.round((i * (length - 1)) / (count - 1)));
}

function stepsFor(size: number): LessonStep[] {
  const named = stepsBySize[Math.min(size, 8)]!.map((key) => lessonSteps[key]!);
  if (size <= 8) return named;
  // Forced shapes go past eight lessons: more practice rounds, numbered so titles stay distinct.
  return Array.from({ length: size }, (_, i) => {
    if (i < 7) return named[i]!;
    if (i === size - 1) return named[7]!;
    const round = i - 5;
    return { title: (f: string) => `Practice round ${round}: ${f}`, summary: (f: string) => `Another set of exercises on ${f}, a little harder than the last.` };
  });
}

/**
 * How a designer sizes a course: short courses get short lessons, long ones get longer sessions
 * (up to 90 minutes, longer only past 240 hours), 9 to 160 lessons in modules of 3 to 8 lessons:
 * 6 to 20 modules once a course runs to half a day, 3 for a one-hour course (six modules there
 * would mean lessons of three minutes). 1 h → 3 × 3 lessons of 5–10 min; 6 h → 6 × 3 of about
 * 20 min; 40 h → 9 × 4 of about an hour; 240 h → 20 × 8 of 90 min.
 */
function courseShape(budgetMinutes: number): { lessons: number; modules: number } {
  const hours = budgetMinutes / 60;
  const lessonLength = Math.min(90, 15 * hours ** 0.4);
  const fewestModules = hours >= 4 ? 6 : 3;
  const lessons = Math.max(fewestModules * 3, Math.min(160, Math.round(budgetMinutes / lessonLength)));
  const perModule = Math.max(3, Math.min(8, Math.round(0.7 * Math.sqrt(lessons))));
  const modules = Math.max(fewestModules, Math.min(20, Math.floor(lessons / perModule)));
  return { lessons: Math.min(lessons, modules * 8), modules };
}

/** `total` lessons over `modules`, as evenly as possible; the longer modules fall where the rng puts them. */
function moduleSizes(total: number, modules: number, rng: () => number): number[] {
  const sizes = Array.from({ length: modules }, () => Math.floor(total / modules));
  const order = sizes.map((_, i) => ({ i, key: rng() })).sort((a, b) => a.key - b.key);
  for (let k = 0; k < total % modules; k++) sizes[order[k]!.i]!++;
  return sizes;
}

/**
 * Spreads `total` minutes over `count` lessons in 5-minute steps with some natural variation,
 * adding up to the budget (to the nearest 5 minutes) so the normaliser has nothing to rescale.
 */
function spreadMinutes(total: number, count: number, rng: () => number): number[] {
  const units = Math.max(count, Math.round(total / 5));
  const weights = Array.from({ length: count }, () => 0.8 + rng() * 0.4);
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.max(1, (units * w) / sum));
  const given = shares.map((s) => Math.max(1, Math.floor(s)));
  let left = units - given.reduce((a, b) => a + b, 0);
  const byRemainder = shares.map((s, i) => ({ i, rest: s - Math.floor(s) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % count, left--) given[byRemainder[k]!.i]!++;
  return given.map((u) => Math.min(600, u * 5));
}

function hoursText(minutes: number): string {
  if (minutes < 90) return `${minutes} minutes`;
  const hours = Math.round(minutes / 30) / 2;
  return `${hours} hours`;
}

/**
 * A realistic syllabus written from the intent: same intent, same bytes. What learners read
 * (course, module and lesson titles and summaries, objectives) is written for them; the brief's
 * constraints shape the outline and are recorded for the reviewer only in assessment hooks.
 */
export function writeMockSyllabus(intent: LearningIntent, shape?: MockProviderOptions['shape']): Syllabus {
  const rng = rngFrom(canonicalJson(intent));
  const { subject, tools } = topicOf(intent.title);
  const budget = Math.max(5, Math.round(intent.timeBudgetHours * 60));
  const designed = courseShape(budget);
  const moduleCount = shape ? shape.modules : designed.modules;
  const sizes = shape ? Array.from({ length: shape.modules }, () => shape.lessonsPerModule) : moduleSizes(designed.lessons, designed.modules, rng);
  const lessonCount = sizes.reduce((a, b) => a + b, 0);
  const minutes = spreadMinutes(budget, lessonCount, rng);
  const wantsProject = intent.constraints.some((c) => /project|capstone/i.test(c));
  const wantsExercises = intent.constraints.some((c) => /exercise|hands-on|practi[cs]e/i.test(c));
  const objectiveWriters = objectivesByLevel[intent.level];
  const arcIndices = spread(moduleCount, moduleArcs.length);
  // A tool the title names ("with Python") gets its own module whenever there is room for it.
  if (tools.length && moduleCount >= 3 && !arcIndices.includes(toolArc)) {
    const middle = arcIndices.slice(1, -1);
    const nearest = middle.reduce((best, index) => (Math.abs(index - toolArc) < Math.abs(best - toolArc) ? index : best), middle[0]!);
    arcIndices[arcIndices.indexOf(nearest)] = toolArc;
  }
  const arcs = arcIndices.map((i) => moduleArcs[i]!);
  const topics = [subject, ...tools];
  const usedTitles = new Set<string>();
  const unique = (title: string, n: number) => {
    const distinct = usedTitles.has(title.toLowerCase()) ? `${title} (part ${n})` : title;
    usedTitles.add(distinct.toLowerCase());
    return clip(distinct, 200);
  };
  const slug = subject.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24).replace(/-$/, '') || 'module';
  const briefNote = intent.constraints.length ? `; the brief asks for: ${intent.constraints.join('; ')}` : '';

  const modules: SyllabusModule[] = [];
  let lessonNumber = 0;
  let previousLessonId: string | undefined;
  for (let m = 0; m < moduleCount; m++) {
    const size = sizes[m]!;
    const isCapstone = m === moduleCount - 1 && wantsProject && !shape && moduleCount > 1;
    const tool = tools.length ? tools[m % tools.length] : undefined;
    const arc = arcs[m]!;
    const moduleTitle = unique(isCapstone ? `Capstone project: ${intent.title}` : arc.title(subject, tool), m + 1);
    const moduleSummary = isCapstone
      ? `Bring the whole course together in one project of your own, from brief to presentation.`
      : arc.summary(subject, tool);
    const focus = arc.focus(subject, tool);
    const steps = isCapstone ? capstoneStepsFor(size) : stepsFor(size);
    const moduleId = `m${m + 1}-${slug}`;
    const lessons: SyllabusLesson[] = [];
    for (let l = 0; l < size; l++) {
      const step = steps[l]!;
      const title = unique(step.title(focus), m + 1);
      const id = `${moduleId}-l${l + 1}`;
      const lessonTopic = topics[(m + l) % topics.length]!;
      const objectiveCount = 2 + Math.floor(rng() * 2);
      const firstObjective = Math.floor(rng() * objectiveWriters.length);
      const objectives = Array.from({ length: objectiveCount }, (_, i) => clip(objectiveWriters[(firstObjective + i) % objectiveWriters.length]!(lessonTopic), 300));
      const lastInModule = l === size - 1;
      const hooks: SyllabusLesson['assessmentHooks'] = [];
      // The reviewer reads how the brief was honoured where assessments are planned; learners never see hooks.
      const firstLessonOfCourse = lessonNumber === 0;
      if (rng() < 0.85 || lastInModule || firstLessonOfCourse) {
        hooks.push({ kind: 'quiz', description: clip(`Check understanding of ${lowerFirst(title)}${firstLessonOfCourse ? briefNote : ''}`, 500) });
      }
      if (lastInModule && (wantsProject || wantsExercises || shape)) {
        hooks.push({ kind: 'project', description: clip(isCapstone ? `Capstone: plan, build and present ${withArticle(`${subject} project`)} from the learner's own work` : `Hands-on exercise applying ${focus}`, 500) });
      }
      lessons.push({
        id,
        index: l,
        title,
        summary: clip(step.summary(focus), 1000),
        objectives,
        prerequisites: previousLessonId ? [previousLessonId] : [],
        estimatedMinutes: minutes[lessonNumber]!,
        assessmentHooks: hooks,
      });
      previousLessonId = id;
      lessonNumber++;
    }
    modules.push({ id: moduleId, index: m, title: moduleTitle, summary: moduleSummary, estimatedMinutes: lessons.reduce((s, x) => s + x.estimatedMinutes, 0), lessons });
  }
  const totalEstimatedMinutes = modules.reduce((s, m) => s + m.estimatedMinutes, 0);
  const ending = wantsProject ? ' It ends with a capstone project of your own.' : '';
  return {
    title: intent.title,
    summary: clip(
      `${intent.title} is ${withArticle(intent.level)} course for ${lowerFirst(intent.audience)}. It runs to ${moduleCount} module${moduleCount === 1 ? '' : 's'} and about ${hoursText(totalEstimatedMinutes)} of study, and you learn through ${lowerFirst(intent.teachingStyle)}.${ending}`,
      4000,
    ),
    audience: intent.audience,
    level: intent.level,
    language: intent.language,
    totalEstimatedMinutes,
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
      case 'content.question':
      case 'content.question.repair':
        return JSON.stringify(writeMockQuestion(request.task.request));
      case 'syllabus.revise':
      case 'syllabus.revise.repair':
        return JSON.stringify(writeMockSyllabusRevision(request.task.request));
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
