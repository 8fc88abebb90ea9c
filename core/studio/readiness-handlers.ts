import { CoursewrightError } from '../../schemas/errors.js';
import type { MissingForPackage, PackageReadiness } from '../../schemas/readiness.js';
import { findMissingPieces, missingPieceSentence } from '../lifecycle/readiness.js';
import type { Store } from '../ports.js';
import type { StudioHandlers } from './dispatch.js';

/**
 * What a package build would refuse today, without building: the same rule as
 * core/packaging (latest approved syllabus, then every lesson, quiz and required project
 * approved), each gap named with its place so the studio can link to it and say why Build waits.
 */
export function packageReadiness(store: Store, courseId: string): PackageReadiness {
  const course = store.courses.get(courseId);
  if (!course) throw new CoursewrightError('NOT_FOUND', `No course "${courseId}". Open it from the course list.`, { courseId });
  const versions = store.syllabi.listByCourse(courseId);
  const approved = versions.filter((v) => v.status === 'APPROVED').at(-1);
  if (!approved) {
    const latest = versions.at(-1);
    const syllabusGap: MissingForPackage = {
      kind: 'syllabus',
      targetId: courseId,
      itemId: latest?.id ?? null,
      title: course.title,
      moduleNumber: null,
      lessonNumber: null,
      status: latest?.status ?? null,
      sentence: latest ? `The syllabus (version ${latest.version}) is not approved yet.` : 'The course has no syllabus yet: generate or write one.',
    };
    return { courseId, ready: false, syllabusVersion: null, missing: [syllabusGap] };
  }
  const { missing } = findMissingPieces(approved.syllabus, store.content.listBySyllabusVersion(approved.id));
  return {
    courseId,
    ready: missing.length === 0,
    syllabusVersion: approved.version,
    missing: missing.map((piece) => ({
      kind: piece.kind,
      targetId: piece.targetId,
      itemId: piece.latest?.itemId ?? null,
      title: piece.kind === 'project' ? piece.moduleTitle : (piece.lessonTitle ?? piece.title),
      moduleNumber: piece.moduleNumber,
      lessonNumber: piece.lessonNumber,
      status: piece.latest?.status ?? null,
      sentence: missingPieceSentence(piece),
    })),
  };
}

export function createReadinessHandlers(deps: { store: Store }): Pick<StudioHandlers, 'packages.readiness'> {
  return { 'packages.readiness': ({ courseId }) => packageReadiness(deps.store, courseId) };
}
