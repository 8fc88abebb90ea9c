import { describe, expect, it } from 'vitest';
import { fillTemplate, repairMessageOf } from '../../../core/ai/prompt-template.js';

describe('prompt templates', () => {
  it('fills every slot that has a value, each time it appears', () => {
    expect(fillTemplate('Write {{kind}} for {{audience}}; one {{kind}} only.', { kind: 'a quiz', audience: 'nurses' })).toBe('Write a quiz for nurses; one a quiz only.');
  });

  it('leaves a slot with no value as written, so a missing value shows in the ledger', () => {
    expect(fillTemplate('Minutes: {{minutes}}. Schema: {{schema}}', { minutes: '90' })).toBe('Minutes: 90. Schema: {{schema}}');
  });

  it('does not treat text that only looks like a slot as one', () => {
    expect(fillTemplate('{{ spaced }} {single} {{with-dash}}', { spaced: 'x', single: 'y', 'with-dash': 'z' })).toBe('{{ spaced }} {single} {{with-dash}}');
  });

  it('a repair message lists each problem on its own "- " line, in order', () => {
    const repair = repairMessageOf('Your answer had problems:\n{{errors}}\nAnswer again.');
    expect(repair(['modules: too few', 'title: too long'])).toBe('Your answer had problems:\n- modules: too few\n- title: too long\nAnswer again.');
    expect(repair(['only one'])).toBe('Your answer had problems:\n- only one\nAnswer again.');
  });
});
