/**
 * What a key store's tests need: extend {@link dev.keygate.testkit.ApiKeyStoreContractTest} to
 * prove an {@link dev.keygate.ApiKeyStore}; {@link dev.keygate.testkit.MutableClock}, {@link
 * dev.keygate.testkit.ForwardingApiKeyStore}, {@link dev.keygate.testkit.Concurrently} and {@link
 * dev.keygate.testkit.CountingHasher} for the store's own tests; {@link
 * dev.keygate.testkit.SecretScanningAppender} and {@link dev.keygate.testkit.NoSecretsInLogsExtension}
 * to fail a test whose code logged a key or a stored hash. Add it in test scope only.
 */
@NullMarked
package dev.keygate.testkit;

import org.jspecify.annotations.NullMarked;
