import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { bearer, startTestServer, type TestServer } from './support/app.js';
import { describeOnBothDatabases } from './support/databases.js';
import { asCourse, asLearner, lessonsInOrder, publishLive, signUpLearner } from './support/learning.js';

const free = samplePackage();
const lessons = lessonsInOrder(free.document);
/** Every question's explanation, as the package holds it: none may reach a learner before an attempt. */
const explanations = lessons.flatMap((lesson) => lesson.quiz.content.questions.map((question) => question.explanation));

describeOnBothDatabases('learners: catalogue, enrolment, lessons without answer keys, progress and quizzes', (target) => {
  let server: TestServer;
  let a: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let b: Awaited<ReturnType<TestServer['tenantWithKeys']>>;
  let ana: ReturnType<typeof asLearner>;
  let anaId: string;
  let bo: ReturnType<typeof asLearner>;
  let learnerOfB: ReturnType<typeof asLearner>;
  let paid: Awaited<ReturnType<typeof asCourse>>;
  let unreleased: Awaited<ReturnType<typeof asCourse>>;
  beforeAll(async () => {
    server = await startTestServer(await target.freshLocation());
    a = await server.tenantWithKeys('Learning Academy A');
    b = await server.tenantWithKeys('Learning Academy B');
    paid = await asCourse(free, 'course-paid', 'Statistics for ward managers');
    unreleased = await asCourse(free, 'course-draft', 'Not released yet');
    await publishLive(server, a.keys.author, free);
    await publishLive(server, a.keys.author, paid);
    expect((await server.app.inject({ method: 'PUT', url: `/api/packages/${unreleased.contentHash}`, headers: bearer(a.keys.author), payload: unreleased.document })).statusCode).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: '/api/admin/products', headers: bearer(a.keys.admin), payload: { courseId: 'course-paid', priceCents: 4900, currency: 'eur', active: true } })).statusCode).toBe(201);
    const signedUp = await signUpLearner(server, a.id, 'ana@a.example');
    ana = asLearner(server, signedUp.token);
    anaId = signedUp.userId;
    bo = asLearner(server, (await signUpLearner(server, a.id, 'bo@a.example')).token);
    learnerOfB = asLearner(server, (await signUpLearner(server, b.id, 'lee@b.example')).token);
  }, 300_000);
  afterAll(() => server?.app.close());

  it('the catalogue lists live courses only, each with its price and what the learner may do', async () => {
    const list = await ana.get('/api/learn/courses');
    expect(list.statusCode).toBe(200);
    const courses = list.json() as { courseId: string; title: string; lessonCount: number; product: unknown; access: string }[];
    expect(courses.map((course) => course.courseId)).toEqual(['course-paid', 'course-sample']);
    expect(courses[1]).toMatchObject({ title: free.document.course.title, lessonCount: 18, product: null, access: 'free' });
    expect(courses[0]).toMatchObject({ title: 'Statistics for ward managers', lessonCount: 18, product: { priceCents: 4900, currency: 'EUR' }, access: 'for_sale' });
  });

  it('course and lesson need an enrolment (403); a free course enrols at once, and again is 200 with the same enrolment', async () => {
    for (const url of ['/api/learn/courses/course-sample', '/api/learn/courses/course-sample/lessons/0', '/api/learn/progress/course-sample']) {
      const refused = await ana.get(url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json().error.message).toMatch(/Enrol in course "course-sample" first/);
    }
    const enrolled = await ana.post('/api/learn/enroll', { courseId: 'course-sample' });
    expect(enrolled.statusCode).toBe(201);
    expect(enrolled.json()).toMatchObject({ courseId: 'course-sample', via: 'free', created: true });
    const again = await ana.post('/api/learn/enroll', { courseId: 'course-sample' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...enrolled.json(), created: false });
    expect((await ana.get('/api/learn/courses/course-sample')).statusCode).toBe(200);
    expect((await ana.get('/api/learn/courses')).json().find((c: { courseId: string }) => c.courseId === 'course-sample').access).toBe('enrolled');
    // Another learner of the same tenant is not enrolled by Ana's enrolment.
    expect((await bo.get('/api/learn/courses/course-sample/lessons/0')).statusCode).toBe(403);
  });

  it('a paid course answers 402 naming the product until it is bought; then enrolment is via the purchase', async () => {
    const refused = await bo.post('/api/learn/enroll', { courseId: 'course-paid' });
    expect(refused.statusCode).toBe(402);
    expect(refused.json().error.code).toBe('PAYMENT_REQUIRED');
    expect(refused.json().error.details.product).toMatchObject({ priceCents: 4900, currency: 'EUR' });
    expect(refused.json().error.message).toContain('49.00 EUR');
    const bought = await bo.post('/api/store/purchase', { productId: refused.json().error.details.product.productId }, { 'idempotency-key': 'bo-buys-paid-1' });
    expect(bought.statusCode).toBe(201);
    const enrolled = await bo.post('/api/learn/enroll', { courseId: 'course-paid' });
    expect(enrolled.statusCode).toBe(201);
    expect(enrolled.json().via).toBe('purchase');
  });

  it('a course that is not released is not found for learners, in the list and by id', async () => {
    expect((await ana.get('/api/learn/courses')).json().map((c: { courseId: string }) => c.courseId)).not.toContain('course-draft');
    expect((await ana.post('/api/learn/enroll', { courseId: 'course-draft' })).statusCode).toBe(404);
    expect((await ana.get('/api/learn/courses/course-draft')).statusCode).toBe(404);
  });

  it('lessons come 0-based in course order, module by module, with their quiz questions; past the end is 404', async () => {
    for (const index of [0, 3, 17]) {
      const response = await ana.get(`/api/learn/courses/course-sample/lessons/${index}`);
      expect(response.statusCode).toBe(200);
      const lesson = response.json();
      expect(lesson).toMatchObject({ lessonIndex: index, lessonCount: 18, lessonId: lessons[index]!.id, title: lessons[index]!.title });
      expect(lesson.body.overview).toBe(lessons[index]!.lesson.content.explanation.overview);
      expect(lesson.quiz.questions.map((q: { prompt: string; options: string[] }) => [q.prompt, q.options])).toEqual(lessons[index]!.quiz.content.questions.map((q) => [q.prompt, q.options]));
    }
    expect((await ana.get('/api/learn/courses/course-sample/lessons/3')).json().moduleIndex).toBe(1);
    const past = await ana.get('/api/learn/courses/course-sample/lessons/18');
    expect(past.statusCode).toBe(404);
    expect(past.json().error.message).toContain('numbered 0 to 17');
    expect((await ana.get('/api/learn/courses/course-sample/lessons/-1')).statusCode).toBe(400);
    expect((await ana.get('/api/learn/courses/course-sample/lessons/one')).statusCode).toBe(400);
  });

  it('no learner route sends a correct answer, an explanation or an answer key before an attempt', async () => {
    const bodies = [
      (await ana.get('/api/learn/courses')).body,
      (await ana.get('/api/learn/courses/course-sample')).body,
      (await ana.get('/api/learn/progress/course-sample')).body,
      (await ana.post('/api/learn/enroll', { courseId: 'course-sample' })).body,
      ...(await Promise.all(lessons.map((_, index) => ana.get(`/api/learn/courses/course-sample/lessons/${index}`)))).map((response) => {
        expect(response.statusCode).toBe(200);
        return response.body;
      }),
    ];
    expect(bodies).toHaveLength(4 + 18);
    for (const body of bodies) {
      expect(body).not.toMatch(/correctIndex|"explanation"|answerKey|"correct"/i);
      for (const explanation of explanations) expect(body).not.toContain(JSON.stringify(explanation).slice(1, -1));
    }
    // The lesson's own teaching text is still there, under the learner's field names.
    const lesson = (await ana.get('/api/learn/courses/course-sample/lessons/0')).json();
    expect(lesson.body.concepts[0].text).toBe(lessons[0]!.lesson.content.explanation.concepts[0]!.explanation);
  });

  it('progress: time adds up, completion never goes backwards, and the resume point follows the last lesson worked on', async () => {
    const post = (lessonIndex: number, completed: boolean, timeSpentSeconds: number) => ana.post('/api/learn/progress', { courseId: 'course-sample', lessonIndex, completed, timeSpentSeconds });
    const fresh = (await ana.get('/api/learn/progress/course-sample')).json();
    expect(fresh).toMatchObject({ courseId: 'course-sample', lessonCount: 18, completedCount: 0, resume: null });
    expect(fresh.lessons[5]).toEqual({ lessonIndex: 5, completed: false, completedAt: null, timeSpentSeconds: 0, lastActivityAt: null });

    expect((await post(0, false, 60)).json()).toMatchObject({ lessonIndex: 0, completed: false, completedAt: null, timeSpentSeconds: 60 });
    const done = (await post(0, true, 30)).json();
    expect(done).toMatchObject({ completed: true, timeSpentSeconds: 90 });
    expect(done.completedAt).not.toBeNull();
    const later = (await post(0, false, 15)).json();
    expect(later).toMatchObject({ completed: true, timeSpentSeconds: 105, completedAt: done.completedAt });

    let progress = (await ana.get('/api/learn/progress/course-sample')).json();
    expect(progress.completedCount).toBe(1);
    expect(progress.resume).toEqual({ lessonIndex: 1, lastLessonIndex: 0, furthestLessonIndex: 0 });

    await post(4, false, 20);
    await post(2, false, 10);
    progress = (await ana.get('/api/learn/progress/course-sample')).json();
    expect(progress.resume).toEqual({ lessonIndex: 2, lastLessonIndex: 2, furthestLessonIndex: 4 });
    expect(progress.lessons.map((l: { timeSpentSeconds: number }) => l.timeSpentSeconds).slice(0, 5)).toEqual([105, 0, 10, 0, 20]);

    const outside = await post(18, true, 1);
    expect(outside.statusCode).toBe(422);
    expect(outside.json().error.message).toContain('lessonIndex 18');
    expect((await bo.post('/api/learn/progress', { courseId: 'course-sample', lessonIndex: 0, completed: true, timeSpentSeconds: 1 })).statusCode).toBe(403);
    expect((await ana.post('/api/learn/progress', { courseId: 'course-sample', lessonIndex: 0, completed: true, timeSpentSeconds: -5 })).statusCode).toBe(400);
  });

  it('a quiz attempt is scored by the server: per-question correctness and explanations come back, and the attempt and every chosen option are stored', async () => {
    const quiz = lessons[1]!.quiz;
    const key = quiz.content.questions.map((question) => question.correctIndex);
    const oneWrong = key.map((correct, index) => (index === 1 ? (correct + 1) % 4 : correct));
    const response = await ana.post('/api/learn/courses/course-sample/lessons/1/quiz-attempts', { answers: oneWrong });
    expect(response.statusCode).toBe(201);
    const result = response.json();
    expect(result).toMatchObject({ courseId: 'course-sample', lessonIndex: 1, correctCount: 2, questionCount: 3, passMark: 0.7, passed: false });
    expect(result.score).toBeCloseTo(2 / 3);
    expect(result.questions).toEqual(quiz.content.questions.map((question, index) => ({ questionIndex: index, questionId: question.id, chosenIndex: oneWrong[index], correct: index !== 1, explanation: question.explanation })));

    const allRight = (await ana.post('/api/learn/courses/course-sample/lessons/1/quiz-attempts', { answers: key })).json();
    expect(allRight).toMatchObject({ correctCount: 3, score: 1, passed: true });

    const stored = await server.database.query<{ id: string; user_id: string; lesson_index: number; lesson_id: string; quiz_item_id: string; quiz_content_hash: string; package_content_hash: string; package_version: number; correct_count: number; passed: boolean }>(
      'SELECT id, user_id, lesson_index, lesson_id, quiz_item_id, quiz_content_hash, package_content_hash, package_version, correct_count, passed FROM attempts ORDER BY created_at, id',
    );
    expect(stored.map((row) => [row.id, row.correct_count, row.passed])).toEqual([[result.attemptId, 2, false], [allRight.attemptId, 3, true]]);
    expect(stored[0]).toMatchObject({ user_id: anaId, lesson_index: 1, lesson_id: lessons[1]!.id, quiz_item_id: quiz.itemId, quiz_content_hash: quiz.contentHash, package_content_hash: free.contentHash, package_version: 1 });
    const answers = await server.database.query<{ question_index: number; question_id: string; chosen_index: number; correct: boolean }>('SELECT question_index, question_id, chosen_index, correct FROM attempt_answers WHERE attempt_id = $1 ORDER BY question_index', [result.attemptId]);
    expect(answers).toEqual(oneWrong.map((chosen, index) => ({ question_index: index, question_id: quiz.content.questions[index]!.id, chosen_index: chosen, correct: index !== 1 })));
    await expect(server.database.query('UPDATE attempts SET passed = true')).rejects.toThrow(/insert-only/);
  });

  it('an attempt with the wrong number of answers or an option that does not exist is refused (422) and stores nothing', async () => {
    const before = await server.database.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts');
    const short = await ana.post('/api/learn/courses/course-sample/lessons/2/quiz-attempts', { answers: [0, 1] });
    expect(short.statusCode).toBe(422);
    expect(short.json().error.message).toBe('This quiz has 3 questions and the attempt has 2 answers; send one answer per question, in order.');
    const outOfRange = await ana.post('/api/learn/courses/course-sample/lessons/2/quiz-attempts', { answers: [0, 4, 1] });
    expect(outOfRange.statusCode).toBe(422);
    expect(outOfRange.json().error.message).toContain('answers[1] is 4');
    expect(await server.database.query('SELECT count(*)::int AS n FROM attempts')).toEqual(before);
    expect((await bo.post('/api/learn/courses/course-sample/lessons/2/quiz-attempts', { answers: [0, 0, 0] })).statusCode).toBe(403);
  });

  it('the OpenAPI document describes every learner, store and events route with its access rule, and the learner lesson shape has no answer fields', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const routes = {
      '/api/learn/courses': ['get', 'learner'],
      '/api/learn/courses/{courseId}': ['get', 'learner'],
      '/api/learn/courses/{courseId}/lessons/{index}': ['get', 'learner'],
      '/api/learn/courses/{courseId}/lessons/{index}/quiz-attempts': ['post', 'learner'],
      '/api/learn/enroll': ['post', 'learner'],
      '/api/learn/progress': ['post', 'learner'],
      '/api/learn/progress/{courseId}': ['get', 'learner'],
      '/api/store/products': ['get', ['learner', 'admin']],
      '/api/store/purchase': ['post', 'learner'],
      '/api/admin/products': ['post', 'admin'],
      '/api/admin/grants': ['post', 'admin'],
      '/api/analytics/event': ['post', 'learner'],
    } as const;
    for (const [path, [method, access]] of Object.entries(routes)) expect(doc.paths[path]?.[method]?.['x-access'], `${method} ${path}`).toEqual(access);
    const lessonSchema = JSON.stringify(doc.paths['/api/learn/courses/{courseId}/lessons/{index}'].get.responses['200']);
    expect(lessonSchema).toContain('"options"');
    expect(lessonSchema).not.toMatch(/correctIndex|"explanation"/);
    expect(doc.paths['/api/learn/enroll'].post.responses['402']).toBeDefined();
  });

  describe('tenant isolation', () => {
    it("a learner of tenant B gets 404 for every learner route of A's courses and sees none of them", async () => {
      expect((await learnerOfB.get('/api/learn/courses')).json()).toEqual([]);
      for (const url of ['/api/learn/courses/course-sample', '/api/learn/courses/course-sample/lessons/0', '/api/learn/progress/course-sample']) {
        const response = await learnerOfB.get(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.body).not.toContain(free.document.course.title);
      }
      expect((await learnerOfB.post('/api/learn/enroll', { courseId: 'course-sample' })).statusCode).toBe(404);
      expect((await learnerOfB.post('/api/learn/enroll', { courseId: 'course-paid' })).statusCode).toBe(404);
      expect((await learnerOfB.post('/api/learn/progress', { courseId: 'course-sample', lessonIndex: 0, completed: true, timeSpentSeconds: 5 })).statusCode).toBe(404);
      expect((await learnerOfB.post('/api/learn/courses/course-sample/lessons/0/quiz-attempts', { answers: [0, 0, 0] })).statusCode).toBe(404);
    });

    it('API keys are not learners: learner routes refuse them (403) in both tenants', async () => {
      for (const key of [a.keys.admin, a.keys.author, b.keys.analyst]) {
        expect((await server.app.inject({ method: 'GET', url: '/api/learn/courses', headers: bearer(key) })).statusCode).toBe(403);
      }
      expect((await server.app.inject({ method: 'GET', url: '/api/learn/courses' })).statusCode).toBe(401);
    });
  });
});
