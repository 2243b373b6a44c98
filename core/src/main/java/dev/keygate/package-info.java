/**
 * Keygate core: API-key format, lifecycle ({@link dev.keygate.ApiKeyService}), verification
 * ({@link dev.keygate.AuthenticationEngine}) and scope checks. Storage is behind
 * {@link dev.keygate.spi.ApiKeyStore}; hashing behind {@link dev.keygate.hash.KeyHasher}.
 */
@NullMarked
package dev.keygate;

import org.jspecify.annotations.NullMarked;
