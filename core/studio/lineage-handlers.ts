import { createLineage } from '../lineage/lineage.js';
import type { Store } from '../ports.js';
import type { StudioHandlers } from './dispatch.js';

/** "Where this came from": the lineage of any content or syllabus version. Reads only. */
export function createLineageHandlers(context: { store: Store }): Pick<StudioHandlers, 'lineage.show'> {
  const lineage = createLineage({ store: context.store });
  return {
    'lineage.show': ({ itemId, versionId }) => lineage.show((itemId ?? versionId)!),
  };
}
