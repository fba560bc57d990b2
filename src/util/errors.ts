/** A mistake in what the user gave us: printed as one line, exit code 2, never a stack trace. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** The work ran out of its time budget. */
export class DeadlineError extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what} did not finish within ${Math.round(ms / 1000)} s`);
    this.name = 'DeadlineError';
  }
}

export function errorMessage(err: unknown): string {
  // A schema error's message is its issues as JSON over many lines: name the first issue instead.
  const issue = (err as { issues?: { path?: PropertyKey[]; message?: string }[] })?.issues?.[0];
  if (issue?.message) return `${issue.path?.length ? `${issue.path.map(String).join('.')}: ` : ''}${issue.message}`;
  if (err instanceof Error) return err.message.split('\n')[0] ?? String(err);
  return String(err);
}
