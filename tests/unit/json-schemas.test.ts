import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaFiles } from '../../schemas/json-schemas.js';

describe('checked-in JSON Schema files', () => {
  it.each(Object.entries(jsonSchemaFiles()))('%s matches the zod schema it is generated from', (name, schema) => {
    const checkedIn = JSON.parse(fs.readFileSync(new URL(`../../schemas/json/${name}`, import.meta.url), 'utf8'));
    // On failure: run `npm run schemas:generate` and commit the result.
    expect(checkedIn).toEqual(schema);
  });

  it('the syllabus schema requires what reviewers rely on', () => {
    const syllabus = jsonSchemaFiles()['syllabus.schema.json'] as { required: string[] };
    expect(syllabus.required).toEqual(expect.arrayContaining(['title', 'modules', 'totalEstimatedMinutes']));
  });
});
