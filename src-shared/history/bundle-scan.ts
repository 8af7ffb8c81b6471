/**
 * Reads a bundle's JSON text in pieces, in bounded memory (runs anywhere, no recursion). A bundle
 * is one object whose `machines` and `runs` are arrays that can hold hundreds of megabytes; the
 * scanner walks the text once, checks its structure (brackets, commas, colons, member names) and
 * the limits (nesting depth, characters per run, per machine and per other member, how many runs
 * and machines), and hands each array element and each other top-level member over as its own
 * JSON text, never the whole. The text of one element is then parsed with JSON.parse, which only
 * has to check what the scanner does not (literals, numbers, string escapes), and never sees more
 * than a limit's worth of text or nesting.
 *
 * A limit that is crossed, or text that is not JSON, stops the scan with a ScanError naming the
 * field ("runs.3.params.a.a…") and the character where it happened.
 */

export interface ScanLimits {
  /** Objects and arrays nested in one another, the bundle itself counted as the first. */
  maxDepth: number;
  /** JSON text of one element of `runs`. */
  maxRunChars: number;
  /** JSON text of one element of `machines`. */
  maxMachineChars: number;
  /** JSON text of any other top-level member (format, createdAt, …). */
  maxMemberChars: number;
  maxRuns: number;
  maxMachines: number;
}

export type ScanEvent =
  /** A top-level member other than the `machines` and `runs` arrays, with its value's JSON text. */
  | { type: 'member'; key: string; text: string; at: number }
  /** One element of the top-level `machines` or `runs` array. */
  | { type: 'element'; array: 'machines' | 'runs'; index: number; text: string; at: number }
  /** The top-level `machines` or `runs` array began (the member is an array). */
  | { type: 'array'; array: 'machines' | 'runs' };

export type ScanErrorKind = 'syntax' | 'truncated' | 'limit' | 'not-object';

export class ScanError extends Error {
  constructor(
    readonly kind: ScanErrorKind,
    /** Dotted path of the field, '' for the bundle itself. */
    readonly path: string,
    message: string,
    /** Character offset in the text. */
    readonly at: number,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}

const OBJ_KEY_OR_END = 0;
const OBJ_KEY = 1;
const OBJ_COLON = 2;
const OBJ_VALUE = 3;
const OBJ_COMMA_OR_END = 4;
const ARR_VALUE_OR_END = 5;
const ARR_VALUE = 6;
const ARR_COMMA_OR_END = 7;

interface Frame {
  arr: boolean;
  state: number;
  /** Raw text of the current member name (without quotes, at most KEY_KEEP characters). */
  key: string;
  index: number;
  /** The top-level `machines` / `runs` array. */
  collection: 'machines' | 'runs' | null;
}

/** Characters of a member name kept for error paths (the top level keeps up to MAX_TOP_KEY). */
const KEY_KEEP = 64;
const MAX_TOP_KEY = 1000;

const isScalarChar = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 43 || c === 46;

export class BundleScanner {
  private readonly stack: Frame[] = [];
  private root: 'before' | 'in' | 'done' = 'before';
  private offset = 0;
  private chunk = '';
  // A string in progress.
  private inString = false;
  private escape = false;
  private stringIsKey = false;
  private keyParts: string[] = [];
  private keyLen = 0;
  // A number or literal in progress.
  private inScalar = false;
  // The value whose text is being collected.
  private capDepth = -1;
  private capParts: string[] = [];
  private capStart = 0;
  private capLen = 0;
  private capLimit = 0;
  private capAt = 0;
  private capWhat: { type: 'member'; key: string } | { type: 'element'; array: 'machines' | 'runs'; index: number } | null = null;
  /** The current top-level member's name, decoded. */
  private topKey = '';
  /**
   * Inside a collected object or array (an element, or another member), only brackets and strings
   * are followed: JSON.parse checks that text in full afterwards. fastDepth counts the open
   * brackets; 0 when not in this mode.
   */
  private fastDepth = 0;
  private fastInString = false;

  constructor(
    private readonly limits: ScanLimits,
    private readonly emit: (event: ScanEvent) => void,
  ) {}

