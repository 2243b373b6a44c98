/**
 * The in-memory {@link dev.keygate.ApiKeyStore}: for tests, single-node applications and
 * benchmarks. Nothing survives a restart.
 */
@NullMarked
package dev.keygate.memory;

import org.jspecify.annotations.NullMarked;
