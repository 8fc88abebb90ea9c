import { useEffect, useState } from 'react';
import type { Course } from '../../../schemas/course.js';
import { call } from '../api/client.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { href } from '../router.js';
import { useStudio } from '../store.js';

export function CourseList() {
  const [courses, setCourses] = useState<Course[] | null>(null);
  const notify = useStudio((s) => s.notify);
  useEffect(() => {
    call('courses.list', {}).then(setCourses, (error: Error) => notify('error', error.message));
  }, [notify]);

  return (
    <section aria-labelledby="courses-heading">
      <div className="page-head">
        <h1 id="courses-heading">Courses</h1>
        <a className="button primary" href={href({ name: 'new-course' })}>
          New course
        </a>
      </div>
      {courses === null ? (
        <p className="muted">Loading…</p>
      ) : courses.length === 0 ? (
        <p className="empty">No courses yet. Start with “New course”: describe who it is for and how long it may take.</p>
      ) : (
        <ul className="card-list" data-testid="course-list">
          {courses.map((course) => (
            <li key={course.id} className="card">
              <a href={href({ name: 'course', courseId: course.id })} className="card-link">
                <span className="card-title" dir="auto">
                  {course.title}
                </span>
                <span className="card-meta">
                  <StatusBadge status={course.status} /> {course.intent.level} · {course.intent.timeBudgetHours} h · {course.intent.language} · created {new Date(course.createdAt).toLocaleDateString()}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
