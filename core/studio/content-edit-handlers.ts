import { createContentEditor } from '../content/edit.js';
import type { Clock, Store } from '../ports.js';
import type { StudioHandlers } from './dispatch.js';

/**
 * Hand edits of lessons, quizzes and projects. The editor's name comes from the studio settings
 * (the `actor` the host passes), never from the renderer's input.
 */
export function createContentEditHandlers(context: { store: Store; actor: () => string; clock?: Clock }): Pick<StudioHandlers, 'content.edit'> {
  const editor = createContentEditor({ store: context.store, ...(context.clock ? { clock: context.clock } : {}) });
  return {
    'content.edit': ({ itemId, content }) => editor.editContent(itemId, content, context.actor()),
  };
}
