import { CoursewrightError } from '../../schemas/errors.js';
import type { SettingsStore } from '../ports.js';

/** The settings key: when true, whoever wrote a version may not approve it. Off unless someone turns it on. */
export const separationOfDutiesSetting = 'separationOfDuties';

export function separationOfDutiesOn(settings: SettingsStore): boolean {
  return settings.get(separationOfDutiesSetting) === true;
}

/** People are named by hand in several places; "Dana " and "dana" are the same person. */
export function samePerson(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/**
 * The author of a version is whoever made it: the generator's actor, the person whose edit
 * saved it, or who started it as a revision. Every change is a new version, so the last editor
 * of a version is its creator.
 */
export function requireSeparateReviewer(settings: SettingsStore, version: { author: string; what: string }, approver: string): void {
  if (!separationOfDutiesOn(settings) || !version.author.trim() || !samePerson(version.author, approver)) return;
  throw new CoursewrightError(
    'CONFLICT',
    `You wrote this version; another reviewer must approve it. ${version.what} was written by ${version.author.trim()}, and separation of duties is on in Settings.`,
    { author: version.author.trim(), approver: approver.trim(), rule: 'separation-of-duties' },
  );
}
