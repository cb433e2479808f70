import { ConfigError } from '@algospace/kernel';
import { describe, expect, it } from 'vitest';
import { loadEngineConfig } from '../config/engine-config.js';
import { EngineError } from '../engine-error.js';
import { parseRedisTransportUrl } from './transport-config.js';

const EXPECTED =
  'expected a redis:// or rediss:// URL (one Redis), or a comma-separated list of them (the nodes of a Redis Cluster)';

function configIssues(url: string): string[] {
  try {
    loadEngineConfig({ overrides: { transport: { redis: { url } } } });
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('parseRedisTransportUrl', () => {
  it('reads one URL as one Redis, whatever server it names', () => {
    expect(parseRedisTransportUrl('--transport-redis', 'redis://127.0.0.1:6379')).toEqual({
      cluster: false,
      url: 'redis://127.0.0.1:6379',
    });
    expect(parseRedisTransportUrl('x', 'rediss://user:pw@10.0.0.1:6380/2').cluster).toBe(false);
  });

  it('reads several comma-separated URLs as the nodes of a Redis Cluster, spaces after commas allowed', () => {
    expect(
      parseRedisTransportUrl('x', 'redis://10.0.0.1:6379, redis://10.0.0.2:6379,rediss://h3:7000'),
    ).toEqual({
      cluster: true,
      nodes: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'rediss://h3:7000'],
    });
  });

  it('refuses an entry that is not a redis:// or rediss:// URL, naming the source, the entry and what was expected', () => {
    const refusal = (text: string) => {
      try {
        parseRedisTransportUrl('--transport-redis', text);
      } catch (error) {
        expect(EngineError.isInstance(error) && error.code).toBe('ENGINE_BAD_ARGUMENT');
        return (error as Error).message;
      }
      throw new Error(`'${text}' was accepted`);
    };
    expect(refusal('127.0.0.1:6379')).toBe(`--transport-redis: ${EXPECTED}, got '127.0.0.1:6379'`);
    expect(refusal('redis://a:1,http://b:2')).toBe(
      `--transport-redis: ${EXPECTED}, got 'redis://a:1,http://b:2', whose entry 2 of 2 is 'http://b:2'`,
    );
    expect(refusal('redis://a:1,')).toBe(
      `--transport-redis: ${EXPECTED}, got 'redis://a:1,', whose entry 2 of 2 is empty`,
    );
    // Credentials in the URL stay out of the message: every URL's, and a comma inside a password that splits
    // an entry does not expose the piece before it.
    expect(refusal('redis://:hunter2@a:1,b:2')).not.toContain('hunter2');
    expect(refusal('redis://u:pw1SECRET@h:1,redis://u:pw2SECRET@h:2,bogus')).not.toMatch(
      /pw1SECRET|pw2SECRET/,
    );
    expect(refusal('redis://user:s3c,retPW@127.0.0.1:1')).not.toMatch(/s3c|retPW/);
  });
});

describe('transport.redis.url in the config', () => {
  it('accepts nothing, one URL or a node list', () => {
    expect(configIssues('')).toEqual([]);
    expect(configIssues('redis://127.0.0.1:6379')).toEqual([]);
    expect(configIssues('redis://10.0.0.1:6379,redis://10.0.0.2:6379')).toEqual([]);
  });

  it('refuses anything else with a path: problem line naming the bad entry', () => {
    expect(configIssues('localhost:6379')).toEqual([
      `transport.redis.url: ${EXPECTED}, got string "localhost:6379"`,
    ]);
    expect(configIssues('redis://a:1,tcp://b:2')).toEqual([
      `transport.redis.url: ${EXPECTED} (entry 2 of 2 is 'tcp://b:2'), got string "redis://a:1,tcp://b:2"`,
    ]);
    const withPasswords = configIssues('redis://u:pwA_SECRET@h1:1,redis://u:pwB_SECRET@h2:2,bogus');
    expect(withPasswords).toHaveLength(1);
    expect(withPasswords[0]).not.toMatch(/pwA_SECRET|pwB_SECRET/);
  });
});
