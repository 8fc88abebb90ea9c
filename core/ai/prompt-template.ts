/**
 * A versioned prompt template's `{{name}}` slots filled from values. A slot with no value stays as
 * written, so a template that names something the caller does not supply shows it plainly in the
 * ledger instead of silently losing text.
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** What the model is told when its answer failed: the template's repair text with one "- problem" line per error. */
export function repairMessageOf(repairTemplate: string): (errors: string[]) => string {
  return (errors) => fillTemplate(repairTemplate, { errors: errors.map((e) => `- ${e}`).join('\n') });
}