  /** Characters read so far. */
  get position(): number {
    return this.offset;
  }

  write(chunk: string): void {
    this.chunk = chunk;
    const n = chunk.length;
    let i = 0;
    this.capStart = 0;
    while (i < n) {
      if (this.fastDepth > 0) {
        i = this.fast(chunk, i, n);
        continue;
      }
      if (this.inString) {
        let j = i;
        let esc = this.escape;
        for (; j < n; j++) {
          if (esc) {
            esc = false;
            continue;
          }
          const c = chunk.charCodeAt(j);
          if (c === 92) esc = true;
          else if (c === 34) break;
        }
        this.escape = esc;
        if (this.stringIsKey) this.keepKey(chunk, i, j);
        if (j === n) break;
        this.inString = false;
        i = j + 1;
        if (this.stringIsKey) this.keyDone(j);
        else this.valueDone(i);
        continue;
      }
      if (this.inScalar) {
        let j = i;
        while (j < n && isScalarChar(chunk.charCodeAt(j))) j++;
        if (j === n) break;
        this.inScalar = false;
        this.valueDone(j);
        i = j;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i++;
        continue;
      }
      i = this.structural(c, i);
    }
    if (this.capWhat) {
      const rest = n - this.capStart;
      if (rest > 0) {
        this.capParts.push(chunk.slice(this.capStart));
        this.capLen += rest;
      }
      this.checkCapture();
    }
    this.offset += n;
    this.chunk = '';
  }

  /** The text has ended: anything still open means it was cut short. */
  end(): void {
    if (this.root === 'done' && !this.inScalar) return;
    if (this.root === 'before') throw new ScanError('syntax', '', 'the bundle is empty', this.offset);
    throw new ScanError('truncated', this.path(), `truncated at character ${this.offset}?`, this.offset);
  }

  private structural(c: number, i: number): number {
    const at = this.offset + i;
    if (this.root !== 'in') {
      if (this.root === 'done') throw new ScanError('syntax', '', `unexpected text after the bundle at character ${at}`, at);
      if (c === 0xfeff && at === 0) return i + 1;
      if (c === 123) {
        this.root = 'in';
        this.push(false, at);
        return i + 1;
      }
      const got = c === 91 ? 'an array' : c === 34 ? 'string' : c === 116 || c === 102 ? 'boolean' : c === 110 ? 'null' : (c >= 48 && c <= 57) || c === 45 ? 'number' : null;
      if (got) throw new ScanError('not-object', '', `expected a JSON object, got ${got}`, at);
      throw this.unexpected(c, at);
    }
    const top = this.stack[this.stack.length - 1]!;
    switch (top.state) {
      case OBJ_KEY_OR_END:
      case OBJ_KEY:
        if (c === 34) {
          this.inString = true;
          this.stringIsKey = true;
          this.escape = false;
          this.keyParts = [];
          this.keyLen = 0;
          return i + 1;
        }
        if (c === 125 && top.state === OBJ_KEY_OR_END) return this.close(i);
        throw this.unexpected(c, at, top.state === OBJ_KEY ? 'a member name in double quotes' : 'a member name or }');
      case OBJ_COLON:
        if (c === 58) {
          top.state = OBJ_VALUE;
          return i + 1;
        }
        throw this.unexpected(c, at, ':');
      case OBJ_COMMA_OR_END:
        if (c === 44) {
          top.state = OBJ_KEY;
          return i + 1;
        }
        if (c === 125) return this.close(i);
        throw this.unexpected(c, at, ', or }');
      case ARR_COMMA_OR_END:
        if (c === 44) {
          top.state = ARR_VALUE;
          return i + 1;
        }
        if (c === 93) return this.close(i);
        throw this.unexpected(c, at, ', or ]');
      case ARR_VALUE_OR_END:
        if (c === 93) return this.close(i);
        return this.beginValue(c, i, top);
      default:
        return this.beginValue(c, i, top);
    }
  }

