import net from 'node:net';
import path from 'node:path';
import { createContentEngine } from '../../../core/content/engine.js';
import { createContentEditor } from '../../../core/content/edit.js';
import { createEngine } from '../../../core/engine.js';
import { createPackageEngine } from '../../../core/packaging/engine.js';
import type { LessonContent } from '../../../schemas/content.js';
import { openDatabase } from '../../../db/open.js';
import { approveAllContent, createCourseWithApprovedSyllabus, tempDataDir } from '../../helpers.js';

/** A port nothing listens on now (taken and let go), for a server that is "down" until started there. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A real studio database file with one course whose everything is approved and two packages of
 * different content (v2 has an edited lesson title): what publishing starts from.
 */
export async function studioWithTwoPackages(label: string) {
  const dataDir = tempDataDir(label);
  const file = path.join(dataDir, 'coursewright.db');
  const opened = openDatabase(file);
  const engine = createEngine({ store: opened.store });
  const content = createContentEngine({ store: opened.store });
  const packages = createPackageEngine({ store: opened.store });
  const { course } = await createCourseWithApprovedSyllabus(engine);
  const items = await approveAllContent(content, course.id);
  const first = packages.buildPackage(course.id, 'dana');
  const lesson = items.find((item) => item.kind === 'lesson')!;
  const edited = createContentEditor({ store: opened.store }).editContent(lesson.id, { ...(lesson.content as LessonContent), title: 'An edited lesson title for version two' }, 'dana');
  content.openContent(edited.id);
  content.submitContent([edited.id], 'dana');
  content.approveContent([edited.id], { by: 'rui' });
  const second = packages.buildPackage(course.id, 'dana');
  opened.close();
  return { dataDir, file, courseId: course.id, first, second };
}
