// The escaping boundary: every interpolation escaped or refused by where it stands.
import { parseFragment } from 'parse5';
import { describe, expect, it } from 'vitest';
import { attrs, EMPTY_MARKUP, escapeText, html, htmlWithoutUrls, innerMarkup, isSafeMarkup, numberText, SafeMarkup, styleText, svg, withoutUrls, withoutXmlns, type Interpolation } from './markup.js';

const HOSTILE = `"'><script>alert(1)</script><img src=x onerror=alert(1)>&amp;]]></style>`;

describe('svg`…` / html`…`', () => {
  it('escapes strings in element content and in quoted attribute values', () => {
    const m = svg`<text class="${HOSTILE}" data-x='${HOSTILE}'>${HOSTILE}</text>`;
    expect(isSafeMarkup(m)).toBe(true);
    const s = String(m);
    expect(s).not.toMatch(/<script|<img|<\/style/);
    const el = parseFragment(s).childNodes[0] as unknown as { tagName: string; attrs: Array<{ name: string; value: string }>; childNodes: Array<{ value?: string }> };
    expect(el.tagName).toBe('text');
    expect(el.attrs).toEqual([
      { name: 'class', value: HOSTILE },
      { name: 'data-x', value: HOSTILE },
    ]);
    expect(el.childNodes.map((c) => c.value).join('')).toBe(HOSTILE);
  });

  it('is byte-identical to the old escapeXml for ordinary text, and writes numbers as numbers', () => {
    expect(String(svg`<text x="${12.5}" y="${-3}">${'a < b & "c" \'d\''}</text>`)).toBe('<text x="12.5" y="-3">a &lt; b &amp; &quot;c&quot; &#39;d&#39;</text>');
    expect(String(svg`<g>${0}${1e21}${-0}</g>`)).toBe('<g>01e+210</g>');
  });

  it('writes NaN and ±∞ as the token NaN', () => {
    expect(numberText(Infinity)).toBe('NaN');
    expect(String(svg`<circle cx="${NaN}" cy="${-Infinity}" r="${Infinity}"></circle>`)).toBe('<circle cx="NaN" cy="NaN" r="NaN"></circle>');
  });

  it('replaces control characters, noncharacters and lone surrogates (valid XML out), keeps astral characters and RTL marks', () => {
    expect(escapeText('a\u0000b\u0008c\u000Bd\u001Fe\u007Ff\uFFFEg\uD800h\uDC00i')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\uFFFDi');
    expect(escapeText('tab\tlf\ncr\r 😀 \u202Eevil')).toBe('tab\tlf\ncr\r 😀 \u202Eevil');
  });

  it('nests: another template goes in as it is, arrays are concatenated, null/undefined/false are nothing', () => {
    const items = ['<a>', 'b'].map((t) => svg`<text>${t}</text>`);
    expect(String(svg`<g>${items}${null}${undefined}${false}${EMPTY_MARKUP}</g>`)).toBe('<g><text>&lt;a&gt;</text><text>b</text></g>');
  });

  it('puts attribute fragments between attributes, and nothing else', () => {
    const dash = attrs` stroke-dasharray="${'6 4'}"`;
    expect(String(svg`<line x1="0"${dash}></line>`)).toBe('<line x1="0" stroke-dasharray="6 4"></line>');
    expect(String(svg`<line ${attrs`x1="${1}"`}></line>`)).toBe('<line x1="1"></line>');
    expect(String(svg`<line x1="0"${''}${null}></line>`)).toBe('<line x1="0"></line>');
    // A string between attributes could add one (`onload=…`): refused, whatever it holds.
    expect(() => svg`<line ${'x1="1"'}></line>`).toThrow(/between attributes/);
    expect(() => svg`<line ${'onload=alert(1)'}></line>`).toThrow(/between attributes/);
    // Content markup between attributes, or attributes in content: refused.
    expect(() => svg`<line ${svg`<g></g>`}></line>`).toThrow(/between attributes/);
    expect(() => svg`<g>${dash}</g>`).toThrow(/as element content/);
    // Markup is never an attribute value.
    expect(() => svg`<g class="${svg`<b></b>`}"></g>`).toThrow(/into an attribute value/);
  });

  it('refuses interpolations in a tag name, an attribute name, an unquoted value or a comment', () => {
    const v = 'x';
    expect(() => svg`<${v}></${v}>`).toThrow(/Unsafe interpolation/);
    expect(() => svg`<g data-${v}="1"></g>`).toThrow(/Unsafe interpolation/);
    expect(() => svg`<g class=${v}></g>`).toThrow(/unquoted attribute value/);
    expect(() => svg`<g class=a${v}></g>`).toThrow(/unquoted attribute value/);
    expect(() => svg`<!-- ${v} -->`).toThrow(/comment/);
  });

  it('refuses a template that leaves a tag or a quote open', () => {
    expect(() => svg`<g class="a`).toThrow(/must end where it starts/);
    expect(() => svg`<g`).toThrow(/must end where it starts/);
    expect(() => attrs` class="a`).toThrow(/must end where it starts/);
    expect(() => attrs` class="a">`).toThrow(/must end where it starts/);
  });

  it('refuses values of other types: objects, true, functions', () => {
    const bad = [{}, true, () => 1, Symbol('s'), 1n] as unknown as Interpolation[];
    for (const b of bad) expect(() => svg`<g>${b}</g>`, String(typeof b)).toThrow(TypeError);
    expect(() => svg`<g class="${[1, 2] as unknown as string}"></g>`).toThrow(TypeError);
  });

  it('keeps <style> text to styleText, which refuses CSS that could close the element', () => {
    const css = styleText('a > b { color: red; }');
    expect(String(html`<style>${css}</style><p>${'x'}</p>`)).toBe('<style>a > b { color: red; }</style><p>x</p>');
    expect(() => html`<style>${'a > b {}'}</style>`).toThrow(/<style>/);
    expect(() => html`<p>${css}</p>`).toThrow(/as element content/);
    expect(() => styleText('x</style><script>alert(1)</script>')).toThrow();
    expect(() => styleText('x</STYLE >')).toThrow();
    // A literal "</style>" in the template's own text ends the raw text as usual.
    expect(String(html`<style></style><p class="${'a'}">${'b'}</p>`)).toBe('<style></style><p class="a">b</p>');
  });

  it('htmlWithoutUrls breaks the "://" of URLs in interpolated text', () => {
    expect(String(htmlWithoutUrls`<p title="${'see https://x.invalid'}">${'see https://x.invalid/a'}</p>`)).toBe(
      '<p title="see https:&#47;&#47;x.invalid">see https:&#47;&#47;x.invalid/a</p>',
    );
  });

  it('SafeMarkup cannot be made from a string: no public constructor, and a look-alike object is refused', () => {
    expect(() => new (SafeMarkup as unknown as new (...a: unknown[]) => SafeMarkup)(Symbol('SafeMarkup'), '<x>', 'content')).toThrow(TypeError);
    const fake = { toString: () => '<img src=x>', context: 'content' } as unknown as SafeMarkup;
    expect(() => svg`<g>${fake}</g>`).toThrow(TypeError);
    expect(() => innerMarkup(fake)).toThrow(TypeError);
  });

  it('innerMarkup and JSON carry the markup string', () => {
    const m = svg`<g class="${'a'}"></g>`;
    expect(innerMarkup(m)).toEqual({ __html: '<g class="a"></g>' });
    expect(JSON.stringify({ svg: m })).toBe('{"svg":"<g class=\\"a\\"></g>"}');
  });

  it('withoutXmlns drops the namespace attributes and nothing else', () => {
    const m = svg`<svg xmlns="http://www.w3.org/2000/svg" class="c"><title>${'xmlns="http://www.w3.org/2000/svg"'}</title></svg>`;
    expect(String(withoutXmlns(m))).toBe('<svg class="c"><title>xmlns=&quot;http://www.w3.org/2000/svg&quot;</title></svg>');
  });

  it('the same template site is checked once and stays fast', () => {
    const t0 = performance.now();
    let size = 0;
    for (let i = 0; i < 20_000; i++) size += String(svg`<line class="gridline" x1="${i}" x2="${i}" y1="0" y2="10"></line>`).length;
    expect(size).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('attribute fragments right after a tag name or a quote', () => {
  it('must start with white space', () => {
    expect(String(html`<td${attrs` class="num"`}>${1}</td>`)).toBe('<td class="num">1</td>');
    expect(String(html`<td${null}>x</td>`)).toBe('<td>x</td>');
    expect(() => html`<td${attrs`class="num"`}></td>`).toThrow(/start with a space/);
    expect(() => svg`<line x="1"${attrs`y="2"`}></line>`).toThrow(/start with a space/);
    expect(() => html`</td${attrs` class="x"`}>`).toThrow(/Unsafe interpolation/);
  });
});

describe('withoutUrls', () => {
  it('breaks "://" in text and attribute values, and refuses raw-text elements', () => {
    const m = svg`<g data-u="${'https://a.invalid'}"><title>${'see http://b.invalid'}</title></g>`;
    expect(String(withoutUrls(m))).toBe('<g data-u="https:&#47;&#47;a.invalid"><title>see http:&#47;&#47;b.invalid</title></g>');
    expect(() => withoutUrls(html`<style>${styleText('a{}')}</style>`)).toThrow(TypeError);
  });
});
