import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from '../schemas/json-schemas.js';

const outDir = fileURLToPath(new URL('../schemas/json/', import.meta.url));
fs.mkdirSync(outDir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemaFiles())) {
  fs.writeFileSync(path.join(outDir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/json/${name}`);
}
