/**
 * The storage SPI: implement {@link dev.keygate.spi.ApiKeyStore} to keep keys anywhere, and prove it
 * with the contract tests of {@code dev.keygate:keygate-testkit} ({@code
 * dev.keygate.testkit.ApiKeyStoreContractTest}).
 */
@NullMarked
package dev.keygate.spi;

import org.jspecify.annotations.NullMarked;
