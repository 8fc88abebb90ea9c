import { useEffect, useState } from 'react';

export type Route =
  | { name: 'courses' }
  | { name: 'new-course' }
  | { name: 'edit-intent'; courseId: string }
  | { name: 'course'; courseId: string; versionId?: string }
  | { name: 'content'; courseId: string }
  | { name: 'packages'; courseId: string }
  | { name: 'review' }
  | { name: 'audit'; entityId?: string }
  | { name: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'new':
      return { name: 'new-course' };
    case 'intent':
      return parts[1] ? { name: 'edit-intent', courseId: parts[1] } : { name: 'courses' };
    case 'course':
      return parts[1] ? { name: 'course', courseId: parts[1], ...(parts[2] ? { versionId: parts[2] } : {}) } : { name: 'courses' };
    case 'content':
      return parts[1] ? { name: 'content', courseId: parts[1] } : { name: 'courses' };
    case 'packages':
      return parts[1] ? { name: 'packages', courseId: parts[1] } : { name: 'courses' };
    case 'review':
      return { name: 'review' };
    case 'audit':
      return parts[1] ? { name: 'audit', entityId: parts[1] } : { name: 'audit' };
    case 'settings':
      return { name: 'settings' };
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
      return `#/course/${encodeURIComponent(route.courseId)}${route.versionId ? `/${encodeURIComponent(route.versionId)}` : ''}`;
    case 'content':
      return `#/content/${encodeURIComponent(route.courseId)}`;
    case 'packages':
      return `#/packages/${encodeURIComponent(route.courseId)}`;
    case 'review':
      return '#/review';
    case 'audit':
      return route.entityId ? `#/audit/${encodeURIComponent(route.entityId)}` : '#/audit';
    case 'settings':
      return '#/settings';
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
