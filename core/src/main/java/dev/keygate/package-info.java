/**
 * Keygate core: start at {@link dev.keygate.Keygate#builder()}, which yields the verifier ({@link
 * dev.keygate.AuthenticationEngine}) and the key lifecycle ({@link dev.keygate.ApiKeyService}) on
 * one configuration.
 *
 * <p>The storage SPI lives here too: implement {@link dev.keygate.ApiKeyStore} (with {@link
 * dev.keygate.KeyQuery}, {@link dev.keygate.Page}, {@link dev.keygate.UsageRecord}, {@link
 * dev.keygate.KeyChangeListener} and the two exceptions {@link
 * dev.keygate.DuplicateKeyIdException} and {@link dev.keygate.StoreUnavailableException}) to keep
 * keys anywhere. It shares this package with the values it stores ({@link dev.keygate.ApiKey})
 * so that neither package imports the other. Hashing is behind {@link
 * dev.keygate.hash.KeyHasher}; the in-memory store is {@code dev.keygate.memory}.
 */
@NullMarked
package dev.keygate;

import org.jspecify.annotations.NullMarked;
