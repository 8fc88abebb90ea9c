import { useEffect } from 'react';
import { call } from './api/client.js';
import { href, useRoute } from './router.js';
import { useStudio } from './store.js';
import { AuditView } from './views/AuditView.js';
import { ContentView } from './views/ContentView.js';
import { CourseList } from './views/CourseList.js';
import { NewCourseForm } from './views/NewCourseForm.js';
import { ReviewQueue } from './views/ReviewQueue.js';
import { SettingsView } from './views/SettingsView.js';
import { Workspace } from './views/Workspace.js';

export function App() {
  const route = useRoute();
  const { notices, dismiss, setSettings, notify } = useStudio();

  useEffect(() => {
    call('settings.get', {}).then(setSettings, (error: Error) => notify('error', error.message));
  }, [setSettings, notify]);

  const nav = [
    { label: 'Courses', to: href({ name: 'courses' }), active: route.name === 'courses' || route.name === 'course' || route.name === 'content' || route.name === 'new-course' },
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
            </a>
          ))}
        </nav>
      </header>
      <main className="content">
        {route.name === 'courses' && <CourseList />}
        {route.name === 'new-course' && <NewCourseForm />}
        {route.name === 'course' && <Workspace key={route.courseId} courseId={route.courseId} versionId={route.versionId} />}
        {route.name === 'content' && <ContentView key={route.courseId} courseId={route.courseId} />}
        {route.name === 'review' && <ReviewQueue />}
        {route.name === 'audit' && <AuditView entityId={route.entityId} />}
        {route.name === 'settings' && <SettingsView />}
      </main>
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
