import type { z } from 'zod';
import type { SyllabusDiff } from '../../../schemas/api.js';
import { ReadableChanges } from './WordDiff.js';

type Diff = z.infer<typeof SyllabusDiff>;

/** What changed between two syllabus versions: modules and lessons by number and title, text word by word. */
export function DiffView({ diff }: { diff: Diff }) {
  if (diff.changes.length === 0) return <p className="empty">v{diff.from.version} and v{diff.to.version} have the same content.</p>;
  const changes = diff.readable ?? diff.changes.map((c) => ({ subject: `${c.entity} “${c.title}”`, summary: c.kind === 'changed' ? `${c.field} changed` : c.kind }));
  return (
    <div className="readable-diff-box">
      <ReadableChanges testId="diff-table" changes={changes} caption={`${changes.length} change${changes.length === 1 ? '' : 's'} from v${diff.from.version} to v${diff.to.version}`} />
    </div>
  );
}
