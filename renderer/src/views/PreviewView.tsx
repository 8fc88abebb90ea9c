import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OperationOutput } from '../../../schemas/api.js';
import type { Course } from '../../../schemas/course.js';
import type { CoursePackageSummary } from '../../../schemas/package.js';
import { call } from '../api/client.js';
import { href, navigate } from '../router.js';
import { useStudio } from '../store.js';
import './PreviewView.css';

type Preview = OperationOutput<'preview.course'>;

/** The two widths a designer checks: a laptop browser and a phone (CSS pixels the page lays out in). */
const devices = {
  desktop: { label: 'Desktop', width: 1280, height: 800 },
  phone: { label: 'Phone', width: 375, height: 740 },
} as const;
type Device = keyof typeof devices;

/**
 * The course as a learner will meet it: the exports' own learner page (lessons, quizzes that score
 * themselves, project pages, progress), from the current drafts or from a package, in a sandboxed
 * frame that may run that page's script and nothing more (no storage, no studio access, no
 * navigation away). Quizzes are forms whose submit event the runtime handles, which a sandbox
 * fires only with allow-forms; nothing is ever sent, as the policy the frame inherits from the
 * studio says form-action 'none'. The frame lays out at the chosen device width and is scaled down to fit the
 * screen, so the studio itself never scrolls sideways.
 */
export function PreviewView({ courseId, packageId }: { courseId: string; packageId?: string | undefined }) {
  const notify = useStudio((s) => s.notify);
  const [course, setCourse] = useState<Course | null>(null);
  const [packages, setPackages] = useState<CoursePackageSummary[]>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [device, setDevice] = useState<Device>('desktop');
  const [available, setAvailable] = useState(0);
  const stage = useRef<HTMLDivElement>(null);

  useEffect(() => {
    Promise.all([call('courses.get', { courseId }), call('packages.list', { courseId })]).then(
      ([c, list]) => {
        setCourse(c);
        setPackages(list);
      },
      (error: Error) => notify('error', error.message),
    );
  }, [courseId, notify]);

  const load = useCallback(async () => {
    setLoading(true);
    setProblem(null);
    try {
      setPreview(await call('preview.course', { courseId, ...(packageId ? { packageId } : {}) }));
    } catch (error) {
      setPreview(null);
      setProblem((error as Error).message);
    } finally {
      setLoading(false);
    }
  }, [courseId, packageId]);
  useEffect(() => void load(), [load]);

  useLayoutEffect(() => {
    const element = stage.current;
    if (!element) return;
    const measure = () => setAvailable(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [preview]);

  const size = devices[device];
  const scale = available > 0 ? Math.min(1, (available - 2) / size.width) : 1;
  const sourceText = !preview
    ? ''
    : preview.source.kind === 'drafts'
      ? `Showing the current drafts: the latest version of every lesson, quiz and project, whatever its review status.${preview.notWritten ? ` ${preview.notWritten} ${preview.notWritten === 1 ? 'piece is' : 'pieces are'} not written yet and ${preview.notWritten === 1 ? 'shows' : 'show'} as such.` : ''}`
      : `Showing package v${preview.source.version}, exactly as its exports show it to learners.`;

  return (
    <section aria-labelledby="preview-heading">
      <div className="page-head">
        <div className="min0">
          <h1 id="preview-heading" dir="auto">
            {course ? `${course.title} · preview` : 'Preview'}
          </h1>
          <p className="muted">
            <a href={href({ name: 'course', courseId })}>Syllabus workspace</a> · <a href={href({ name: 'content', courseId })}>Content and lifecycle</a> ·{' '}
            <a href={href({ name: 'packages', courseId })}>Packages and exports</a>
          </p>
        </div>
      </div>

      <div className="preview-controls">
        <label>
          Preview from
          <select value={packageId ?? ''} onChange={(event) => navigate({ name: 'preview', courseId, ...(event.target.value ? { packageId: event.target.value } : {}) })}>
            <option value="">Current drafts</option>
            {/* Until the package list arrives, the package being shown still names the choice. */}
            {packageId && !packages.some((p) => p.id === packageId) && <option value={packageId}>{preview?.source.kind === 'package' ? `Package v${preview.source.version}` : 'Package…'}</option>}
            {packages.map((p) => (
              <option key={p.id} value={p.id}>
                Package v{p.version}
                {p.status === 'ARCHIVED' ? ' (archived)' : ''}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="preview-width">
          <legend>Width</legend>
          {(Object.keys(devices) as Device[]).map((key) => (
            <button key={key} type="button" aria-pressed={device === key} onClick={() => setDevice(key)}>
              {devices[key].label} ({devices[key].width} px)
            </button>
          ))}
        </fieldset>
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? 'Loading…' : 'Reload'}
        </button>
      </div>

      <p className="muted" role="status" data-testid="preview-source">
        {loading && !preview ? 'Preparing the preview…' : sourceText}
      </p>
      {problem && (
        <div className="panel refusal" role="alert">
          <p dir="auto">{problem}</p>
        </div>
      )}
      {preview && (
        <div className="preview-stage" ref={stage}>
          <div className="preview-device" style={{ width: Math.round(size.width * scale) + 2, height: Math.round(size.height * scale) + 2 }}>
            <iframe
              title={`Learner preview of ${course?.title ?? 'the course'}`}
              sandbox="allow-scripts allow-forms"
              srcDoc={preview.html}
              width={size.width}
              height={size.height}
              style={{ width: size.width, height: size.height, transform: `scale(${scale})` }}
              data-testid="preview-frame"
            />
          </div>
        </div>
      )}
    </section>
  );
}
