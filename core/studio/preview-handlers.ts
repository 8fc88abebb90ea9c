import { coursePreview } from '../packaging/preview.js';
import type { Store } from '../ports.js';
import type { StudioHandlers } from './dispatch.js';

/** The learner preview: read-only, so it needs the store and nothing else (no actor, no audit). */
export function createPreviewHandlers(context: { store: Store }): Pick<StudioHandlers, 'preview.course'> {
  return {
    'preview.course': ({ courseId, packageId }) => coursePreview(context.store, courseId, packageId),
  };
}
