/**
 * Keygate on Redis, for a fleet of nodes behind a load balancer: rate limits shared by every node
 * (token buckets in Redis, so a key limited to 600 requests a minute gets 600 from the fleet) and
 * key changes announced over Redis pub/sub (a revocation on one node reaches the others in
 * milliseconds, for stores without a push of their own). Start with {@link
 * dev.keygate.redis.KeygateRedis}.
 */
@NullMarked
package dev.keygate.redis;

import org.jspecify.annotations.NullMarked;
