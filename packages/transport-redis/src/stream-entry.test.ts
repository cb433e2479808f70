import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelope, packEvents, parseEntryEvents, parseEntryFields, unpackEvents } from './stream-entry.js';

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

describe('packed entries', () => {
  it('writes "<count>;<lengths>;" then the envelopes and payloads back to back', () => {
    // Two events: envelope 'p:1:0:t' (7) + data '{"a":1}' (7), envelope 'p:2:0:t' (7) + data 'x;,y' (4).
    expect(packEvents(['p:1:0:t', '{"a":1}', 'p:2:0:t', 'x;,y'])).toBe('2;7,7,7,4;p:1:0:t{"a":1}p:2:0:tx;,y');
  });

  it('round-trips any topics and payloads, separators and non-ASCII characters included', () => {
    const event = fc.record({
      topic: fc.string({ minLength: 1 }),
      data: fc.string({ unit: 'grapheme' }),
      publishedAt: fc.double({ min: 0, max: 4e12, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (events) => {
        const parts = events.flatMap((e, i) => [envelope('prod', i + 1, e.publishedAt, e.topic), e.data]);
        const parsed = parseEntryEvents(['p', packEvents(parts), 'k', '0']);
        expect(parsed).toEqual(
          events.map((e, i) => ({
            id: `prod:${i + 1}`,
            producerId: 'prod',
            sequence: i + 1,
            publishedAt: e.publishedAt,
            topic: e.topic,
            data: e.data,
          })),
        );
      }),
    );
  });

  it('leaves out the events at or below the mark k, which an earlier entry already carries', () => {
    const parts = [4, 5, 6].flatMap((n) => [envelope('prod', n, 0, 't'), String(n)]);
    const tally = { overlapSkipped: 0 };
    const parsed = parseEntryEvents(['p', packEvents(parts), 'k', '5'], tally);
    expect(parsed).toEqual([
      { id: 'prod:6', producerId: 'prod', sequence: 6, publishedAt: 0, topic: 't', data: '6' },
    ]);
    expect(tally.overlapSkipped, '4 and 5 left out').toBe(2);
  });

  it('counts no overlap for an entry it cannot read whole', () => {
    const tally = { overlapSkipped: 0 };
    // Event 1 sits under the mark, event 2 overruns the value.
    const packed = `2;7,1,7,9;${envelope('p', 1, 0, 't')}1${envelope('p', 2, 0, 't')}2`;
    expect(unpackEvents(packed, 1, tally)).toContain('overrunning');
    expect(tally.overlapSkipped).toBe(0);
  });

  it('reads one-event entries through the same function', () => {
    expect(parseEntryEvents(['e', 'p:3:0:t', 'd', '1'])).toMatchObject([{ id: 'p:3', data: '1' }]);
  });

  it('describes packed values it cannot read', () => {
    expect(unpackEvents('garbage', 0)).toContain('expected <count>;<lengths>;<events>');
    expect(unpackEvents('2;7,1;p:1:0:tx', 0)).toBe('found 2 lengths for 2 packed events (expected 4)');
    expect(unpackEvents('1;7,9;p:1:0:tx', 0)).toBe(
      'found packed event 1 of 1 overrunning the 14 characters of the entry',
    );
    expect(unpackEvents('1;7,1;p:1:0:txyz', 0)).toBe(
      'found 2 characters after the 1 packed events (expected none)',
    );
    expect(unpackEvents('1;7,1;p:x:0:tx', 0)).toBe("packed event 1 of 1: found sequence number 'x'");
  });
});
