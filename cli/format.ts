import type { AuditEntry } from '../schemas/audit.js';
import type { SyllabusVersion, SyllabusWarning } from '../schemas/syllabus.js';
import type { SyllabusDiff } from '../core/engine.js';

function minutes(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

export function formatVersionList(versions: SyllabusVersion[]): string {
  if (versions.length === 0) return 'No syllabus versions yet. Generate one with `coursewright syllabus generate COURSE`.';
  return versions
    .map((v) => {
      const lessons = v.syllabus.modules.reduce((n, m) => n + m.lessons.length, 0);
      return `v${v.version}  ${v.id}  ${v.status.padEnd(10)}  ${v.syllabus.modules.length} modules, ${lessons} lessons  ${v.metadata.createdAt}  by ${v.metadata.createdBy}`;
    })
    .join('\n');
}

function formatWarning(w: SyllabusWarning): string {
  const where = w.lessonId ? ` [${w.lessonId}]` : w.moduleId ? ` [${w.moduleId}]` : '';
  return `  ${w.severity === 'warning' ? '!' : 'i'} ${w.code}${where}: ${w.message}`;
}

export function formatSyllabusVersion(v: SyllabusVersion): string {
  const s = v.syllabus;
  const lines = [
    `${s.title}  (v${v.version}, ${v.status}, ${v.id})`,
    `${s.level} · ${s.language} · ${minutes(s.totalEstimatedMinutes)} · for ${s.audience}`,
    s.summary,
    '',
  ];
  for (const module of s.modules) {
    lines.push(`${module.index + 1}. ${module.title}  [${module.id}, ${minutes(module.estimatedMinutes)}]`);
    for (const lesson of module.lessons) {
      const hooks = lesson.assessmentHooks.map((h) => h.kind).join('+');
      const prereq = lesson.prerequisites.length ? `  after ${lesson.prerequisites.join(', ')}` : '';
      lines.push(`   ${module.index + 1}.${lesson.index + 1} ${lesson.title}  [${lesson.id}, ${lesson.estimatedMinutes} min${hooks ? `, ${hooks}` : ''}]${prereq}`);
      for (const objective of lesson.objectives) lines.push(`        - ${objective}`);
    }
  }
  const warnings = v.warnings.filter((w) => w.severity === 'warning');
  const notes = v.warnings.filter((w) => w.severity === 'info');
  if (notes.length) lines.push('', `Normalisation notes (${notes.length}):`, ...notes.map(formatWarning));
  if (warnings.length) lines.push('', `Lint warnings for reviewers (${warnings.length}):`, ...warnings.map(formatWarning));
  lines.push('', `provider ${v.metadata.provider} · model ${v.metadata.model} · prompt ${v.metadata.promptVersion.slice(0, 28)}… · sha256 ${v.review.contentHash.slice(0, 16)}…`);
  if (v.status === 'APPROVED') lines.push(`approved by ${v.review.decidedBy} at ${v.review.decidedAt}${v.review.note ? ` — "${v.review.note}"` : ''}`);
  if (v.status === 'REJECTED') lines.push(`rejected by ${v.review.decidedBy} at ${v.review.decidedAt}: ${v.review.rejectionReason}`);
  return lines.join('\n');
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}…` : text;
}

export function formatDiff(diff: SyllabusDiff): string {
  const head = `v${diff.from.version} (${diff.from.id}) → v${diff.to.version} (${diff.to.id})`;
  if (diff.changes.length === 0) return `${head}: no differences.`;
  const lines = [`${head}: ${diff.changes.length} change(s)`];
  for (const c of diff.changes) {
    switch (c.kind) {
      case 'added':
        lines.push(`+ ${c.entity} ${c.id} "${c.title}"${c.moduleId ? ` in ${c.moduleId}` : ''}`);
        break;
      case 'removed':
        lines.push(`- ${c.entity} ${c.id} "${c.title}"${c.moduleId ? ` from ${c.moduleId}` : ''}`);
        break;
      case 'moved':
        lines.push(`> ${c.entity} ${c.id} "${c.title}" moved from ${c.from} to ${c.to}`);
        break;
      case 'changed':
        lines.push(`~ ${c.entity} ${c.id} ${c.field}: ${short(c.before)} → ${short(c.after)}`);
        break;
    }
  }
  return lines.join('\n');
}

export function formatAudit(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'No audit entries.';
  return entries
    .map((e) => {
      const meta = Object.keys(e.metadata).length ? `  ${JSON.stringify(e.metadata)}` : '';
      return `${e.at}  ${e.actor.padEnd(12)}  ${e.action.padEnd(26)}  ${e.entityType}:${e.entityId}${meta}`;
    })
    .join('\n');
}
