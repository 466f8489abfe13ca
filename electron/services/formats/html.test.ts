import { describe, expect, it } from 'vitest';
import { parseBodyFragment, parseHtml } from './html';

describe('parseBodyFragment', () => {
  const viaInnerHtml = (fragment: string) => {
    const dom = parseHtml('<!doctype html><body></body>');
    const div = dom.window.document.createElement('div');
    div.innerHTML = fragment;
    return div.outerHTML;
  };
  it.each([
    '<h1>T</h1><p>One <b>two</b></p><ul><li>a<li>b</ul><table><tr><td>x</table>',
    'loose text <p>then a paragraph',
    '<p>before</p></div><p>after a stray closing div</p>',
    '<style>p{}</style><meta charset="utf-8"><p>body</p>',
  ])('gives what div.innerHTML gives: %s', (fragment) => {
    const dom = parseHtml('<!doctype html><body></body>');
    expect(parseBodyFragment(fragment, dom.window).outerHTML).toBe(viaInnerHtml(fragment));
  });
});
