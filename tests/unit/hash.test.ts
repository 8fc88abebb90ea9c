import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../core/hash.js';

describe('canonical JSON and content hashes', () => {
  it('sorts keys at every depth so equal content hashes equally', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(contentHash(a)).toBe(contentHash(b));
  });

  it('distinguishes array order and values', () => {
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: '1' }));
  });

  it('is SHA-256 of the canonical text', () => {
    // sha256("{}") — a published test vector of the empty JSON object.
    expect(contentHash({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('native and portable SHA-256 agree', () => {
  it('gives the same digest for non-Latin text either way', async () => {
    const text = canonicalJson({ title: 'データ可視化入門', ar: 'مقدمة في البيانات', emoji: '📊' });
    const portable = contentHash(JSON.parse(text));
    const { useNativeSha256 } = await import('../../host/native-hash.js');
    useNativeSha256();
    expect(contentHash(JSON.parse(text))).toBe(portable);
  });
});
