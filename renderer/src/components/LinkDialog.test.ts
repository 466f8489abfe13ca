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

  it.each([
    'javascript:alert(1)',
    '  JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,x',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'tel:+15551234',
    'sms:+15551234',
    'ftp://example.org/',
    'verbatim://app/index.html',
    'chrome://settings',
    '',
    '   ',
  ])('refuses %j with a message naming what is allowed', (input) => {
    const result = parseLinkInput(input);
    expect(result).not.toHaveProperty('url');
    expect(result).toHaveProperty('error');
    if (input.trim()) expect((result as { error: string }).error).toContain('http, https or mailto');
  });
});
