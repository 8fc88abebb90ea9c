import { CoursewrightError } from '../../schemas/errors.js';
import type { ContentItem } from '../../schemas/content.js';
import { diffContent } from '../diff/readable.js';
import type { Store } from '../ports.js';
import { createSearch } from '../search/search.js';
import type { StudioHandlers } from './dispatch.js';

function requireItem(store: Store, itemId: string): ContentItem {
  const item = store.content.get(itemId);
  if (!item) throw new CoursewrightError('NOT_FOUND', `No content item "${itemId}". Open the course's content screen to see its items.`, { itemId });
  return item;
}

/** Finding things (search across courses, content and the audit log) and reading what changed between content versions. */
export function createSearchHandlers(context: { store: Store }): Pick<StudioHandlers, 'search.query' | 'content.diff'> {
  const { store } = context;
  const search = createSearch({ store });
  return {
    'search.query': (input) => search.search(input),
    'content.diff': ({ fromId, toId }) => {
      const from = requireItem(store, fromId);
      const to = requireItem(store, toId);
      if (from.courseId !== to.courseId || from.kind !== to.kind || from.targetId !== to.targetId) {
        throw new CoursewrightError(
          'INVALID_INPUT',
          `Only versions of the same ${from.kind} can be compared: ${from.kind} ${from.targetId} v${from.version} and ${to.kind} ${to.targetId} v${to.version} are different items.`,
          { fromId, toId },
        );
      }
      return {
        kind: to.kind,
        from: { id: from.id, version: from.version, status: from.status },
        to: { id: to.id, version: to.version, status: to.status },
        changes: diffContent(to.kind, from.content, to.content),
      };
    },
  };
}
