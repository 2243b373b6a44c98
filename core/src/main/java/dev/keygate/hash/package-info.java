/**
 * Hashing of key secrets: {@link dev.keygate.hash.KeyHasher} and its implementations, Argon2id
 * (the default) and HMAC-SHA-256 with a pepper.
 */
@NullMarked
package dev.keygate.hash;

import org.jspecify.annotations.NullMarked;
