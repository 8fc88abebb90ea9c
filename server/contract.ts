import { z } from 'zod';
import { ExportFormat } from '../schemas/package.js';

/**
 * The shapes of the hosted server's routes: the server validates with them, the OpenAPI document
 * is generated from them, and clients (the studio's sync, the learner player) import them.
 */
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a content hash is 64 lowercase hexadecimal characters (SHA-256)');

export const Credentials = z.object({
  tenant: z.string().min(1).max(200).describe('The tenant id the institution gave you'),
  email: z.string().trim().toLowerCase().pipe(z.email('an email address like ana@example.org')).describe('Email address'),
  password: z.string().min(1).max(1024),
}).strict();
export const Signup = Credentials.extend({ password: z.string().min(10, 'a password of at least 10 characters').max(1024) }).strict();
export const SessionIssued = z.object({ token: z.string(), expiresAt: z.string() });
export const Me = z.object({ tenantId: z.string(), userId: z.string(), email: z.string() });

export const ContentHashParams = z.object({ contentHash: Sha256 }).strict();
export const PackagePublished = z.object({ contentHash: Sha256, courseId: z.string(), version: z.number().int(), created: z.boolean() });

export const CourseParams = z.object({ courseId: z.string().min(1).max(200) }).strict();
export const CourseVersionParams = CourseParams.extend({ version: z.coerce.number().int().min(1) }).strict();
export const ReleaseRequest = z.object({ contentHash: Sha256, expectedCurrent: Sha256.nullable().describe('The live hash you saw, or null for a course never released') }).strict();
export const Release = z.object({ courseId: z.string(), liveHash: Sha256, previousHash: Sha256.nullable(), revision: z.number().int(), version: z.number().int() });

export const CourseSummary = z.object({ courseId: z.string(), title: z.string(), latestVersion: z.number().int(), liveHash: Sha256.nullable() });
export const CourseList = z.array(CourseSummary);
export const CourseVersions = z.object({
  courseId: z.string(),
  title: z.string(),
  liveHash: Sha256.nullable(),
  versions: z.array(z.object({ version: z.number().int(), contentHash: Sha256, title: z.string(), sizeBytes: z.number().int(), publishedAt: z.string(), live: z.boolean() })),
});
export const CourseVersionDocument = z.object({ courseId: z.string(), version: z.number().int(), contentHash: Sha256, document: z.unknown() });

export const Health = z.object({ status: z.literal('ok') });
export const Readiness = z.object({ status: z.literal('ready'), database: z.enum(['postgres', 'pglite']) });

// ── Learners, store and events ─────────────────────────────────────────────────────────────
// What learners see never holds a quiz's correct answers or their explanations: the learner
// shapes below are strict, and the server builds them field by field (server/learning/).

const CourseId = z.string().min(1).max(200);
const Currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 currency code such as EUR or USD');
const Timestamp = z.string().describe('ISO 8601 date and time');

export const LessonParams = CourseParams.extend({ index: z.coerce.number().int('a whole lesson number').min(0, 'lesson numbers start at 0').describe('0-based over the course’s lessons in order') }).strict();

export const Price = z.strictObject({ productId: z.string(), priceCents: z.number().int(), currency: z.string() });
/** Where the learner stands with a course: enrolled, may enrol now (free or already paid/granted), must buy it, or cannot get it. */
export const CourseAccess = z.enum(['enrolled', 'free', 'owned', 'for_sale', 'not_for_sale']);
export const LearnerCourseSummary = z.strictObject({
  courseId: z.string(),
  title: z.string(),
  summary: z.string(),
  level: z.string(),
  language: z.string(),
  totalEstimatedMinutes: z.number().int(),
  lessonCount: z.number().int(),
  version: z.number().int(),
  product: Price.nullable().describe('Null for a free course'),
  access: CourseAccess,
});
export const LearnerCourseList = z.array(LearnerCourseSummary);

