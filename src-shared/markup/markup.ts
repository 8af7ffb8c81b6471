/**
 * The one escaping boundary for SVG and HTML (runs anywhere). Every chart in src-shared/charts and
 * the HTML report write their markup with these tagged templates, never by joining strings:
 *
 *   svg`<text class="label" x="${x}">${name}</text>`   (html`…` is the same tag, for HTML)
 *
 * Each interpolation is handled by where it stands in the template, which the tag reads from the
 * template's own literal text (written by us, never by data):
 *  - element content: a string is escaped (& < > " ' as character references; C0/C1 control
 *    characters, U+FFFE/U+FFFF and lone surrogates become U+FFFD, so the SVG is also well-formed
 *    XML), a number is written as a number (finite only: NaN and ±∞ become the token `NaN`, an
 *    invalid length that a browser ignores), null/undefined/false are nothing, an array is its
 *    items in order, and a SafeMarkup (another template's result) goes in as it is — that is how
 *    fragments nest;
 *  - a quoted attribute value: strings and numbers as above; nothing else;
 *  - between attributes (`<line x1="0"${dash}>`): only attribute fragments made with attrs`…`
 *    (or nothing), so no string can add an attribute;
 *  - the text of a <style>: only styleText(css), which refuses CSS that could close the element;
 *  - anywhere else (a tag or attribute name, an unquoted value, a comment): the tag throws, so an
 *    unsafe template fails the first time it runs, in the tests, whatever the data.
 * A template must also end where it started (content, or between attributes for attrs`…`), so a
 * fragment can never leave a tag or a quote open for the next one.
 *
 * SafeMarkup is a class with a private field: TypeScript will not accept a plain string (or any
 * look-alike object) where it is expected, so the renderer mounts charts only through
 * innerMarkup(SafeMarkup) (ESLint forbids any other dangerouslySetInnerHTML). There is no way to
 * turn an arbitrary string into SafeMarkup: the only constructors are the tags, styleText and
 * withoutXmlns. Rules for CSV and Markdown are beside their renderers (docs/escaping.md).
 */

/** Where a fragment may be placed: element content, an attribute list, or the text of a <style>. */
type MarkupContext = 'content' | 'attributes' | 'style';

const INTERNAL: unique symbol = Symbol('SafeMarkup');

/** Markup made by the tags of this module: safe to insert into an element as it is. */
export class SafeMarkup {
  readonly #markup: string;
  readonly #context: MarkupContext;

  /** Not for use outside this module (the token is not exported): make markup with svg`…`, html`…`, attrs`…`. */
  constructor(token: typeof INTERNAL, markup: string, context: MarkupContext) {
    if (token !== INTERNAL) throw new TypeError('SafeMarkup is made by the svg`…`, html`…` and attrs`…` tags only');
    this.#markup = markup;
    this.#context = context;
  }

  /** Which kind of place the fragment belongs in. */
  get context(): MarkupContext {
    return this.#context;
  }

  toString(): string {
    return this.#markup;
  }

  /** JSON (e.g. the report model in a .json export) carries the markup as a string. */
  toJSON(): string {
    return this.#markup;
  }
}

export function isSafeMarkup(value: unknown): value is SafeMarkup {
  return value instanceof SafeMarkup;
}

/** What may be interpolated (each only where the rules above allow it). */
export type Interpolation = SafeMarkup | string | number | null | undefined | false | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Markup characters; controls (not tab, LF, CR) and noncharacters that XML forbids; lone surrogates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[&<>"']|[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text made safe as element content and inside a single- or double-quoted attribute value. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (c) => ESCAPES[c] ?? '\uFFFD');
}

/** A number as markup text: finite numbers as JavaScript writes them (digits, '.', '-', 'e', '+'), anything else `NaN`. */
export function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'NaN';
}

// ---- reading a template's literal text ---------------------------------------------------------

type State = 'text' | 'tagName' | 'inTag' | 'attrName' | 'beforeValue' | 'dq' | 'sq' | 'unquoted' | 'comment' | 'rawText';

/**
 * What an interpolation slot is: how its value is written, or why the template is refused.
 * 'spacedAttributes': right after a tag name or a closing quote, where a fragment must start with
 * white space (` class="num"`) to be an attribute list at all.
 */
type Slot = 'content' | 'value' | 'attributes' | 'spacedAttributes' | 'style';

