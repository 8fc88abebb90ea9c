import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../hash.js';
import type { ChatMessage } from '../ai/port.js';
import { fillTemplate, repairMessageOf } from '../ai/prompt-template.js';
import type { LearningIntent } from '../../schemas/intent.js';
import { Syllabus } from '../../schemas/syllabus.js';
import { syllabusPromptTemplateV1 as template } from '../../resources/prompts/syllabus/template.v1.js';

/** The prompt version recorded on drafts: the hash of the whole template, so any edit shows. */
export const syllabusPromptVersion = `${template.id}+sha256:${sha256Hex(canonicalJson(template))}`;

let responseSchema: { name: string; schema: Record<string, unknown> } | undefined;

/** Built on first use: converting the zod schema is work no command needs at start-up. */
export function syllabusResponseSchema() {
  return (responseSchema ??= { name: 'syllabus', schema: z.toJSONSchema(Syllabus, { io: 'input' }) as Record<string, unknown> });
}

export function buildSyllabusMessages(intent: LearningIntent): ChatMessage[] {
  const values = {
    intent: canonicalJson(intent),
    schema: JSON.stringify(syllabusResponseSchema().schema),
    minutes: String(Math.round(intent.timeBudgetHours * 60)),
  };
  return [
    { role: 'system', content: fillTemplate(template.system, values) },
    { role: 'user', content: fillTemplate(template.user, values) },
  ];
}

/** What the model is told when its answer failed: every problem, then the demand to try again. */
export const syllabusRepairMessage = repairMessageOf(template.repair);