  private beginValue(c: number, i: number, parent: Frame): number {
    const at = this.offset + i;
    if (parent.arr) {
      parent.index++;
      if (parent.collection) {
        const max = parent.collection === 'runs' ? this.limits.maxRuns : this.limits.maxMachines;
        if (parent.index >= max) throw new ScanError('limit', parent.collection, `more than ${max.toLocaleString('en-US')} ${parent.collection} in one bundle`, at);
      }
    }
    if (!this.capWhat && !this.noCollect) {
      if (this.stack.length === 1 && !(c === 91 && (this.topKey === 'machines' || this.topKey === 'runs'))) {
        this.startCapture(i, { type: 'member', key: this.topKey }, this.limits.maxMemberChars);
      } else if (this.stack.length === 2 && parent.collection) {
        this.startCapture(i, { type: 'element', array: parent.collection, index: parent.index }, parent.collection === 'runs' ? this.limits.maxRunChars : this.limits.maxMachineChars);
      }
    }
    if ((c === 123 || c === 91) && this.capWhat && this.stack.length === this.capDepth) {
      if (this.stack.length + 1 > this.limits.maxDepth) this.push(c === 91, at);
      this.fastDepth = 1;
      this.fastInString = false;
      this.escape = false;
      return i + 1;
    }
    if (c === 123 || c === 91) {
      this.push(c === 91, at);
      const frame = this.stack[this.stack.length - 1]!;
      if (frame.arr && this.stack.length === 2 && (this.topKey === 'machines' || this.topKey === 'runs')) {
        frame.collection = this.topKey;
        this.emit({ type: 'array', array: this.topKey });
      }
      return i + 1;
    }
    if (c === 34) {
      this.inString = true;
      this.stringIsKey = false;
      this.escape = false;
      return i + 1;
    }
    if (c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) {
      this.inScalar = true;
      return i;
    }
    throw this.unexpected(c, at, 'a value');
  }

  /** Follows a collected container to its closing bracket; returns where it stopped. */
  private fast(chunk: string, i: number, n: number): number {
    let d = this.fastDepth;
    let inStr = this.fastInString;
    let esc = this.escape;
    const maxOpen = this.limits.maxDepth - this.capDepth;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (inStr) {
        if (esc) esc = false;
        else if (c === 92) esc = true;
        else if (c === 34) inStr = false;
        continue;
      }
      if (c === 34) inStr = true;
      else if (c === 123 || c === 91) {
        if (++d > maxOpen) {
          this.fastDepth = d;
          throw this.deepError(chunk, i);
        }
      } else if (c === 125 || c === 93) {
        if (--d === 0) {
          this.fastDepth = 0;
          this.fastInString = false;
          this.escape = false;
          this.valueDone(i + 1);
          return i + 1;
        }
      }
    }
    this.fastDepth = d;
    this.fastInString = inStr;
    this.escape = esc;
    return n;
  }

  /**
   * The depth limit was crossed inside a collected value: the same text, walked again by a scanner
   * that follows every member name, says where (only on this error path).
   */
  private deepError(chunk: string, i: number): ScanError {
    const at = this.offset + i;
    const text = this.capParts.join('') + chunk.slice(this.capStart, i + 1);
    const what = this.capWhat!;
    const prefix = what.type === 'member' ? '{"m":' : '{"m":[';
    const walker = new BundleScanner({ ...this.limits, maxRunChars: Infinity, maxMachineChars: Infinity, maxMemberChars: Infinity, maxRuns: Infinity, maxMachines: Infinity }, () => {});
    let inner = '';
    try {
      walker.noCollect = true;
      walker.write(prefix + text);
    } catch (e) {
      if (e instanceof ScanError) inner = e.path.split('.').slice(what.type === 'member' ? 1 : 2).join('.');
    }
    const base = what.type === 'member' ? what.key : `${what.array}.${what.index}`;
    return new ScanError('limit', inner ? `${base}.${inner}` : base, `nested deeper than ${this.limits.maxDepth} levels (at character ${at})`, at);
  }

  /** Set on the walker deepError uses: follow every bracket (no collecting, so no fast mode). */
  private noCollect = false;

