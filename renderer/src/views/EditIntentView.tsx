import { useEffect, useState } from 'react';
import type { Course } from '../../../schemas/course.js';
import type { LearningIntent } from '../../../schemas/intent.js';
import { call } from '../api/client.js';
import { href, navigate } from '../router.js';
import { useStudio } from '../store.js';
import { IntentForm, intentToValues } from './NewCourseForm.js';

/** Editing a course's learning intent: the new-course fields, prefilled. Syllabus versions already written keep theirs. */
export function EditIntentView({ courseId }: { courseId: string }) {
  const notify = useStudio((s) => s.notify);
  const [course, setCourse] = useState<Course | null>(null);
  useEffect(() => {
    call('courses.get', { courseId }).then(setCourse, (error: Error) => notify('error', error.message));
  }, [courseId, notify]);

  async function save(intent: LearningIntent) {
    try {
      const updated = await call('courses.updateIntent', { courseId, intent });
      notify('info', `Saved the intent of “${updated.title}”. Generate a new syllabus draft to follow it.`);
      navigate({ name: 'course', courseId });
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  return (
    <section aria-labelledby="edit-intent-heading" className="narrow">
      <h1 id="edit-intent-heading">Edit intent</h1>
      {course === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted" dir="auto">
            {course.title}: syllabus versions already written keep the intent they were generated from; the next generated draft follows this one.
          </p>
          <IntentForm initial={intentToValues(course.intent)} submitLabel="Save intent" savingLabel="Saving…" onSubmit={save} cancelHref={href({ name: 'courses' })} />
        </>
      )}
    </section>
  );
}
