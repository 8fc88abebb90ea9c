import { api, type Api, type OperationName, type Result } from '../../schemas/api.js';
import { CoursewrightError, describeZodIssues } from '../../schemas/errors.js';
import { describeFieldIssues, operationFieldLabel } from '../../schemas/field-labels.js';
import type { z } from 'zod';
import { asCoursewrightError } from '../failures.js';

export type OperationHandler<N extends OperationName> = (input: z.infer<Api[N]['input']>) => Promise<z.infer<Api[N]['output']>> | z.infer<Api[N]['output']>;
export type StudioHandlers = { [N in OperationName]: OperationHandler<N> };

/** What every transport calls: one name, one untrusted input, one typed envelope back. */
export type Dispatch = (name: string, rawInput: unknown) => Promise<Result<unknown>>;

/**
 * Registration is explicit and checked: a name must be in the contract and can be registered
 * only once, so two modules can never silently answer the same operation.
 */
export class OperationRegistry {
  private readonly handlers = new Map<OperationName, (input: unknown) => unknown>();

  register<N extends OperationName>(name: N, handler: OperationHandler<N>): void {
    if (!(name in api)) throw new Error(`"${name}" is not an operation of the studio contract (schemas/api.ts).`);
    if (this.handlers.has(name)) throw new Error(`Operation "${name}" is already registered.`);
    this.handlers.set(name, handler as (input: unknown) => unknown);
  }

  registerAll(handlers: StudioHandlers): void {
    for (const name of Object.keys(api) as OperationName[]) this.register(name, handlers[name] as OperationHandler<typeof name>);
  }

  /** Validates the input against the contract before the handler (and so the engine) sees it. */
  readonly dispatch: Dispatch = async (name, rawInput) => {
    try {
      if (typeof name !== 'string' || !Object.hasOwn(api, name)) {
        throw new CoursewrightError('USAGE', `Unknown operation "${String(name)}".`);
      }
      const operation = api[name as OperationName];
      const parsed = operation.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        // The message is for the person at the form (fields as its labels name them); the details keep
        // the paths for scripts.
        throw new CoursewrightError('INVALID_INPUT', describeFieldIssues(parsed.error, operationFieldLabel).join('; '), { issues: describeZodIssues(parsed.error) });
      }
      const handler = this.handlers.get(name as OperationName);
      if (!handler) throw new CoursewrightError('INTERNAL', `Operation "${name}" has no handler in this host.`);
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: asCoursewrightError(error).toEnvelope() };
    }
  };
}
