import { readFile } from 'node:fs/promises';
import { type EvidenceVerdict, verifyEvidence } from './verifyEvidence';

/** Where the evidence checker reads and writes: the process's streams by default. @public */
export interface VerifyEvidenceCliIo {
  /** Receives the verdict with the problems found, and the help text. */
  stdout: { write(text: string): unknown };
  /** Receives usage errors and files that cannot be read or parsed. */
  stderr: { write(text: string): unknown };
  /** Read for the file name `-`. */
  stdin?: AsyncIterable<string | Buffer>;
}

const USAGE = `Usage: marketplace-verify-evidence <file | ->

Checks an evidence package saved from GET /api/marketplace/apps/{namespace}/{name}/evidence
offline: its digest, the hash chain of its audit entries, and that every sign-off, exception
and the gate results it shows are backed by an audit entry. Reads stdin for '-'.

Exit code: 0 verified, 1 not verified (tampered, or not an evidence package), 2 usage error
or unreadable file.
`;

/**
 * Checks an evidence package file and prints the verdict; returns the exit code.
 *
 * @public
 */
export async function main(
  argv: string[],
  io: VerifyEvidenceCliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const err = (line: string) => io.stderr.write(`${line}\n`);
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const [file] = argv;
  if (argv.length !== 1 || !file || (file.startsWith('-') && file !== '-')) {
    if (argv.length !== 1) {
      err(`Expected one file, got ${argv.length} arguments`);
    } else {
      err(file ? `Unknown option '${printable(file)}'` : 'Empty file name');
    }
    io.stderr.write(USAGE);
    return 2;
  }

  const name = file === '-' ? '<stdin>' : file;
  let text: string;
  try {
    const bytes =
      file === '-'
        ? await readAll(io.stdin ?? process.stdin)
        : await readFile(file);
    // a byte order mark is not content; some editors and shells add one
    text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    err(`Cannot read ${name}: ${(error as Error).message}`);
    return 2;
  }

  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    err(`${name}: ${describeJsonError(text, error as Error)}`);
    return 1;
  }

  let verdict: EvidenceVerdict;
  try {
    verdict = verifyEvidence(pkg);
  } catch (error) {
    // a package with the right format but the wrong shape in places
    verdict = {
      ok: false,
      problems: [`malformed package: ${(error as Error).message}`],
      checkedEntries: 0,
    };
  }
  const entityRef = (pkg as { entityRef?: unknown } | null)?.entityRef;
  const subject = printable(typeof entityRef === 'string' ? entityRef : name);
  if (verdict.ok) {
    const { digest } = pkg as { digest: string };
    out(
      `OK: ${subject}, ${verdict.checkedEntries} audit entries, digest ${digest}`,
    );
    return 0;
  }
  out(`FAILED: ${subject}`);
  for (const problem of verdict.problems) {
    out(printable(problem));
  }
  return 1;
}

async function readAll(stream: AsyncIterable<string | Buffer>) {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

// the package is untrusted input: keep its control and bidi characters off the terminal
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// JSON.parse's message with the line, column and offset of the error
function describeJsonError(text: string, error: Error): string {
  const offset = syntaxErrorOffset(text);
  const message = error.message.replace(/ in JSON at position \d+.*$/, '');
  if (offset === undefined) {
    return `not valid JSON: ${message}`;
  }
  const lines = text.slice(0, offset).split('\n');
  return `not valid JSON at line ${lines.length}, column ${
    lines[lines.length - 1].length + 1
  } (position ${offset}): ${message}`;
}

const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };

// The offset of the first character that cannot continue a JSON text (RFC 8259), or
// undefined when there is none. JSON.parse names it for some errors but not for others,
// e.g. "Unexpected token 'x', ... is not valid JSON".
function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (' \t\n\r'.includes(text[i] ?? '.')) i++;
  };
  const char = (c: string) => {
    if (text[i] !== c) fail();
    i++;
  };
  const stringBody = /[^"\\\u0000-\u001f]*/y; // eslint-disable-line no-control-regex
  const digits = () => {
    const start = i;
    while (text[i] >= '0' && text[i] <= '9') i++;
    if (i === start) fail();
  };
  const string = () => {
    char('"');
    for (;;) {
      stringBody.lastIndex = i;
      stringBody.test(text);
      i = stringBody.lastIndex;
      if (text[i] === '"') {
        i++;
        return;
      }
      char('\\');
      if (text[i] === 'u') {
        i++;
        for (let n = 0; n < 4; n++) {
          if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
          i++;
        }
      } else if ('"\\/bfnrt'.includes(text[i] ?? '.')) {
        i++;
      } else {
        fail();
      }
    }
  };
  const list = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] !== ',') break;
      i++;
    }
    char(close);
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      list('}', () => {
        space();
        string();
        space();
        char(':');
        value();
      });
    } else if (c === '[') {
      list(']', value);
    } else if (c === '"') {
      string();
    } else if (c !== undefined && c in LITERALS) {
      for (const expected of LITERALS[c]) char(expected);
    } else {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (offset) {
    // anything else is e.g. a stack overflow on very deep nesting
    return typeof offset === 'number' ? offset : undefined;
  }
}