const LearnerProject = z.strictObject({
  title: z.string(),
  problemStatement: z.string(),
  constraints: z.array(z.string()),
  deliverables: z.array(z.string()),
  rubric: z.strictObject({ totalPoints: z.number().int(), criteria: z.array(z.strictObject({ title: z.string(), levels: z.array(z.strictObject({ label: z.string(), descriptor: z.string(), points: z.number().int() })) })) }),
});
export const LearnerOutlineLesson = z.strictObject({ lessonIndex: z.number().int(), lessonId: z.string(), title: z.string(), estimatedMinutes: z.number().int(), objectives: z.array(z.string()), questionCount: z.number().int() });
export const LearnerCourse = z.strictObject({
  courseId: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  title: z.string(),
  summary: z.string(),
  audience: z.string(),
  level: z.string(),
  language: z.string(),
  totalEstimatedMinutes: z.number().int(),
  lessonCount: z.number().int(),
  modules: z.array(z.strictObject({ moduleIndex: z.number().int(), title: z.string(), summary: z.string(), estimatedMinutes: z.number().int(), lessons: z.array(LearnerOutlineLesson), project: LearnerProject.nullable() })),
});
/** A quiz question as learners see it: the prompt and the options, nothing that tells the answer. */
export const LearnerQuestion = z.strictObject({ questionIndex: z.number().int(), questionId: z.string(), prompt: z.string(), options: z.array(z.string()) });
export const LearnerLesson = z.strictObject({
  courseId: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  lessonIndex: z.number().int(),
  lessonCount: z.number().int(),
  lessonId: z.string(),
  moduleIndex: z.number().int(),
  moduleTitle: z.string(),
  title: z.string(),
  estimatedMinutes: z.number().int(),
  objectives: z.array(z.string()),
  /** The lesson's teaching text (its overview and concepts, each concept's text and example). */
  body: z.strictObject({ overview: z.string(), concepts: z.array(z.strictObject({ title: z.string(), text: z.string(), example: z.string().optional() })) }),
  keyTakeaways: z.array(z.string()),
  practice: z.strictObject({ prompt: z.string(), expectedOutcome: z.string() }),
  quiz: z.strictObject({ title: z.string(), questions: z.array(LearnerQuestion) }),
});

export const EnrollRequest = z.object({ courseId: CourseId }).strict();
export const Enrolment = z.object({ courseId: z.string(), via: z.enum(['free', 'purchase', 'grant']), enrolledAt: Timestamp, created: z.boolean() });

export const ProgressUpdate = z
  .object({
    courseId: CourseId,
    lessonIndex: z.number().int().min(0),
    completed: z.boolean(),
    timeSpentSeconds: z.number().int().min(0).max(86_400, 'at most a day (86400 seconds) per report').describe('Seconds spent since the last report for this lesson; added to the total'),
  })
  .strict();
export const LessonProgress = z.object({ lessonIndex: z.number().int(), completed: z.boolean(), completedAt: Timestamp.nullable(), timeSpentSeconds: z.number().int(), lastActivityAt: Timestamp.nullable() });
export const CourseProgress = z.object({
  courseId: z.string(),
  lessonCount: z.number().int(),
  completedCount: z.number().int(),
  lessons: z.array(LessonProgress),
  resume: z
    .object({
      lessonIndex: z.number().int().describe('Where to continue: the last lesson worked on, or the next one when that is complete'),
      lastLessonIndex: z.number().int().describe('The lesson with the latest activity'),
      furthestLessonIndex: z.number().int().describe('The furthest lesson with any activity'),
    })
    .nullable()
    .describe('Null before any progress'),
});

export const QuizAttemptRequest = z.object({ answers: z.array(z.number().int().min(0)).max(100).describe('The chosen option (0-based) for each question, in order') }).strict();
export const QuizAttemptResult = z.object({
  attemptId: z.string(),
  courseId: z.string(),
  lessonIndex: z.number().int(),
  correctCount: z.number().int(),
  questionCount: z.number().int(),
  score: z.number().describe('Share of questions answered correctly, 0 to 1'),
  passMark: z.number(),
  passed: z.boolean(),
  questions: z.array(z.object({ questionIndex: z.number().int(), questionId: z.string(), chosenIndex: z.number().int(), correct: z.boolean(), explanation: z.string() })),
});

