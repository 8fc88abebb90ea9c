import type { ContentItem } from '../../schemas/content.js';
import { CoursewrightError } from '../../schemas/errors.js';
import { contentHash } from '../hash.js';
import { randomIds, systemClock } from '../ids.js';
import type { Clock, IdGenerator, Store } from '../ports.js';
import { checkEditedContent, contentIssueLine } from './edit-check.js';

/** Human edits are recorded where model runs record their provider, so history says who wrote what. */
export const HUMAN_EDIT_PROVIDER = 'human';

const kindName = { lesson: 'lesson', quiz: 'quiz', project: 'project' } as const;

/**
 * Editing lessons, quizzes and projects by hand. An edit never changes a stored version: it is
 * saved as a new DRAFT version beside it (a draft it replaces becomes SUPERSEDED; an approved or
 * rejected version stays exactly as it was). The edit passes the same schema and cross-checks
 * against the approved syllabus that model output passes, or nothing is saved.
 */
export function createContentEditor(deps: { store: Store; clock?: Clock; ids?: IdGenerator }) {
  const { store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;

  function requireEditable(itemId: string): ContentItem {
    const base = store.content.get(itemId);
    if (!base) throw new CoursewrightError('NOT_FOUND', `No content item "${itemId}". List a course's content with \`coursewright content list COURSE\`.`);
    const what = `${kindName[base.kind]} v${base.version} (${base.id})`;
    if (base.status === 'IN_REVIEW') throw new CoursewrightError('CONFLICT', `The ${what} is in review; a reviewer must approve or reject it before it is edited.`);
    if (base.status === 'SUPERSEDED') throw new CoursewrightError('CONFLICT', `The ${what} was replaced by a newer version; edit the latest one instead.`);
    const newer = store.content
      .listBySyllabusVersion(base.syllabusVersionId)
      .find((i) => i.kind === base.kind && i.targetId === base.targetId && (i.status === 'DRAFT' || i.status === 'IN_REVIEW') && i.id !== base.id);
    if (newer) {
      const wayOut = newer.status === 'DRAFT' ? `Edit that draft instead (${newer.id}).` : 'A reviewer must approve or reject it first.';
      throw new CoursewrightError('CONFLICT', `This ${kindName[base.kind]} already has a newer ${newer.status === 'DRAFT' ? 'draft' : 'version in review'}, v${newer.version}, so v${base.version} cannot be edited. ${wayOut}`, { liveId: newer.id });
    }
    const syllabus = store.syllabi.get(base.syllabusVersionId);
    if (!syllabus || syllabus.status !== 'APPROVED') throw new CoursewrightError('CONFLICT', `The ${what} was not written from an approved syllabus, so it cannot be edited.`);
    const latest = store.syllabi
      .listByCourse(base.courseId)
      .filter((v) => v.status === 'APPROVED')
      .at(-1);
    if (latest && latest.id !== syllabus.id) {
      // Only content of the latest approved syllabus counts towards the course; an edit of outdated content would never count.
      throw new CoursewrightError('CONFLICT', `The ${what} was written for syllabus v${syllabus.version}, but the course's approved syllabus is now v${latest.version}. Generate content for the new syllabus and edit that.`);
    }
    return base;
  }

  /** Saves `input` as the next draft version of the item; refuses invalid content naming each field, and content that changes nothing. */
  function editContent(itemId: string, input: unknown, actor: string): ContentItem {
    const name = actor.trim();
    if (!name) throw new CoursewrightError('INVALID_INPUT', "An edit needs the editor's name; set it in Settings.");
    return store.transaction(() => {
      // Judged inside the write transaction: another window cannot replace the version between the check and the save.
      const base = requireEditable(itemId);
      const syllabus = store.syllabi.get(base.syllabusVersionId)!;
      const checked = checkEditedContent(base.kind, input, { syllabus: syllabus.syllabus, syllabusVersionId: base.syllabusVersionId, targetId: base.targetId });
      if (!checked.ok) {
        const shown = checked.issues.slice(0, 12).map(contentIssueLine);
        const more = checked.issues.length > shown.length ? [`…and ${checked.issues.length - shown.length} more`] : [];
        throw new CoursewrightError('INVALID_INPUT', `The edited ${kindName[base.kind]} was not saved:\n  ${[...shown, ...more].join('\n  ')}`, { issues: checked.issues });
      }
      const hash = contentHash(checked.content);
      if (hash === contentHash(base.content)) {
        throw new CoursewrightError('CONFLICT', `No changes to save: the ${kindName[base.kind]} is the same as v${base.version}.`, { unchanged: true });
      }
      const createdAt = clock.now().toISOString();
      const id = ids.newId(base.kind === 'lesson' ? 'les' : base.kind === 'quiz' ? 'qz' : 'prj');
      if (base.status === 'DRAFT') store.content.changeStatus(base.id, { status: 'SUPERSEDED', at: createdAt });
      const version = store.content.nextVersion(base.syllabusVersionId, base.kind, base.targetId);
      store.content.insert({
        id,
        courseId: base.courseId,
        syllabusVersionId: base.syllabusVersionId,
        kind: base.kind,
        targetId: base.targetId,
        version,
        status: 'DRAFT',
        content: checked.content,
        metadata: { promptVersion: base.metadata.promptVersion, provider: HUMAN_EDIT_PROVIDER, model: 'edit', params: { editedFrom: base.version }, createdBy: name, createdAt },
        basedOnId: base.id,
        contentHash: hash,
      });
      store.audit.append({
        actor: name,
        action: 'content.edited',
        entityType: 'content_item',
        entityId: id,
        metadata: { courseId: base.courseId, kind: base.kind, targetId: base.targetId, version, basedOn: base.id },
      });
      return store.content.get(id)!;
    });
  }

  return { editContent };
}

export type ContentEditor = ReturnType<typeof createContentEditor>;
