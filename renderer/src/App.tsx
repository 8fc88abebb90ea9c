import { Suspense, useEffect } from 'react';
import { call } from './api/client.js';
import { href, useRoute } from './router.js';
import { useStudio } from './store.js';
import { CourseList } from './views/CourseList.js';
import { NameDialog } from './components/NameDialog.js';
import { useReviewCount } from './review-count.js';
import { HeaderSearch } from './components/HeaderSearch.js';
import { screen } from './screen-loader.js';
import { useSuggestionCount } from './suggestion-count.js';

// The course list is the first screen and ships in the entry bundle; every other screen (and the
// zod schemas the forms validate with) loads on demand, and is fetched in the background as soon
// as the first screen is up, so opening one later waits on neither the network nor React's
// Suspense throttle (renderer/src/screen-loader.ts).
const screens = {
  workspace: screen(() => import('./views/Workspace.js').then((m) => m.Workspace)),
  newCourse: screen(() => import('./views/NewCourseForm.js').then((m) => m.NewCourseForm)),
  editIntent: screen(() => import('./views/EditIntentView.js').then((m) => m.EditIntentView)),
  content: screen(() => import('./views/ContentView.js').then((m) => m.ContentView)),
  packages: screen(() => import('./views/PackagesView.js').then((m) => m.PackagesView)),
  preview: screen(() => import('./views/PreviewView.js').then((m) => m.PreviewView)),
  review: screen(() => import('./views/ReviewQueue.js').then((m) => m.ReviewQueue)),
  audit: screen(() => import('./views/AuditView.js').then((m) => m.AuditView)),
  settings: screen(() => import('./views/SettingsView.js').then((m) => m.SettingsView)),
  search: screen(() => import('./views/SearchView.js').then((m) => m.SearchView)),
  // The Analytics screen's chunk carries the chart library: nothing of it is in the first screen.
  analytics: screen(() => import('./views/AnalyticsView.js').then((m) => m.AnalyticsView)),
  suggestions: screen(() => import('./views/SuggestionsView.js').then((m) => m.SuggestionsView)),
  jobs: screen(() => import('./views/JobsView.js').then((m) => m.JobsView)),
  job: screen(() => import('./views/JobsView.js').then((m) => m.JobDetailView)),
  lineage: screen(() => import('./views/LineageView.js').then((m) => m.LineageView)),
};
const Workspace = screens.workspace.Screen;
const NewCourseForm = screens.newCourse.Screen;
const EditIntentView = screens.editIntent.Screen;
const ContentView = screens.content.Screen;
const PackagesView = screens.packages.Screen;
const PreviewView = screens.preview.Screen;
const ReviewQueue = screens.review.Screen;
const AuditView = screens.audit.Screen;
const SettingsView = screens.settings.Screen;
const SearchView = screens.search.Screen;
const AnalyticsView = screens.analytics.Screen;
const SuggestionsView = screens.suggestions.Screen;
const JobsView = screens.jobs.Screen;
const JobDetailView = screens.job.Screen;
const LineageView = screens.lineage.Screen;

export function App() {
  const route = useRoute();
  const { notices, dismiss, setSettings, notify } = useStudio();
  const settings = useStudio((s) => s.settings);
  const { count: reviewCount, refresh: refreshReviewCount } = useReviewCount();
  useEffect(refreshReviewCount, [route.name, refreshReviewCount]);
  const { count: suggestionCount, refresh: refreshSuggestionCount } = useSuggestionCount();
  useEffect(refreshSuggestionCount, [route.name, refreshSuggestionCount]);

  useEffect(() => {
    call('settings.get', {}).then(setSettings, (error: Error) => notify('error', error.message));
  }, [setSettings, notify]);

  useEffect(() => {
    // Right after the first screen's own requests, not on a timer a quick click could beat.
    const prefetch = setTimeout(() => Object.values(screens).forEach(({ preload }) => void preload().catch(() => {})), 0);
    return () => clearTimeout(prefetch);
  }, []);

  const { leaveScreen } = useStudio();
  const screenKey = href(route);
  useEffect(leaveScreen, [screenKey, leaveScreen]);

  const nav = [
    { label: 'Courses', to: href({ name: 'courses' }), active: route.name === 'courses' || route.name === 'course' || route.name === 'content' || route.name === 'packages' || route.name === 'preview' || route.name === 'new-course' || route.name === 'edit-intent' || route.name === 'analytics' },
    { label: 'Review queue', to: href({ name: 'review' }), active: route.name === 'review' },
    { label: 'Suggestions', to: href({ name: 'suggestions' }), active: route.name === 'suggestions' },
    { label: 'Jobs', to: href({ name: 'jobs' }), active: route.name === 'jobs' || route.name === 'job' },
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
              {item.label === 'Suggestions' && suggestionCount ? (
                <span className="nav-count">
                  {suggestionCount}
                  <span className="visually-hidden"> open</span>
                </span>
              ) : null}
            </a>
          ))}
        </nav>
        <HeaderSearch query={route.name === 'search' ? route.query : null} />
      </header>
      <div className="workarea">
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
            {route.name === 'analytics' && <AnalyticsView key={route.courseId} courseId={route.courseId} version={route.version} compareWith={route.compareWith} />}
            {route.name === 'suggestions' && <SuggestionsView courseId={route.courseId} status={route.status} />}
            {route.name === 'jobs' && <JobsView status={route.status} courseId={route.courseId} />}
            {route.name === 'job' && <JobDetailView key={route.jobId} jobId={route.jobId} />}
            {route.name === 'lineage' && <LineageView key={route.id} id={route.id} />}
          </Suspense>
        </main>
        {/* Beside the screen on wide windows and below it on narrow ones: never over a field (styles.css .workarea). */}
        <div className="notices" role="status" aria-live="polite" aria-label="Notices">
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
      {settings && !settings.actorChosen && <NameDialog suggested={settings.actor} />}
    </div>
  );
}
