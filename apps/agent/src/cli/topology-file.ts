import { readFile } from 'node:fs/promises';
import { describeIssue, validateTopology, type Topology } from '@netcanvas/model';
import { CliError, EXIT_USAGE, systemErrorCode } from './errors';
import { plural } from './output';

/** Reads and validates a topology file ("-" is standard input). Nothing is spawned here. */
export async function readTopologyFile(file: string): Promise<Topology> {
  const shown = displayName(file);
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${shown}: ${fsProblem(error)}`, EXIT_USAGE);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${shown} is not valid JSON: ${jsonProblem(error, text)}`, EXIT_USAGE);
  }
  const result = validateTopology(json);
  if (!result.ok)
    throw new CliError(
      `${shown} is not a valid topology (${plural(result.issues.length, 'problem')}); nothing was changed`,
      EXIT_USAGE,
      result.issues.map((issue) => `${shown}: ${describeIssue(issue)}`),
    );
  return result.value;
}

export const displayName = (file: string): string => (file === '-' ? '(standard input)' : file);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function fsProblem(error: unknown): string {
  switch (systemErrorCode(error)) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a topology file';
    case 'EACCES':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** V8's message, plus the line and column when it gives a position. */
function jsonProblem(error: unknown, text: string): string {
  // V8 quotes the text around the error, newlines and all; keep the message on one line.
  const message = (error instanceof Error ? error.message : String(error)).replaceAll('\n', '\\n');
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
