/**
 * Where a JSON text stops being JSON (RFC 8259), as a line and column, and why. `JSON.parse` says
 * where on some Node versions and some errors only ("Unexpected token '}', ... is not valid JSON"),
 * so the text is scanned again here to point at the place every time.
 */
export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  reason: string;
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text);
  const failure = scanner.document();
  if (failure === undefined) return undefined;
  return { ...lineAndColumn(text, failure.offset), reason: failure.reason };
}

interface Failure {
  offset: number;
  reason: string;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Scanner {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): Failure | undefined {
    this.skipSpace();
    const failure = this.value();
    if (failure !== undefined) return failure;
    this.skipSpace();
    return this.at < this.text.length ? this.unexpected("the end of the document") : undefined;
  }

  private value(): Failure | undefined {
    const char = this.text[this.at];
    switch (char) {
      case "{":
        return this.object();
      case "[":
        return this.array();
      case '"':
        return this.string();
      case "t":
        return this.word("true");
      case "f":
        return this.word("false");
      case "n":
        return this.word("null");
      default:
        if (char !== undefined && /[-0-9]/.test(char)) return this.number();
        return this.unexpected("a value");
    }
  }

  private object(): Failure | undefined {
    this.at++; // "{"
    this.skipSpace();
    if (this.text[this.at] === "}") {
      this.at++;
      return undefined;
    }
    for (;;) {
      if (this.text[this.at] !== '"') return this.unexpected("a property name in double quotes");
      const key = this.string();
      if (key !== undefined) return key;
      this.skipSpace();
      if (this.text[this.at] !== ":") return this.unexpected('":" after the property name');
      this.at++;
      this.skipSpace();
      const value = this.value();
      if (value !== undefined) return value;
      this.skipSpace();
      const next = this.text[this.at];
      if (next === "}") {
        this.at++;
        return undefined;
      }
      if (next !== ",") return this.unexpected('"," or "}"');
      const comma = this.at++;
      this.skipSpace();
      if (this.text[this.at] === "}")
        return { offset: comma, reason: 'trailing comma before "}" (not allowed in JSON)' };
    }
  }

  private array(): Failure | undefined {
    this.at++; // "["
    this.skipSpace();
    if (this.text[this.at] === "]") {
      this.at++;
      return undefined;
    }
    for (;;) {
      const value = this.value();
      if (value !== undefined) return value;
      this.skipSpace();
      const next = this.text[this.at];
      if (next === "]") {
        this.at++;
        return undefined;
      }
      if (next !== ",") return this.unexpected('"," or "]"');
      const comma = this.at++;
      this.skipSpace();
      if (this.text[this.at] === "]")
        return { offset: comma, reason: 'trailing comma before "]" (not allowed in JSON)' };
    }
  }

  private string(): Failure | undefined {
    const start = this.at;
    this.at++; // opening quote
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) return { offset: start, reason: "string never closed" };
      if (char === '"') {
        this.at++;
        return undefined;
      }
      if (char === "\n" || char === "\r")
        return { offset: start, reason: "string not closed before the end of its line" };
      if (char < " ")
        return { offset: this.at, reason: "control character (such as a tab) inside a string; write it escaped" };
      if (char === "\\") {
        const escape = this.text[this.at + 1];
        if (escape === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) {
            return { offset: this.at, reason: '"\\u" escape without 4 hex digits' };
          }
          this.at += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape))
          return { offset: this.at, reason: "invalid escape in a string" };
        this.at += 2;
        continue;
      }
      this.at++;
    }
  }

  private number(): Failure | undefined {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (match === null) return { offset: this.at, reason: "invalid number" };
    const end = this.at + match[0].length;
    const next = this.text[end];
    if (next !== undefined && /[0-9.eE]/.test(next)) return { offset: this.at, reason: "invalid number" };
    this.at = end;
    return undefined;
  }

  private word(word: string): Failure | undefined {
    if (this.text.startsWith(word, this.at)) {
      this.at += word.length;
      return undefined;
    }
    return this.unexpected("a value");
  }

  private skipSpace(): void {
    while (this.at < this.text.length && " \t\n\r".includes(this.text[this.at] ?? "")) this.at++;
  }

  private unexpected(expected: string): Failure {
    const offset = this.at;
    if (offset >= this.text.length) return { offset, reason: `unexpected end of file, expected ${expected}` };
    if (this.text.startsWith("//", offset) || this.text.startsWith("/*", offset)) {
      return { offset, reason: "comment (comments are not allowed in JSON)" };
    }
    if (this.text[offset] === "'") return { offset, reason: "single quote (JSON strings use double quotes)" };
    const rest = this.text.slice(offset);
    // A string is shown as written (`found "seed"`: a comma is missing before it), a word whole.
    const found =
      rest.match(/^"[^"\n]{0,40}"/)?.[0] ?? JSON.stringify(rest.match(/^[A-Za-z_$][\w$]*/)?.[0] ?? rest[0] ?? "");
    return { offset, reason: `expected ${expected}, found ${found}` };
  }
}
