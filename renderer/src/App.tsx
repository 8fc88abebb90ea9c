import { lazy, Suspense, useEffect } from 'react';
import { call } from './api/client.js';
import { href, useRoute } from './router.js';
import { useStudio } from './store.js';
import { CourseList } from './views/CourseList.js';
import { NameDialog } from './components/NameDialog.js';
import { useReviewCount } from './review-count.js';
import { HeaderSearch } from './components/HeaderSearch.js';

// The course list is the first screen and ships in the entry bundle; every other screen (and the
// zod schemas the forms validate with) loads on demand, and is fetched in the background as soon
// as the first screen is up, so opening one later does not wait on the network.
const screens = {
  workspace: () => import('./views/Workspace.js'),
  newCourse: () => import('./views/NewCourseForm.js'),
  editIntent: () => import('./views/EditIntentView.js'),
  content: () => import('./views/ContentView.js'),
  packages: () => import('./views/PackagesView.js'),
  preview: () => import('./views/PreviewView.js'),
  review: () => import('./views/ReviewQueue.js'),
  audit: () => import('./views/AuditView.js'),
  settings: () => import('./views/SettingsView.js'),
  search: () => import('./views/SearchView.js'),
};
const Workspace = lazy(() => screens.workspace().then((m) => ({ default: m.Workspace })));
const NewCourseForm = lazy(() => screens.newCourse().then((m) => ({ default: m.NewCourseForm })));
const EditIntentView = lazy(() => screens.editIntent().then((m) => ({ default: m.EditIntentView })));
const ContentView = lazy(() => screens.content().then((m) => ({ default: m.ContentView })));
const PackagesView = lazy(() => screens.packages().then((m) => ({ default: m.PackagesView })));
const PreviewView = lazy(() => screens.preview().then((m) => ({ default: m.PreviewView })));
const ReviewQueue = lazy(() => screens.review().then((m) => ({ default: m.ReviewQueue })));
const AuditView = lazy(() => screens.audit().then((m) => ({ default: m.AuditView })));
const SettingsView = lazy(() => screens.settings().then((m) => ({ default: m.SettingsView })));
const SearchView = lazy(() => screens.search().then((m) => ({ default: m.SearchView })));

export function App() {
  const route = useRoute();
  const { notices, dismiss, setSettings, notify } = useStudio();
  const settings = useStudio((s) => s.settings);
  const { count: reviewCount, refresh: refreshReviewCount } = useReviewCount();
  useEffect(refreshReviewCount, [route.name, refreshReviewCount]);

  useEffect(() => {
    call('settings.get', {}).then(setSettings, (error: Error) => notify('error', error.message));
  }, [setSettings, notify]);

  useEffect(() => {
    const prefetch = setTimeout(() => Object.values(screens).forEach((load) => void load().catch(() => {})), 300);
    return () => clearTimeout(prefetch);
  }, []);

  const nav = [
    { label: 'Courses', to: href({ name: 'courses' }), active: route.name === 'courses' || route.name === 'course' || route.name === 'content' || route.name === 'packages' || route.name === 'preview' || route.name === 'new-course' || route.name === 'edit-intent' },
    { label: 'Review queue', to: href({ name: 'review' }), active: route.name === 'review' },
    { label: 'Audit log', to: href({ name: 'audit' }), active: route.name === 'audit' },
    { label: 'Settings', to: href({ name: 'settings' }), active: route.name === 'settings' },
  ];

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Coursewright</span>
        <nav aria-label="Main">
          {nav.map((item) => (
            <a key={item.label} href={item.to} aria-current={item.active ? 'page' : undefined} className={item.active ? 'active' : ''}>
              {item.label}
              {item.label === 'Review queue' && reviewCount ? (
                <span className="nav-count">
                  {reviewCount}
                  <span className="visually-hidden"> waiting</span>
                </span>
              ) : null}
            </a>
          ))}
        </nav>
        <HeaderSearch query={route.name === 'search' ? route.query : null} />
      </header>
      <main className="content">
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {route.name === 'courses' && <CourseList />}
          {route.name === 'new-course' && <NewCourseForm />}
          {route.name === 'edit-intent' && <EditIntentView key={route.courseId} courseId={route.courseId} />}
          {route.name === 'course' && <Workspace key={route.courseId} courseId={route.courseId} versionId={route.versionId} focus={route.focus} />}
          {route.name === 'content' && <ContentView key={route.courseId} courseId={route.courseId} focusItemId={route.itemId} focusQuestionId={route.questionId} />}
          {route.name === 'packages' && <PackagesView key={route.courseId} courseId={route.courseId} />}
          {route.name === 'preview' && <PreviewView key={route.courseId} courseId={route.courseId} packageId={route.packageId} />}
          {route.name === 'review' && <ReviewQueue />}
          {route.name === 'audit' && <AuditView entityId={route.entityId} entryId={route.entryId} />}
          {route.name === 'settings' && <SettingsView />}
          {route.name === 'search' && <SearchView query={route.query} />}
        </Suspense>
      </main>
      {settings && !settings.actorChosen && <NameDialog suggested={settings.actor} />}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : undefined}>
            <span dir="auto">{n.text}</span>
            <button type="button" onClick={() => dismiss(n.id)} aria-label="Dismiss">
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
