/**
 * Logback converters that mask Keygate keys to their hints: {@link
 * dev.keygate.logging.logback.KeyMaskingConverter} for the message, {@link
 * dev.keygate.logging.logback.KeyMaskingThrowableConverter} and {@link
 * dev.keygate.logging.logback.KeyMaskingExtendedThrowableConverter} for stack traces, {@link
 * dev.keygate.logging.logback.KeyMaskingCompositeConverter} ({@code %mask(...)}) for any part of a
 * pattern, and {@link dev.keygate.logging.logback.KeyMaskingAppender} in front of appenders whose
 * encoders do not use conversion words (JSON).
 */
package dev.keygate.logging.logback;
