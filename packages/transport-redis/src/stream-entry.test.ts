import { describe, expect, it } from 'vitest';
import { envelope, parseEntryFields } from './stream-entry.js';

describe('parseEntryFields', () => {
  it('reads back what envelope() wrote, a topic containing ":" included', () => {
    const parsed = parseEntryFields([
      'e',
      envelope('p1a2', 42, 1700000000123.25, 'bars:5m'),
      'd',
      '{"close":1}',
    ]);
    expect(parsed).toEqual({
      id: 'p1a2:42',
      producerId: 'p1a2',
      sequence: 42,
      publishedAt: 1700000000123.25,
      topic: 'bars:5m',
      data: '{"close":1}',
    });
  });

  it('accepts the fields in another order', () => {
    const parsed = parseEntryFields(['d', '1', 'x', 'y', 'e', 'p:1:0:t']);
    expect(parsed).toMatchObject({ id: 'p:1', topic: 't', data: '1' });
  });

  it('describes entries it cannot read', () => {
    expect(parseEntryFields(['price', '1'])).toBe('found an entry without the fields e and d');
    expect(parseEntryFields(['e', 'p:x:0:t', 'd', '1'])).toBe("found sequence number 'x'");
    expect(parseEntryFields(['e', 'nocolons', 'd', '1'])).toContain("found envelope 'nocolons'");
  });
});
