import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/**
 * A containerlab file read with positions: every problem is said as `line N: topology.links[2].
 * endpoints[1]: …`, the line of the deepest part of that path the file has.
 */

export type ClabPath = readonly (string | number)[];

/** `topology.nodes.srl1.exec[2]`: the path as a person reads it (an odd key in quotes). */
export function clabPathText(path: ClabPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export class ClabSource {
  private readonly lines = new LineCounter();
  readonly document: Document;

  constructor(text: string) {
    this.document = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true });
  }

  /** The YAML's own errors (a bad indent, a duplicate key), each with its line. */
  syntaxErrors(): string[] {
    return this.document.errors.map((e) => {
      const line = e.linePos?.[0]?.line;
      return `${line ? `line ${line}: ` : ''}${e.message.split('\n')[0] ?? e.message}`;
    });
  }

  /**
   * The line of the deepest part of `path` the file has: a mapping's entry by its key's line, a
   * list's item by its own (1 when the file has none of it).
   */
  lineOf(path: ClabPath): number {
    let node: unknown = this.document.contents;
    let line = 1;
    for (const part of path) {
      let next: { at: unknown; value: unknown } | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
        if (pair) next = { at: pair.key, value: pair.value };
      } else if (isSeq(node) && typeof part === 'number') {
        const item: unknown = node.items[part];
        if (item !== undefined) next = { at: item, value: item };
      }
      if (!next) break;
      if (isNode(next.at) && next.at.range) line = this.lines.linePos(next.at.range[0]).line;
      node = next.value;
    }
    return line;
  }

  /** `line N: path: message`. */
  say(path: ClabPath, message: string): string {
    return `line ${this.lineOf(path)}: ${clabPathText(path)}: ${message}`;
  }
}

/** Splits a command line into words as a POSIX shell would (quotes, backslashes; nothing expanded). */
export function shellWords(line: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line.charAt(i + 1)))
        word += line.charAt(++i);
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) word = (word ?? '') + line.charAt(++i);
    else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + c;
  }
  if (quote !== null) return null;
  if (word !== null) words.push(word);
  return words;
}