export const Product = z.object({ productId: z.string(), courseId: z.string(), courseTitle: z.string(), priceCents: z.number().int(), currency: z.string(), active: z.boolean() });
export const ProductList = z.array(Product);
export const ProductRequest = z.object({ courseId: CourseId, priceCents: z.number().int().min(0).max(100_000_000), currency: Currency, active: z.boolean() }).strict();
export const PurchaseRequest = z.object({ productId: z.string().min(1).max(200) }).strict();
export const Purchase = z.object({ purchaseId: z.string(), productId: z.string(), courseId: z.string(), amountCents: z.number().int(), currency: z.string(), status: z.literal('paid'), provider: z.string(), providerReference: z.string(), purchasedAt: Timestamp });
export const GrantRequest = z
  .object({ courseId: CourseId, email: z.string().trim().toLowerCase().pipe(z.email('an email address like ana@example.org')).optional(), userId: z.string().min(1).max(200).optional() })
  .strict()
  .refine((grant) => (grant.email === undefined) !== (grant.userId === undefined), { message: 'name the learner by email or by userId (one of the two)', path: ['email'] });
export const Grant = z.object({ grantId: z.string(), userId: z.string(), courseId: z.string(), grantedAt: Timestamp, created: z.boolean() });

export const analyticsEventTypeNames = ['course_viewed', 'lesson_viewed', 'lesson_completed', 'quiz_attempted', 'quiz_passed', 'heartbeat'] as const;
export const MAX_EVENTS_PER_BATCH = 500;
export const AnalyticsEvent = z
  .object({
    id: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only (a UUID is ideal)').describe('Chosen by the client, unique per event: a resent event with the same id is stored once'),
    type: z.enum(analyticsEventTypeNames, { error: (issue) => `unknown event type ${JSON.stringify(issue.input)}; the types are ${analyticsEventTypeNames.join(', ')}` }),
    courseId: CourseId,
    lessonIndex: z.number().int().min(0).optional(),
    occurredAt: z.iso.datetime({ offset: true, error: 'an ISO 8601 date and time such as 2026-03-01T09:30:00Z' }),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export const EventBatch = z.object({ events: z.array(AnalyticsEvent).min(1, 'send at least one event').describe(`1 to ${MAX_EVENTS_PER_BATCH} events; a larger batch is refused with 413`) }).strict();
export const EventsAccepted = z.object({ received: z.number().int(), stored: z.number().int().describe('Events new to the server'), duplicates: z.number().int().describe('Events it already had (same id)') });

// ── Export jobs ────────────────────────────────────────────────────────────────────────────
// An author or admin asks for an export of a published version; a background job produces the
// file, which is then downloaded from the server (any instance: the file is in the database).

export const exportJobStateNames = ['created', 'active', 'completed', 'failed'] as const;
export const ExportJobRequest = z.object({ format: ExportFormat.describe('pdf, html, scorm12, scorm2004 or imscc') }).strict();
export const ExportJobParams = z.object({ jobId: z.uuid('an export job id as returned when the export was requested (a UUID)') }).strict();
export const ExportJobQueued = z.object({ jobId: z.string(), state: z.enum(exportJobStateNames) });
export const ExportJobStatus = z.object({
  jobId: z.string(),
  state: z.enum(exportJobStateNames),
  courseId: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  format: ExportFormat,
  requestedAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  error: z.string().nullable().describe('Why the export failed (state failed only)'),
  file: z
    .object({ fileName: z.string(), mediaType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), url: z.string().describe('Where to download it') })
    .nullable()
    .describe('Once completed, until the file is removed after its retention period'),
});
