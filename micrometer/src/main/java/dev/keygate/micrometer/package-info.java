/**
 * Micrometer meters for Keygate: {@link dev.keygate.micrometer.KeygateMetrics} binds an engine's
 * statistics to any {@code MeterRegistry}, with or without Spring.
 */
@NullMarked
package dev.keygate.micrometer;

import org.jspecify.annotations.NullMarked;
