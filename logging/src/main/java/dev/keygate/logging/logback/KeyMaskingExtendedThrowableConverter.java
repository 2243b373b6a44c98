package dev.keygate.logging.logback;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.keygate.KeyScanner;

/**
 * The stack trace with packaging data ({@code %xEx}) with every Keygate key masked to its hint.
 * Register it over the words the patterns use:
 *
 * <pre>{@code
 * <conversionRule conversionWord="xEx" class="dev.keygate.logging.logback.KeyMaskingExtendedThrowableConverter"/>
 * <conversionRule conversionWord="xException" class="dev.keygate.logging.logback.KeyMaskingExtendedThrowableConverter"/>
 * <conversionRule conversionWord="xThrowable" class="dev.keygate.logging.logback.KeyMaskingExtendedThrowableConverter"/>
 * }</pre>
 */
public class KeyMaskingExtendedThrowableConverter extends ExtendedThrowableProxyConverter {
  private static final KeyScanner SCANNER = KeyScanner.anyPrefix();

  /** Creates the converter; Logback does, for each pattern that uses its word. */
  public KeyMaskingExtendedThrowableConverter() {}

  /**
   * The stack trace as Logback's {@code %xEx} writes it, keys masked.
   *
   * @param event the event
   * @return the stack trace with every key replaced by its hint; empty without a throwable
   */
  @Override
  public String convert(ILoggingEvent event) {
    return SCANNER.mask(super.convert(event));
  }
}
