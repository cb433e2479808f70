import { describe, expect, it } from 'vitest';
import { clusterStartupNodes } from './cluster-nodes.js';

describe('clusterStartupNodes', () => {
  it('reads hosts (IPv6 literals without brackets), ports (6379 by default), credentials and TLS', () => {
    expect(
      clusterStartupNodes(['redis://10.0.0.1:7000', 'rediss://us%40r:p%2Css@[::1]:7001', 'redis://h3']),
    ).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '::1', port: 7001 },
        { host: 'h3', port: 6379 },
      ],
      redisOptions: { password: 'p,ss', username: 'us@r', tls: {} },
    });
  });

  it('takes the credentials of the first URL that has a password', () => {
    expect(
      clusterStartupNodes(['redis://a:1', 'redis://:first@b:2', 'redis://u:second@c:3']).redisOptions,
    ).toEqual({ password: 'first' });
  });
});
