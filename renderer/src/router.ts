import { useEffect, useState } from 'react';

export type Route =
  | { name: 'courses' }
  | { name: 'new-course' }
  | { name: 'edit-intent'; courseId: string }
  | { name: 'course'; courseId: string; versionId?: string; focus?: OutlineFocus }
  | { name: 'content'; courseId: string; itemId?: string; questionId?: string }
  | { name: 'packages'; courseId: string }
  | { name: 'preview'; courseId: string; packageId?: string }
  | { name: 'review' }
  | { name: 'audit'; entityId?: string; entryId?: number }
  | { name: 'search'; query: string }
  | { name: 'settings' }
  | { name: 'analytics'; courseId: string; version?: number; compareWith?: number }
  | { name: 'suggestions'; courseId?: string; status?: SuggestionStatusFilter }
  | { name: 'jobs'; status?: string; courseId?: string }
  | { name: 'job'; jobId: string }
  | { name: 'lineage'; id: string };

/** The Suggestions queue's status filter as the address keeps it; none means the open ones. */
export type SuggestionStatusFilter = 'OPEN' | 'ACCEPTED' | 'DISMISSED' | 'all';

/** What the syllabus editor selects when opened from a link (a search hit). */
export type OutlineFocus = { kind: 'module' | 'lesson'; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'new':
      return { name: 'new-course' };
    case 'intent':
      return parts[1] ? { name: 'edit-intent', courseId: parts[1] } : { name: 'courses' };
    case 'course':
      return parts[1]
        ? { name: 'course', courseId: parts[1], ...(parts[2] ? { versionId: parts[2] } : {}), ...((parts[3] === 'module' || parts[3] === 'lesson') && parts[4] ? { focus: { kind: parts[3], id: parts[4] } } : {}) }
        : { name: 'courses' };
    case 'content':
      return parts[1] ? { name: 'content', courseId: parts[1], ...(parts[2] ? { itemId: parts[2] } : {}), ...(parts[3] ? { questionId: parts[3] } : {}) } : { name: 'courses' };
    case 'packages':
      return parts[1] ? { name: 'packages', courseId: parts[1] } : { name: 'courses' };
    case 'preview':
      return parts[1] ? { name: 'preview', courseId: parts[1], ...(parts[2] ? { packageId: parts[2] } : {}) } : { name: 'courses' };
    case 'review':
      return { name: 'review' };
    case 'audit':
      return parts[1] ? { name: 'audit', entityId: parts[1], ...(parts[2] && /^\d+$/.test(parts[2]) ? { entryId: Number(parts[2]) } : {}) } : { name: 'audit' };
    case 'search':
      return { name: 'search', query: parts[1] ?? '' };
    case 'settings':
      return { name: 'settings' };
    case 'analytics': {
      // #/analytics/COURSE[/vN[/compare/vM]]: a version number the address cannot mean is ignored, not an error.
      if (!parts[1]) return { name: 'courses' };
      const version = /^v(\d+)$/.exec(parts[2] ?? '')?.[1];
      const compareWith = parts[3] === 'compare' ? /^v(\d+)$/.exec(parts[4] ?? '')?.[1] : undefined;
      return { name: 'analytics', courseId: parts[1], ...(version ? { version: Number(version) } : {}), ...(version && compareWith ? { compareWith: Number(compareWith) } : {}) };
    }
    case 'suggestions': {
      // #/suggestions[/STATUS|all[/COURSE]]
      const status = parts[1] === 'OPEN' || parts[1] === 'ACCEPTED' || parts[1] === 'DISMISSED' || parts[1] === 'all' ? parts[1] : undefined;
      return { name: 'suggestions', ...(status ? { status } : {}), ...(parts[2] ? { courseId: parts[2] } : {}) };
    }
    // #/jobs[/STATUS|all[/COURSE]], #/job/ID, #/lineage/VERSION
    case 'jobs':
      return { name: 'jobs', ...(parts[1] && parts[1] !== 'all' ? { status: parts[1] } : {}), ...(parts[2] ? { courseId: parts[2] } : {}) };
    case 'job':
      return parts[1] ? { name: 'job', jobId: parts[1] } : { name: 'jobs' };
    case 'lineage':
      return parts[1] ? { name: 'lineage', id: parts[1] } : { name: 'courses' };
    default:
      return { name: 'courses' };
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'courses':
      return '#/courses';
    case 'new-course':
      return '#/new';
    case 'edit-intent':
      return `#/intent/${encodeURIComponent(route.courseId)}`;
    case 'course':
      return `#/course/${encodeURIComponent(route.courseId)}${route.versionId ? `/${encodeURIComponent(route.versionId)}${route.focus ? `/${route.focus.kind}/${encodeURIComponent(route.focus.id)}` : ''}` : ''}`;
    case 'content':
      return `#/content/${encodeURIComponent(route.courseId)}${route.itemId ? `/${encodeURIComponent(route.itemId)}${route.questionId ? `/${encodeURIComponent(route.questionId)}` : ''}` : ''}`;
    case 'packages':
      return `#/packages/${encodeURIComponent(route.courseId)}`;
    case 'preview':
      return `#/preview/${encodeURIComponent(route.courseId)}${route.packageId ? `/${encodeURIComponent(route.packageId)}` : ''}`;
    case 'review':
      return '#/review';
    case 'audit':
      return route.entityId ? `#/audit/${encodeURIComponent(route.entityId)}${route.entryId !== undefined ? `/${route.entryId}` : ''}` : '#/audit';
    case 'search':
      return `#/search/${encodeURIComponent(route.query)}`;
    case 'settings':
      return '#/settings';
    case 'analytics':
      return `#/analytics/${encodeURIComponent(route.courseId)}${route.version !== undefined ? `/v${route.version}${route.compareWith !== undefined ? `/compare/v${route.compareWith}` : ''}` : ''}`;
    case 'suggestions':
      return route.status || route.courseId ? `#/suggestions/${route.status ?? 'OPEN'}${route.courseId ? `/${encodeURIComponent(route.courseId)}` : ''}` : '#/suggestions';
    case 'jobs':
      return route.status || route.courseId ? `#/jobs/${encodeURIComponent(route.status ?? 'all')}${route.courseId ? `/${encodeURIComponent(route.courseId)}` : ''}` : '#/jobs';
    case 'job':
      return `#/job/${encodeURIComponent(route.jobId)}`;
    case 'lineage':
      return `#/lineage/${encodeURIComponent(route.id)}`;
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
