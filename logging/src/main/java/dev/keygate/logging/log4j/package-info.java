/**
 * Log4j 2 plugins that mask Keygate keys to their hints: {@link
 * dev.keygate.logging.log4j.KeyMaskingRewritePolicy} ({@code <KeygateKeyMasking/>} in a {@code
 * Rewrite} appender) for the message under any layout, and {@link
 * dev.keygate.logging.log4j.KeyMaskingPatternConverter} ({@code %mask{...}}) for any part of a
 * pattern layout, stack traces included.
 */
package dev.keygate.logging.log4j;