/** Elements whose text HTML does not parse as markup (an HTML <title> or <textarea> still decodes references: plain content here). */
const RAW_TEXT = new Set(['style', 'script', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
const SPACE = /[\t\n\f\r ]/;

interface Scanner {
  state: State;
  tag: string;
  closing: boolean;
  raw: string;
}

function endOfTag(s: Scanner): void {
  if (!s.closing && RAW_TEXT.has(s.tag)) {
    s.state = 'rawText';
    s.raw = s.tag;
  } else s.state = 'text';
}

function scan(chunk: string, s: Scanner): void {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i]!;
    switch (s.state) {
      case 'text':
        if (c === '<') {
          if (chunk.startsWith('!--', i + 1)) {
            s.state = 'comment';
            i += 3;
          } else {
            s.state = 'tagName';
            s.tag = '';
            s.closing = false;
          }
        }
        break;
      case 'tagName':
        if (c === '/' && s.tag === '') s.closing = true;
        else if (SPACE.test(c) || c === '/') s.state = 'inTag';
        else if (c === '>') endOfTag(s);
        else s.tag += c.toLowerCase();
        break;
      case 'inTag':
        if (c === '>') endOfTag(s);
        else if (!SPACE.test(c) && c !== '/') s.state = 'attrName';
        break;
      case 'attrName':
        if (c === '=') s.state = 'beforeValue';
        else if (SPACE.test(c) || c === '/') s.state = 'inTag';
        else if (c === '>') endOfTag(s);
        break;
      case 'beforeValue':
        if (c === '"') s.state = 'dq';
        else if (c === "'") s.state = 'sq';
        else if (c === '>') endOfTag(s);
        else if (!SPACE.test(c)) s.state = 'unquoted';
        break;
      case 'dq':
        if (c === '"') s.state = 'inTag';
        break;
      case 'sq':
        if (c === "'") s.state = 'inTag';
        break;
      case 'unquoted':
        if (SPACE.test(c)) s.state = 'inTag';
        else if (c === '>') endOfTag(s);
        break;
      case 'comment':
        if (chunk.startsWith('-->', i)) {
          s.state = 'text';
          i += 2;
        }
        break;
      case 'rawText':
        if (c === '<' && chunk.slice(i + 1, i + 2 + s.raw.length).toLowerCase() === `/${s.raw}`) {
          s.state = 'tagName';
          s.tag = '';
          s.closing = false;
        }
        break;
    }
  }
}

function slotOf(s: Scanner, before: string): Slot | null {
  switch (s.state) {
    case 'text':
      return 'content';
    case 'dq':
    case 'sq':
      return 'value';
    case 'inTag':
      return SPACE.test(before.slice(-1)) ? 'attributes' : 'spacedAttributes';
    case 'tagName':
      // `<td${attrs}>`: after a whole start tag name.
      return s.tag !== '' && !s.closing ? 'spacedAttributes' : null;
    case 'rawText':
      return 'style';
    default:
      return null;
  }
}

const START: Record<'content' | 'attributes', State> = { content: 'text', attributes: 'inTag' };

function templateText(strings: readonly string[]): string {
  return strings.join('${…}');
}

/** The slots of a template, checked once per call site (template objects are unique and kept). */
const plans = { content: new WeakMap<TemplateStringsArray, Slot[]>(), attributes: new WeakMap<TemplateStringsArray, Slot[]>() };

function plan(strings: TemplateStringsArray, context: 'content' | 'attributes'): Slot[] {
  const cached = plans[context].get(strings);
  if (cached) return cached;
  const s: Scanner = { state: START[context], tag: '', closing: false, raw: '' };
  const slots: Slot[] = [];
  strings.forEach((chunk, i) => {
    scan(chunk, s);
    if (i === strings.length - 1) return;
    const slot = slotOf(s, chunk);
    if (!slot) throw new Error(`Unsafe interpolation ${i + 1} (in ${s.state === 'unquoted' || s.state === 'beforeValue' ? 'an unquoted attribute value' : s.state === 'comment' ? 'a comment' : 'a tag or attribute name'}): ${templateText(strings)}`);
    slots.push(slot);
  });
  if (s.state !== START[context]) throw new Error(`A markup template must end where it starts (${context === 'content' ? 'outside any tag' : 'between attributes'}), this one ends in state ${s.state}: ${templateText(strings)}`);
  plans[context].set(strings, slots);
  return slots;
}

// ---- writing values ------------------------------------------------------------------------------

function describe(value: unknown): string {
  return value instanceof SafeMarkup ? `${value.context} markup` : Array.isArray(value) ? 'an array' : value === true ? 'true' : typeof value;
}

