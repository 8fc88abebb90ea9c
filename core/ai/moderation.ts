import type { ModerationHook } from './port.js';

/** Phrases that mean the model was steered by text it should have treated as data. */
const injectionEchoes = [
  /ignore (all )?(the )?(previous|prior|above) instructions/i,
  /disregard (all )?(the )?(previous|prior|above) instructions/i,
  /(reveal|print|show) (your|the) system prompt/i,
];

const defaultBlocklist = ['make a bomb', 'build a bomb', 'synthesize nerve agent', 'credit card numbers of'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The default moderation hook: a local, case-insensitive whole-phrase blocklist plus detection
 * of prompt-injection echoes. Nothing leaves the machine.
 */
export class BlocklistModeration implements ModerationHook {
  readonly name = 'blocklist moderation';
  private readonly patterns: Array<{ phrase: string; pattern: RegExp }>;

  constructor(blocklist: string[] = defaultBlocklist) {
    this.patterns = blocklist.map((phrase) => ({ phrase, pattern: new RegExp(`\\b${escapeRegExp(phrase)}\\b`, 'i') }));
  }

  check(text: string): { allowed: true } | { allowed: false; reason: string } {
    for (const { phrase, pattern } of this.patterns) {
      if (pattern.test(text)) return { allowed: false, reason: `contains the blocked phrase "${phrase}"` };
    }
    for (const pattern of injectionEchoes) {
      const match = pattern.exec(text);
      if (match) return { allowed: false, reason: `contains prompt-injection text ("${match[0]}"); write course content only` };
    }
    return { allowed: true };
  }
}
