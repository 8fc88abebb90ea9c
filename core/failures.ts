import { CoursewrightError } from '../schemas/errors.js';
import { ModelError } from './ai/port.js';

/**
 * Turns anything thrown inside the engine into the typed error every transport reports. A
 * model transport failure is not the user's input being wrong, so it never maps to 3.
 */
export function asCoursewrightError(error: unknown): CoursewrightError {
  if (error instanceof CoursewrightError) return error;
  if (error instanceof ModelError) {
    if (error.kind === 'cancelled') return new CoursewrightError('CANCELLED', 'Generation cancelled; nothing was saved.');
    if (error.kind === 'auth_error') return new CoursewrightError('MISSING_API_KEY', error.message);
    return new CoursewrightError(
      'MODEL_UNAVAILABLE',
      `${error.message} Nothing was saved. Check the endpoint (--base-url) and your network, try again later, or use the mock provider.`,
      { kind: error.kind },
    );
  }
  return new CoursewrightError('INTERNAL', error instanceof Error ? error.message : String(error));
}
