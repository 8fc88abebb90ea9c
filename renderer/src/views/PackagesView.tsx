import { useCallback, useEffect, useState } from 'react';
import type { OperationOutput, StudioEvent } from '../../../schemas/api.js';
import type { Course } from '../../../schemas/course.js';
import { exportFormats, type CoursePackage, type CoursePackageSummary, type ExportFormat, type ScormScoMode } from '../../../schemas/package.js';
import { call, client, exportDownloadUrl, StudioCallError } from '../api/client.js';
import { DecisionDialog } from '../components/DecisionDialog.js';
import { exportStatusLine } from '../export-status.js';
import { JsonViewer } from '../components/JsonViewer.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { PublishToServer } from '../components/PublishToServer.js';
import { ReadinessList, readinessReason } from '../components/ReadinessList.js';
import type { PackageReadiness } from '../../../schemas/readiness.js';
import { href } from '../router.js';
import { useStudio } from '../store.js';

type ExportProgress = Extract<StudioEvent, { type: 'package.export' }>;
type ExportResult = OperationOutput<'packages.export'>;

const formatBytes = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const formatTime = (iso: string) => new Date(iso).toLocaleString();

/** A course's frozen packages: build, inspect, archive, export. */
export function PackagesView({ courseId }: { courseId: string }) {
  const notify = useStudio((s) => s.notify);
  const [course, setCourse] = useState<Course | null>(null);
  const [packages, setPackages] = useState<CoursePackageSummary[] | null>(null);
  const [building, setBuilding] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [readiness, setReadiness] = useState<PackageReadiness | null>(null);
  const [viewing, setViewing] = useState<CoursePackage | null>(null);
  const [exporting, setExporting] = useState<CoursePackageSummary | null>(null);
  const [archiving, setArchiving] = useState<CoursePackageSummary | null>(null);

  const reload = useCallback(async () => {
    try {
      const [c, list, ready] = await Promise.all([call('courses.get', { courseId }), call('packages.list', { courseId }), call('packages.readiness', { courseId })]);
      setCourse(c);
      setPackages(list);
      setReadiness(ready);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }, [courseId, notify]);
  useEffect(() => void reload(), [reload]);

  async function build() {
    setBuilding(true);
    setRefusal(null);
    try {
      const built = await call('packages.build', { courseId });
      notify('info', built.sameContentAs ? `Built package v${built.version}: same content as v${built.sameContentAs}.` : `Built package v${built.version}.`);
      await reload();
    } catch (error) {
      if (error instanceof StudioCallError && error.code === 'CONFLICT') {
        setRefusal(error.message);
        await reload();
      } else notify('error', (error as Error).message);
    } finally {
      setBuilding(false);
    }
  }

  async function view(summary: CoursePackageSummary) {
    try {
      setViewing(await call('packages.get', { packageId: summary.id }));
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  async function archive(summary: CoursePackageSummary, reason: string) {
    try {
      await call('packages.archive', { packageId: summary.id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      notify('info', `Package v${summary.version} archived.`);
      setArchiving(null);
      if (viewing?.id === summary.id) setViewing(await call('packages.get', { packageId: summary.id }));
      await reload();
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }

  if (!course || !packages) return <p className="muted">Loading…</p>;
  return (
    <section aria-labelledby="packages-heading">
      <div className="page-head">
        <div className="min0">
          <h1 id="packages-heading" dir="auto">
            {course.title} · packages
          </h1>
          <p className="muted">
            <a href={href({ name: 'content', courseId })}>Content and lifecycle</a> · <a href={href({ name: 'course', courseId })}>Syllabus workspace</a>
          </p>
        </div>
        <button type="button" className="primary" onClick={build} disabled={building || readiness?.ready === false} aria-describedby="build-readiness">
          {building ? 'Building…' : 'Build package'}
        </button>
      </div>
      <p className="muted">A package freezes the approved syllabus and every approved lesson, quiz and project. Packages never change; export them as often as you like.</p>
      {readiness && (
        <p id="build-readiness" className={readiness.ready ? 'muted' : 'build-reason'} data-testid="build-readiness">
          {readinessReason(readiness)}
        </p>
      )}
      {readiness && !readiness.ready ? (
        <div className="panel refusal" role={refusal ? 'alert' : undefined} data-testid="build-refused">
          <h2>The package cannot be built yet</h2>
          <ReadinessList courseId={courseId} readiness={readiness} label="What the package still needs" />
          {/* Approvals made in another window or in the terminal do not reach this screen by themselves. */}
          <button type="button" onClick={() => void reload()}>
            Check again
          </button>
        </div>
      ) : (
        refusal && (
          <div className="panel refusal" role="alert" data-testid="build-refused">
            <h2>The package cannot be built yet</h2>
            <p className="pre-line" dir="auto">
              {refusal}
            </p>
          </div>
        )
      )}
      {packages.length === 0 ? (
        <p className="empty">No packages yet. When every lesson, quiz and required project is approved, build the first one.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Packages" tabIndex={0}>
          <table className="packages">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Built</th>
                <th scope="col">Content</th>
                <th scope="col">Content hash</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {packages.map((p) => (
                <tr key={p.id} data-testid={`package-v${p.version}`}>
                  <th scope="row">v{p.version}</th>
                  <td>
                    <StatusBadge status={p.status} />
                  </td>
                  <td>
                    {formatTime(p.createdAt)}
                    <br />
                    <span className="muted">by {p.createdBy}</span>
                  </td>
                  <td>
                    {plural(p.moduleCount, 'module')}, {plural(p.lessonCount, 'lesson')}
                    <br />
                    <span className="muted">{formatBytes(p.sizeBytes)}</span>
                  </td>
                  <td>
                    <code className="hash" title={p.contentHash}>
                      {p.contentHash.slice(0, 12)}…
                    </code>
                  </td>
                  <td>
                    <div className="row-actions">
                    <a className="button" href={href({ name: 'preview', courseId, packageId: p.id })} aria-label={`Preview package v${p.version} as a learner`}>Preview</a>
                    <button type="button" onClick={() => view(p)} aria-label={`View JSON of package v${p.version}`}>
                      View JSON
                    </button>
                    <button type="button" className="primary" onClick={() => setExporting(p)} aria-label={`Export package v${p.version}`}>
                      Export…
                    </button>
                    {p.status === 'PUBLISHED' && (
                      <button type="button" onClick={() => setArchiving(p)} aria-label={`Archive package v${p.version}`}>
                        Archive
                      </button>
                    )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {packages.length > 0 && <PublishToServer courseId={courseId} packages={packages} />}
      {viewing && (
        <div className="panel" data-testid="package-json">
          <div className="page-head">
            <h2>
              Package v{viewing.version} <span className="muted">({viewing.itemHashes.length} frozen items)</span>
            </h2>
            <button type="button" onClick={() => setViewing(null)}>
              Close
            </button>
          </div>
          <JsonViewer value={viewing} name={`${course.title.replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase()}-package-v${viewing.version}`} collapsedDepth={1} />
        </div>
      )}
      {exporting && <ExportDialog summary={exporting} onClose={() => setExporting(null)} />}
      {archiving && (
        <DecisionDialog
          kind="archive"
          subject={`package v${archiving.version}?`}
          detail="An archived package stays readable and exportable, but no longer counts as published. This cannot be undone."
          onDecide={(reason) => archive(archiving, reason)}
          onCancel={() => setArchiving(null)}
        />
      )}
    </section>
  );
}

const formatOrder: ExportFormat[] = ['scorm12', 'scorm2004', 'imscc', 'html', 'pdf'];

function ExportDialog({ summary, onClose }: { summary: CoursePackageSummary; onClose: () => void }) {
  const notify = useStudio((s) => s.notify);
  const [format, setFormat] = useState<ExportFormat>('scorm12');
  const [scoMode, setScoMode] = useState<ScormScoMode>('course');
  const [runId, setRunId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => client.onEvent((e) => e.type === 'package.export' && e.runId === runId && setProgress(e)), [runId]);

  async function run() {
    const id = `export-${Date.now().toString(36)}`;
    setRunId(id);
    setProgress(null);
    setResult(null);
    setError(null);
    try {
      setResult(await call('packages.export', { packageId: summary.id, format, runId: id, ...(format === 'scorm12' || format === 'scorm2004' ? { scoMode } : {}) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunId(null);
    }
  }

  async function reveal() {
    if (!result) return;
    try {
      await call('exports.reveal', { fileName: result.fileName });
    } catch (e) {
      notify('error', (e as Error).message);
    }
  }

  const percent = progress && progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0;
  const scorm = format === 'scorm12' || format === 'scorm2004';
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="export-heading" onKeyDown={(e) => e.key === 'Escape' && !runId && onClose()}>
        <h2 id="export-heading">Export package v{summary.version}</h2>
        <fieldset disabled={runId !== null}>
          <legend>Format</legend>
          {formatOrder.map((f) => (
            <label key={f} className="radio-row">
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} /> {exportFormats[f].label}
            </label>
          ))}
        </fieldset>
        {scorm && (
          <>
            <label htmlFor="sco-mode">Tracking</label>
            <select id="sco-mode" value={scoMode} disabled={runId !== null} onChange={(e) => setScoMode(e.target.value as ScormScoMode)}>
              <option value="course">One SCO for the whole course</option>
              <option value="module">One SCO per module</option>
            </select>
          </>
        )}
        {runId && (
          <div className="export-progress">
            <progress max={100} value={percent} aria-label="Export progress" />
            <p role="status" data-testid="export-status">
              {exportStatusLine(progress)}
            </p>
            <button type="button" onClick={() => void call('packages.cancelExport', { runId })}>
              Cancel export
            </button>
          </div>
        )}
        {error && (
          <p className="error pre-line" role="alert">
            {error}
          </p>
        )}
        {result && (
          <div className="export-result" role="status" data-testid="export-result">
            <p>
              Saved <strong>{result.fileName}</strong> ({formatBytes(result.bytes)}).
            </p>
            <p className="muted break-all">{result.path}</p>
            <div className="actions">
              <button type="button" onClick={reveal}>
                Show in folder
              </button>
              {exportDownloadUrl(result.fileName) && (
                <a className="button" href={exportDownloadUrl(result.fileName)!} download={result.fileName}>
                  Download
                </a>
              )}
            </div>
          </div>
        )}
        <div className="actions">
          <button type="button" className="primary" onClick={run} disabled={runId !== null}>
            {runId ? 'Exporting…' : 'Export'}
          </button>
          <button type="button" onClick={onClose} disabled={runId !== null}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
