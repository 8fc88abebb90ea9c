import { useEffect, useState } from 'react';
import type { MissingForPackage, PackageReadiness } from '../../../schemas/readiness.js';
import { call } from '../api/client.js';
import { href } from '../router.js';
import './ReadinessList.css';

/** Where a missing piece is worked on: its newest version on the Content screen, or the syllabus workspace. */
export function missingPieceHref(courseId: string, piece: MissingForPackage): string {
  if (piece.kind === 'syllabus') return href({ name: 'course', courseId, ...(piece.itemId ? { versionId: piece.itemId } : {}) });
  return href({ name: 'content', courseId, ...(piece.itemId ? { itemId: piece.itemId } : {}) });
}

/** "Build waits for 3 pieces": the one-line reason Build is disabled. */
export function readinessReason(readiness: PackageReadiness): string {
  const n = readiness.missing.length;
  if (readiness.ready) return 'Everything is approved: the package can be built.';
  if (readiness.missing[0]?.kind === 'syllabus') return 'Build waits for an approved syllabus.';
  return `Build waits for ${n} ${n === 1 ? 'piece' : 'pieces'} to be approved.`;
}

/** Each missing piece as a sentence linking to the place it is fixed; `kinds` narrows it to some kinds. */
export function ReadinessList({ courseId, readiness, kinds, label, limit = 50 }: { courseId: string; readiness: PackageReadiness; kinds?: Array<MissingForPackage['kind']>; label: string; limit?: number }) {
  const pieces = readiness.missing.filter((m) => !kinds || kinds.includes(m.kind));
  if (pieces.length === 0) return null;
  return (
    <ul className="readiness-list" aria-label={label}>
      {pieces.slice(0, limit).map((piece) => (
        <li key={`${piece.kind}:${piece.targetId}`}>
          <a href={missingPieceHref(courseId, piece)} dir="auto" data-missing-kind={piece.kind}>
            {piece.sentence}
          </a>
        </li>
      ))}
      {pieces.length > limit && <li className="muted">…and {pieces.length - limit} more</li>}
    </ul>
  );
}

/** Which missing pieces each lifecycle rule is about, so its sentence can link to them. */
const piecesOfRule: Record<string, Array<MissingForPackage['kind']>> = {
  'approved-syllabus': ['syllabus'],
  'lessons-approved': ['lesson'],
  'quizzes-approved': ['quiz'],
  'projects-approved': ['project'],
};

/**
 * A lifecycle move's unmet rules as sentences, each followed by links to the pieces it counts
 * (the readiness list gives their places); a rule with no places is the sentence alone.
 */
export function LifecycleChecklist({ courseId, unmet, stamp }: { courseId: string; unmet: Array<{ rule: string; message: string }>; stamp: unknown }) {
  const [readiness, setReadiness] = useState<PackageReadiness | null>(null);
  const needsPlaces = unmet.some((u) => piecesOfRule[u.rule]);
  useEffect(() => {
    if (!needsPlaces) return;
    let current = true;
    call('packages.readiness', { courseId }).then(
      (r) => current && setReadiness(r),
      () => current && setReadiness(null),
    );
    return () => {
      current = false;
    };
  }, [courseId, needsPlaces, stamp]);
  return (
    <ul className="checklist">
      {unmet.length === 0 ? (
        <li className="met">all rules met</li>
      ) : (
        unmet.map((u) => (
          <li key={u.rule} className="unmet" data-rule={u.rule}>
            <span dir="auto">{u.message}</span>
            {readiness && piecesOfRule[u.rule] && <ReadinessList courseId={courseId} readiness={readiness} kinds={piecesOfRule[u.rule]!} label={u.message} limit={8} />}
          </li>
        ))
      )}
    </ul>
  );
}
