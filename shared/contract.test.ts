import { describe, expect, it } from 'vitest';
import { ApiError, contract, isMethodName, makeClient } from './contract';
import { METHOD_NAMES } from './methods';

describe('the contract', () => {
  it('declares exactly the methods the preload exposes', () => {
    expect(Object.keys(contract).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('rejects extra and malformed arguments', () => {
    expect(contract['sources.get'].args.safeParse({ id: 'x' }).success).toBe(true);
    expect(contract['sources.get'].args.safeParse({ id: 'x', extra: 1 }).success).toBe(false);
    expect(contract['sources.get'].args.safeParse({ id: '' }).success).toBe(false);
    expect(contract['quotes.create'].args.safeParse({ sourceId: 's', start: -1, end: 3 }).success).toBe(false);
    expect(contract['quotes.create'].args.safeParse({ sourceId: 's', start: 1.5, end: 3 }).success).toBe(false);
    expect(contract['sources.import'].args.safeParse({ fileName: 'a.txt', dataBase64: 'not base64!' }).success).toBe(false);
    expect(contract['memos.save'].args.safeParse({ id: 'm', title: 't', content: { root: { type: 'paragraph', children: [] } }, baseRevision: 0 }).success).toBe(false);
  });

  it('tells method names from other strings', () => {
    expect(isMethodName('quotes.list')).toBe(true);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName(7)).toBe(false);
  });
});

describe('makeClient', () => {
  it('returns values and throws typed errors', async () => {
    const calls: string[] = [];
    const api = makeClient(async (method, args) => {
      calls.push(`${method} ${JSON.stringify(args)}`);
      return method === 'memos.list' ? { ok: true, value: [] } : { ok: false, error: { code: 'not_found', message: 'gone' } };
    });
    await expect(api['memos.list']({})).resolves.toEqual([]);
    const error = await api['sources.get']({ id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not_found', message: 'gone' });
    expect(calls).toEqual(['memos.list {}', 'sources.get {"id":"x"}']);
  });
});
