/**
 * The storage SPI: implement {@link dev.keygate.spi.ApiKeyStore} to keep keys anywhere, and prove it
 * with the contract tests in core's test-jar ({@code ApiKeyStoreContractTest}).
 */
@NullMarked
package dev.keygate.spi;

import org.jspecify.annotations.NullMarked;
