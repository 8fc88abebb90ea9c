import { z } from 'zod';
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
  };
}
