import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A command-line mistake: printed without a stack trace, exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** parseArgs with strict checking whose errors become UsageErrors naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${command}: ${message} (see snowtorch ${command} --help)`);
  }
}