  private push(arr: boolean, at: number): void {
    if (this.stack.length >= this.limits.maxDepth) {
      throw new ScanError('limit', this.path(), `nested deeper than ${this.limits.maxDepth} levels (at character ${at})`, at);
    }
    this.stack.push({ arr, state: arr ? ARR_VALUE_OR_END : OBJ_KEY_OR_END, key: '', index: -1, collection: null });
  }

  private close(i: number): number {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.root = 'done';
      return i + 1;
    }
    this.valueDone(i + 1);
    return i + 1;
  }

  /** A value ended just before `end` (an index in the current chunk). */
  private valueDone(end: number): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.root = 'done';
      return;
    }
    parent.state = parent.arr ? ARR_COMMA_OR_END : OBJ_COMMA_OR_END;
    if (this.capWhat && this.stack.length === this.capDepth) {
      const piece = this.chunk.slice(this.capStart, end);
      this.capParts.push(piece);
      this.capLen += piece.length;
      this.checkCapture();
      const text = this.capParts.length === 1 ? this.capParts[0]! : this.capParts.join('');
      const what = this.capWhat;
      const at = this.capAt;
      this.capWhat = null;
      this.capParts = [];
      this.capLen = 0;
      this.capDepth = -1;
      if (what.type === 'member') this.emit({ type: 'member', key: what.key, text, at });
      else this.emit({ type: 'element', array: what.array, index: what.index, text, at });
    }
  }

  private startCapture(i: number, what: NonNullable<BundleScanner['capWhat']>, limit: number): void {
    this.capWhat = what;
    this.capDepth = this.stack.length;
    this.capStart = i;
    this.capParts = [];
    this.capLen = 0;
    this.capLimit = limit;
    this.capAt = this.offset + i;
  }

  private checkCapture(): void {
    if (this.capWhat && this.capLen > this.capLimit) {
      const what = this.capWhat;
      const path = what.type === 'member' ? what.key : `${what.array}.${what.index}`;
      const noun = what.type === 'member' ? 'this member' : what.array === 'runs' ? 'one run' : 'one machine record';
      throw new ScanError('limit', path, `larger than ${formatChars(this.capLimit)} of JSON text, the most ${noun} may take`, this.capAt);
    }
  }

  private keepKey(chunk: string, from: number, to: number): void {
    const cap = this.stack.length === 1 ? MAX_TOP_KEY + 1 : KEY_KEEP;
    if (this.keyLen >= cap) return;
    const piece = chunk.slice(from, Math.min(to, from + (cap - this.keyLen)));
    this.keyParts.push(piece);
    this.keyLen += piece.length;
  }

  private keyDone(closingQuote: number): void {
    const top = this.stack[this.stack.length - 1]!;
    const raw = this.keyParts.join('');
    top.key = raw;
    top.state = OBJ_COLON;
    if (this.stack.length === 1) {
      const at = this.offset + closingQuote;
      if (raw.length > MAX_TOP_KEY) throw new ScanError('limit', '', `a top-level member name is longer than ${MAX_TOP_KEY} characters`, at);
      try {
        this.topKey = JSON.parse(`"${raw}"`) as string;
      } catch (e) {
        throw new ScanError('syntax', '', `a member name is not a valid JSON string (${(e as Error).message})`, at);
      }
    }
  }

  private unexpected(c: number, at: number, wanted?: string): ScanError {
    const ch = c < 32 || c > 126 ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(String.fromCharCode(c));
    return new ScanError('syntax', this.path(), `unexpected ${ch} at character ${at}${wanted ? ` (expected ${wanted})` : ''}`, at);
  }

  /** Dotted path of where the scan is ("runs.3.params.a"). */
  path(): string {
    const parts: string[] = [];
    for (const f of this.stack) {
      if (f.arr) {
        if (f.index >= 0) parts.push(String(f.index));
      } else if (f.key !== '' || f.state !== OBJ_KEY_OR_END) {
        parts.push(decodeKey(f.key));
      }
    }
    return parts.join('.');
  }
}

function decodeKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

export function formatChars(n: number): string {
  if (n >= 2 ** 20 && n % 2 ** 20 === 0) return `${n / 2 ** 20} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n.toLocaleString('en-US')} characters`;
}