function write(value: unknown, slot: Slot, breakUrls: boolean, out: string[]): void {
  if (value === null || value === undefined || value === false) return;
  if (Array.isArray(value) && slot !== 'value' && slot !== 'style') {
    for (const v of value) write(v, slot, breakUrls, out);
    return;
  }
  if (value instanceof SafeMarkup) {
    const wanted: MarkupContext = slot === 'attributes' || slot === 'spacedAttributes' ? 'attributes' : slot === 'style' ? 'style' : 'content';
    const text = value.toString();
    if (slot === 'spacedAttributes' && value.context === 'attributes' && text !== '' && !SPACE.test(text[0]!)) {
      throw new TypeError(`An attribute fragment right after a tag name or a quote must start with a space: ${text}`);
    }
    if (slot !== 'value' && value.context === wanted) {
      out.push(text);
      return;
    }
  } else if (typeof value === 'string' && (slot === 'content' || slot === 'value' || value === '')) {
    const escaped = escapeText(value);
    out.push(breakUrls ? escaped.replace(/:\/\//g, ':&#47;&#47;') : escaped);
    return;
  } else if (typeof value === 'number' && (slot === 'content' || slot === 'value')) {
    out.push(numberText(value));
    return;
  }
  const where = slot === 'content' ? 'as element content' : slot === 'value' ? 'into an attribute value' : slot === 'style' ? 'into a <style> (use styleText)' : 'between attributes (use attrs`…`)';
  throw new TypeError(`Cannot interpolate ${describe(value)} ${where}`);
}

function makeTag(context: 'content' | 'attributes', breakUrls: boolean) {
  return (strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeMarkup => {
    const slots = plan(strings, context);
    const out: string[] = [strings[0]!];
    for (let i = 0; i < values.length; i++) {
      write(values[i], slots[i]!, breakUrls, out);
      out.push(strings[i + 1]!);
    }
    return new SafeMarkup(INTERNAL, out.join(''), context);
  };
}

/** SVG markup: every interpolation escaped or checked by where it stands (see the file's comment). */
export const svg = makeTag('content', false);

/** HTML markup: the same tag as svg, named for what it writes. */
export const html = svg;

/**
 * HTML for the self-contained report: like html, and the "://" of any URL in interpolated text or
 * attribute values is written as ":&#47;&#47;" (the same text on screen, no URL in the file).
 */
export const htmlWithoutUrls = makeTag('content', true);

/** An attribute list to put between attributes, e.g. attrs` stroke-dasharray="${dash}"` (lead with a space). */
export const attrs = makeTag('attributes', false);

/** Nothing, as content. */
export const EMPTY_MARKUP = svg``;

/** CSS for a <style> element; refuses text that could end the element or open a comment. */
export function styleText(css: string): SafeMarkup {
  if (/<\/style|<!--|-->/i.test(css)) throw new Error('styleText: CSS must not contain "</style", "<!--" or "-->"');
  return new SafeMarkup(INTERNAL, css, 'style');
}

/**
 * A chart for inline HTML: the same markup without the SVG (and xlink) namespace attributes,
 * which HTML parsers imply. Removing an attribute keeps markup safe: an escaped string holds no
 * double quote, so the pattern can only match a real attribute.
 */
export function withoutXmlns(markup: SafeMarkup): SafeMarkup {
  if (markup.context !== 'content') throw new TypeError('withoutXmlns takes content markup');
  const text = markup.toString().replace(/\s+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '').replace(/\s+xmlns:xlink="[^"]*"/g, '');
  return new SafeMarkup(INTERNAL, text, 'content');
}

/**
 * The same markup with the "://" of every URL written as ":&#47;&#47;" (the same text on screen,
 * no URL in the file; the HTML report's rule, for the charts it inlines). Safe on markup made
 * here: "://" can only stand in text or an attribute value, where a character reference means
 * the same — except in raw text (<style>, <script>), so markup holding either is refused.
 */
export function withoutUrls(markup: SafeMarkup): SafeMarkup {
  const text = markup.toString();
  if (markup.context !== 'content' || /<(style|script)\b/i.test(text)) throw new TypeError('withoutUrls takes content markup without <style> or <script>');
  return new SafeMarkup(INTERNAL, text.replace(/:\/\//g, ':&#47;&#47;'), 'content');
}

/** React's dangerouslySetInnerHTML for a SafeMarkup, the only value the renderer may mount as HTML. */
export function innerMarkup(markup: SafeMarkup): { __html: string } {
  if (!(markup instanceof SafeMarkup) || markup.context !== 'content') throw new TypeError('innerMarkup takes content markup made by svg`…` or html`…`');
  return { __html: markup.toString() };
}

/** Fragments in order with `separator` (text, escaped) between them, e.g. one per line. */
export function joinMarkup(items: readonly SafeMarkup[], separator: string): SafeMarkup {
  return svg`${items.map((m, i) => (i === 0 ? [m] : [separator, m]))}`;
}
