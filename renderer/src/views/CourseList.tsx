import { useCallback, useEffect, useState } from 'react';
import type { CourseListEntry, CourseListQuery, CourseStatus } from '../../../schemas/course.js';
import { call } from '../api/client.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { href } from '../router.js';
import { useStudio } from '../store.js';
import './CourseList.css';

type Sort = NonNullable<CourseListQuery['sort']>;
type Filter = 'all' | CourseStatus | 'archived';

const sorts: { value: Sort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'updated', label: 'Recently changed' },
  { value: 'title', label: 'Title (A–Z)' },
  { value: 'status', label: 'Status' },
];
const filters: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All active courses' },
  { value: 'draft', label: 'Draft' },
  { value: 'review', label: 'Review' },
  { value: 'ready', label: 'Ready' },
  { value: 'published', label: 'Published' },
  { value: 'retired', label: 'Retired' },
  { value: 'archived', label: 'Archived' },
];

function queryFor(sort: Sort, filter: Filter): CourseListQuery {
  if (filter === 'archived') return { sort, archived: 'only' };
  return filter === 'all' ? { sort } : { sort, status: filter };
}

type Confirmation = { action: 'archive' | 'delete'; course: CourseListEntry };

/** Asks before archiving or deleting: names the course and says what goes and what stays. */
function ConfirmAction({ confirmation: { action, course }, onConfirm, onCancel }: { confirmation: Confirmation; onConfirm: () => void; onCancel: () => void }) {
  const verb = action === 'delete' ? 'Delete' : 'Archive';
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-heading" aria-describedby="confirm-detail" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="confirm-heading" dir="auto">
          {verb} “{course.title}”?
        </h2>
        <p id="confirm-detail">
          {action === 'delete'
            ? 'Its syllabus drafts, content drafts and unsaved editor work are deleted for good. The audit log keeps a record that it existed and who deleted it.'
            : 'It disappears from the course list; nothing in it is lost. Find it under Show: Archived to restore it.'}
        </p>
        <div className="actions">
          <button type="button" className="danger-confirm" onClick={onConfirm}>
            {verb} course
          </button>
          <button type="button" autoFocus onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}

function CourseRow({ course, onChanged, onConfirm }: { course: CourseListEntry; onChanged: (message: string) => void; onConfirm: (confirmation: Confirmation) => void }) {
  const notify = useStudio((s) => s.notify);
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      onChanged(await work());
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const reasonId = `delete-blocked-${course.id}`;
  return (
    <li className="card course-row" aria-label={course.title}>
      <a href={href({ name: 'course', courseId: course.id })} className="card-link">
        <span className="card-title" dir="auto">
          {course.title}
        </span>
        <span className="card-meta">
          <StatusBadge status={course.status} /> {course.archivedAt && <span className="archived-note">Archived · </span>}
          {course.intent.level} · {course.intent.timeBudgetHours} h · {course.intent.language} · created {new Date(course.createdAt).toLocaleDateString()} · changed {new Date(course.lastActivityAt).toLocaleDateString()}
        </span>
      </a>
      <div className="card-actions" role="group" aria-label={`Actions for ${course.title}`}>
        <a className="button" href={href({ name: 'edit-intent', courseId: course.id })}>
          Edit intent
        </a>
        <button type="button" disabled={busy} onClick={() => void act(async () => `Created “${(await call('courses.duplicate', { courseId: course.id, includeSyllabus: true })).course.title}”.`)}>
          Duplicate
        </button>
        {course.archivedAt ? (
          <button type="button" disabled={busy} onClick={() => void act(async () => `Restored “${(await call('courses.restore', { courseId: course.id })).title}”.`)}>
            Restore
          </button>
        ) : (
          <button type="button" className="danger-action" disabled={busy} onClick={() => onConfirm({ action: 'archive', course })}>
            Archive
          </button>
        )}
        <button type="button" className="danger-action" disabled={busy || course.deleteBlockedBy !== null} aria-describedby={course.deleteBlockedBy ? reasonId : undefined} onClick={() => onConfirm({ action: 'delete', course })}>
          Delete
        </button>
      </div>
      {course.deleteBlockedBy && (
        <p className="delete-blocked" id={reasonId}>
          Delete is off: {course.deleteBlockedBy}
        </p>
      )}
    </li>
  );
}

export function CourseList() {
  const [courses, setCourses] = useState<CourseListEntry[] | null>(null);
  const [sort, setSort] = useState<Sort>('newest');
  const [filter, setFilter] = useState<Filter>('all');
  const [confirming, setConfirming] = useState<Confirmation | null>(null);
  const notify = useStudio((s) => s.notify);
  const load = useCallback(() => call('courses.list', queryFor(sort, filter)).then(setCourses, (error: Error) => notify('error', error.message)), [sort, filter, notify]);
  useEffect(() => {
    void load();
  }, [load]);
  const changed = (message: string) => {
    notify('info', message);
    void load();
  };

  async function confirmed({ action, course }: Confirmation) {
    setConfirming(null);
    try {
      if (action === 'delete') {
        await call('courses.delete', { courseId: course.id });
        changed(`Deleted “${course.title}”.`);
      } else {
        await call('courses.archive', { courseId: course.id });
        changed(`Archived “${course.title}”. Find it under Show: Archived.`);
      }
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  return (
    <section aria-labelledby="courses-heading">
      <div className="page-head">
        <h1 id="courses-heading">Courses</h1>
        <a className="button primary" href={href({ name: 'new-course' })}>
          New course
        </a>
      </div>
      <div className="course-controls">
        <div className="field">
          <label htmlFor="course-filter">Show</label>
          <select id="course-filter" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            {filters.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="course-sort">Sort by</label>
          <select id="course-sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            {sorts.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {courses === null ? (
        <p className="muted">Loading…</p>
      ) : courses.length === 0 ? (
        <p className="empty">
          {filter === 'all'
            ? 'No courses yet. Start with “New course”: describe who it is for and how long it may take.'
            : filter === 'archived'
              ? 'No archived courses.'
              : `No ${filter} courses.`}
        </p>
      ) : (
        <ul className="card-list" data-testid="course-list">
          {courses.map((course) => (
            <CourseRow key={course.id} course={course} onChanged={changed} onConfirm={setConfirming} />
          ))}
        </ul>
      )}
      {confirming && <ConfirmAction confirmation={confirming} onConfirm={() => void confirmed(confirming)} onCancel={() => setConfirming(null)} />}
    </section>
  );
}
