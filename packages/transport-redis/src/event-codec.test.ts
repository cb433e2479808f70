import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineEventFixtures, featureSnapshot } from '../test/engine-event-fixtures.js';
import { createJsonCodec, jsonCodec } from './event-codec.js';
import { TransportRedisEncodeError, TransportRedisError } from './transport-redis-error.js';

function roundTrip(payload: unknown): unknown {
  return jsonCodec.decode(jsonCodec.encode(payload));
}

describe('jsonCodec', () => {
  for (const [topic, payload] of Object.entries(engineEventFixtures)) {
    it(`round-trips a ${topic} payload exactly`, () => {
      expect(roundTrip(payload), `${topic} must arrive as it left`).toStrictEqual(payload);
    });
  }

  it('keeps -0, the smallest double and 0.1 + 0.2 in the feature vector bit for bit', () => {
    const back = roundTrip(featureSnapshot) as typeof featureSnapshot;
    back.mmd_features.forEach((value, i) => {
      expect(Object.is(value, featureSnapshot.mmd_features[i]), `mmd_features[${i}]`).toBe(true);
    });
  });

  it('stores plain payloads as ordinary JSON any Redis client can read', () => {
    const bar = engineEventFixtures.NEW_5MIN_BAR;
    expect(jsonCodec.encode(bar), 'no -0, Date or bigint inside: the plain JSON.stringify text').toBe(
      JSON.stringify(bar),
    );
  });

  it('round-trips Date, bigint, typed arrays, -0, an own "~t" key and an undefined payload', () => {
    const payload = {
      at: new Date(Date.UTC(2024, 0, 2, 9, 30, 0, 123)),
      volume: 12345678901234567890n,
      closes: new Float64Array([4810.25, -0, 1e-300]),
      counts: new Int32Array([1, -2, 3]),
      flat: -0,
      '~t': 'not a tag',
      nested: [{ '~t': 'Date', v: 0 }],
    };
    const back = roundTrip(payload) as typeof payload;
    expect(back).toStrictEqual(payload);
    expect(back.at, 'a Date arrives as a Date, not as its ISO text').toBeInstanceOf(Date);
    expect(Object.is(back.flat, -0), '-0 keeps its sign').toBe(true);
    expect(Object.is(back.closes[1], -0), '-0 inside a Float64Array keeps its sign').toBe(true);
    expect(roundTrip(undefined), 'a payload-less event stays payload-less').toBeUndefined();
  });

  it('rejects NaN with a typed error naming where it is', () => {
    const payload = { ...featureSnapshot, mmd_features: [0, 1, Number.NaN] };
    expect(() => jsonCodec.encode(payload)).toThrow(TransportRedisEncodeError);
    try {
      jsonCodec.encode(payload);
    } catch (error) {
      expect(TransportRedisError.isInstance(error)).toBe(true);
      const encodeError = error as TransportRedisEncodeError;
      expect(encodeError.code).toBe('TRANSPORT_REDIS_NON_FINITE_NUMBER');
      expect(encodeError.path).toBe('mmd_features[2]');
      expect(encodeError.message).toContain('payload.mmd_features[2]: expected finite numbers');
      expect(encodeError.message).toContain('got NaN');
    }
  });

  it('rejects ±Infinity, invalid dates and non-finite typed-array values', () => {
    for (const payload of [
      { close: Number.POSITIVE_INFINITY },
      { nested: { low: Number.NEGATIVE_INFINITY } },
      { at: new Date(Number.NaN) },
      { closes: new Float64Array([1, Number.NaN]) },
    ]) {
      expect(() => jsonCodec.encode(payload), JSON.stringify(Object.keys(payload))).toThrow(
        expect.objectContaining({ code: 'TRANSPORT_REDIS_NON_FINITE_NUMBER' }),
      );
    }
  });

  it('rejects what JSON would drop or mangle silently: functions, symbols, Map, Set, undefined array slots', () => {
    for (const [payload, path] of [
      [{ f: () => 1 }, 'f'],
      [{ s: Symbol('x') }, 's'],
      [{ m: new Map() }, 'm'],
      [{ s: new Set([1]) }, 's'],
      [{ list: [1, undefined, 3] }, 'list[1]'],
    ] as const) {
      expect(() => jsonCodec.encode(payload)).toThrow(
        expect.objectContaining({ code: 'TRANSPORT_REDIS_UNSUPPORTED_VALUE', path }),
      );
    }
  });

  it('round-trips any JSON-like value with finite numbers, dates and bigints (property)', () => {
    const leaf = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      fc.bigInt(),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node')),
        fc.dictionary(fc.string(), tie('node'), { noNullPrototype: true }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        expect(roundTrip(value)).toStrictEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('createJsonCodec returns an equivalent, independent codec', () => {
    const codec = createJsonCodec();
    expect(codec.name).toBe('json');
    expect(codec.decode(codec.encode(engineEventFixtures.NEW_TICK))).toStrictEqual(
      engineEventFixtures.NEW_TICK,
    );
  });
});
