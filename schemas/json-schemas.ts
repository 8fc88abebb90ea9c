import { z } from 'zod';
import { LessonContent, Project, Quiz } from './content.js';
import { LearningIntent } from './intent.js';
import { Syllabus } from './syllabus.js';

/**
 * The JSON Schema files checked in under schemas/json/, derived from the zod schemas. Editors
 * (Monaco) and outside tools validate against these; a test fails when they drift.
 */
export function jsonSchemaFiles(): Record<string, Record<string, unknown>> {
  const describe = (schema: z.ZodType, id: string, title: string) => ({
    $id: `urn:coursewright:schema:${id}`,
    title,
    ...(z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>),
  });
  return {
    'intent.schema.json': describe(LearningIntent, 'intent.schema.json', 'Coursewright learning intent'),
    'syllabus.schema.json': describe(Syllabus, 'syllabus.schema.json', 'Coursewright syllabus'),
    'lesson.schema.json': describe(LessonContent, 'lesson.schema.json', 'Coursewright lesson content'),
    'quiz.schema.json': describe(Quiz, 'quiz.schema.json', 'Coursewright lesson quiz'),
    'project.schema.json': describe(Project, 'project.schema.json', 'Coursewright module project with rubric'),
  };
}
