import { describe, expect, it } from 'vitest';
import { parseLinkInput } from './LinkDialog';

describe('parseLinkInput', () => {
  it.each([
    ['https://example.org/report', { url: 'https://example.org/report' }],
    ['example.org/report', { url: 'https://example.org/report' }],
    ['mailto:desk@example.org', { url: 'mailto:desk@example.org' }],
    ['  http://example.org  ', { url: 'http://example.org/' }],
  ])('accepts %j', (input, expected) => {
    expect(parseLinkInput(input)).toEqual(expected);
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', ''])('refuses %j with a message', (input) => {
    expect(parseLinkInput(input)).toHaveProperty('error');
  });
});
