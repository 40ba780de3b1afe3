import { InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { RedisConnection } from './redisConnection';

/**
 * The cache of automatic persisted queries: an in-memory LRU in front of Redis, shared by every
 * gateway instance. An entry is the operation text under its own SHA-256, so a local copy is
 * never stale: lookups hit memory first and go to Redis only on a miss. While Redis is unusable
 * (see {@link RedisConnection}) the cache is memory alone: nothing waits on Redis, each lookup
 * that needed it is counted as a fallback, and clients whose hash is unknown here re-send the
 * text as the APQ protocol provides.
 */
export class ApqCache implements KeyValueCache<string> {
  private readonly memory = new InMemoryLRUCache<string>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'pc-apq:',
  ) {}

  async get(key: string): Promise<string | undefined> {
    const local = await this.memory.get(key);
    if (local !== undefined) return local;
    if (!this.redis.usable()) {
      this.redis.fellBack('apq');
      return undefined;
    }
    try {
      const shared = await this.redis.client.get(this.prefix + key);
      if (shared === null) return undefined;
      await this.memory.set(key, shared);
      return shared;
    } catch (err) {
      this.redis.failed('apq', err);
      this.redis.fellBack('apq');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    await this.memory.set(key, value, options);
    if (!this.redis.usable()) {
      this.redis.fellBack('apq');
      return;
    }
    try {
      const ttl = options?.ttl;
      if (ttl) await this.redis.client.set(this.prefix + key, value, 'EX', Math.ceil(ttl));
      else await this.redis.client.set(this.prefix + key, value);
    } catch (err) {
      this.redis.failed('apq', err);
      this.redis.fellBack('apq');
    }
  }

  async delete(key: string): Promise<void> {
    await this.memory.delete(key);
    if (!this.redis.usable()) return;
    try {
      await this.redis.client.del(this.prefix + key);
    } catch (err) {
      this.redis.failed('apq', err);
    }
  }
}
