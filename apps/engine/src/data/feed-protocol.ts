/**
 * The JSON-over-WebSocket tick feed protocol spoken by `algospace serve-feed` and the paper-mode feed
 * client. One JSON object per text frame:
 *
 * - server → client `{"type":"hello","source":…,"kind":…,"clock":"replay"|"wall","speed":N}` once per connection;
 * - server → client `{"type":"tick","seq":N,"timestamp":ms,"price":p,"size":s[,"bid":b,"ask":a]}`, `seq`
 *   counting accepted ticks from 1 in file order;
 * - server → client `{"type":"clock","time":ms}`: no tick earlier than `time` will follow (lets the
 *   client close bars on the feed's clock during quiet periods);
 * - server → client `{"type":"end","seq":N}`: the feed is complete after tick N;
 * - client → server `{"type":"subscribe","after":N}` on every (re)connection: resume after tick N (0 = from
 *   the start), so a dropped connection loses nothing.
 *
 * A plain tick object without `type` (`{"timestamp":…,"price":…,"size":…}`, timestamp in ms or ISO-8601) is
 * also accepted from third-party feeds; such feeds run on the wall clock.
 */

/**
 * A message from the feed server.
 *
 * @example
 * ```ts
 * const message: FeedMessage = { type: 'tick', seq: 1, timestamp: 1704697200000, price: 4800.25, size: 2 };
 * ```
 */
export type FeedMessage =
  | {
      readonly type: 'hello';
      readonly source: string;
      readonly kind: string;
      readonly clock: 'replay' | 'wall';
      readonly speed: number;
    }
  | {
      readonly type: 'tick';
      readonly seq: number;
      readonly timestamp: number;
      readonly price: number;
      readonly size: number;
      readonly bid?: number;
      readonly ask?: number;
    }
  | { readonly type: 'clock'; readonly time: number }
  | { readonly type: 'end'; readonly seq: number };

/**
 * The client's (re)subscription.
 *
 * @example
 * ```ts
 * socket.send(JSON.stringify({ type: 'subscribe', after: 0 } satisfies FeedSubscribe));
 * ```
 */
export interface FeedSubscribe {
  /** `subscribe`. */
  readonly type: 'subscribe';
  /** Resume after this tick sequence number (0 = from the start). */
  readonly after: number;
}
