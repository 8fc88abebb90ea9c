import { useEffect, useState } from 'react';
import { searchKindLabel, type SearchHit, type SearchKind, type SearchTarget } from '../../../schemas/search.js';
import { call } from '../api/client.js';
import { href } from '../router.js';
import './SearchView.css';

/** Where a hit's link goes: the screen that shows the item, with the item selected. */
export function targetHref(target: SearchTarget): string {
  switch (target.screen) {
    case 'course':
      return href({ name: 'course', courseId: target.courseId });
    case 'syllabus':
      return href({ name: 'course', courseId: target.courseId, versionId: target.versionId, focus: target.lessonId ? { kind: 'lesson', id: target.lessonId } : { kind: 'module', id: target.moduleId } });
    case 'content':
      return href({ name: 'content', courseId: target.courseId, itemId: target.itemId, ...(target.questionId ? { questionId: target.questionId } : {}) });
    case 'audit':
      return href({ name: 'audit', entityId: target.entityId, entryId: target.entryId });
  }
}

const kindFilters: Array<{ label: string; kinds: SearchKind[] | null }> = [
  { label: 'Everything', kinds: null },
  { label: 'Lessons', kinds: ['lesson', 'syllabus_lesson'] },
  { label: 'Quiz questions', kinds: ['question', 'quiz'] },
  { label: 'Projects', kinds: ['project'] },
  { label: 'Courses and modules', kinds: ['course', 'module'] },
  { label: 'Audit log', kinds: ['audit'] },
];

type State = { status: 'idle' } | { status: 'loading' } | { status: 'done'; hits: SearchHit[]; query: string } | { status: 'refused'; message: string };

/** Search results: what matched, where it is, and a link that opens it there. */
export function SearchView({ query }: { query: string }) {
  const [courses, setCourses] = useState<Array<{ id: string; title: string }>>([]);
  const [courseId, setCourseId] = useState('');
  const [filter, setFilter] = useState(0);
  const [state, setState] = useState<State>({ status: 'idle' });

  useEffect(() => {
    call('courses.list', {}).then((list) => setCourses(list.map((c) => ({ id: c.id, title: c.title }))), () => setCourses([]));
  }, []);

  useEffect(() => {
    if (!query.trim()) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState((s) => (s.status === 'done' ? s : { status: 'loading' }));
    const kinds = kindFilters[filter]!.kinds;
    call('search.query', { query, limit: 50, ...(courseId ? { courseId } : {}), ...(kinds ? { kinds } : {}) }).then(
      (result) => current && setState({ status: 'done', hits: result.hits, query }),
      (error: Error) => current && setState({ status: 'refused', message: error.message }),
    );
    return () => {
      current = false;
    };
  }, [query, courseId, filter]);

  return (
    <section aria-labelledby="search-heading" className="search-view">
      <div className="page-head">
        <h1 id="search-heading">Search</h1>
      </div>
      <div className="search-filters">
        <div className="field">
          <label htmlFor="search-course">Course</label>
          <select id="search-course" value={courseId} onChange={(e) => setCourseId(e.target.value)}>
            <option value="">All courses</option>
            {courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="search-kind">Show</label>
          <select id="search-kind" value={filter} onChange={(e) => setFilter(Number(e.target.value))}>
            {kindFilters.map((f, i) => (
              <option key={f.label} value={i}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p role="status" className="muted search-count" data-testid="search-status">
        {state.status === 'idle'
          ? 'Type in the search box above: lessons, quiz questions, projects, syllabus outlines and the audit log are searched, latest versions only.'
          : state.status === 'loading'
            ? 'Searching…'
            : state.status === 'refused'
              ? state.message
              : state.hits.length === 0
                ? `Nothing matches “${state.query.trim()}”. Try fewer or shorter words.`
                : `${state.hits.length === 50 ? 'The first 50' : state.hits.length} result${state.hits.length === 1 ? '' : 's'} for “${state.query.trim()}”`}
      </p>
      {state.status === 'done' && state.hits.length > 0 && (
        <ol className="search-hits" aria-label="Search results">
          {state.hits.map((hit) => (
            <li key={`${hit.kind}:${hit.id}:${hit.target.screen === 'content' ? (hit.target.questionId ?? '') : ''}`} className="search-hit">
              <a href={targetHref(hit.target)} data-search-hit="" className="search-hit-link">
                <span className={`search-kind kind-${hit.kind}`}>{searchKindLabel[hit.kind]}</span>
                <span className="search-title" dir="auto">
                  {hit.title}
                </span>
              </a>
              <p className="search-where" dir="auto">
                {hit.where.label}
              </p>
              <p className="search-snippet" dir="auto">
                {hit.snippet.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
