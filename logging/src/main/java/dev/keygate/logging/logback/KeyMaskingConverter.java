package dev.keygate.logging.logback;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.keygate.KeyScanner;

/**
 * The message ({@code %msg}) with every Keygate key, of any prefix, masked to its hint
 * ({@code kg_live_AbC123…}). Registered over Logback's own words, it masks every pattern that
 * already uses them, without editing the patterns:
 *
 * <pre>{@code
 * <conversionRule conversionWord="msg" class="dev.keygate.logging.logback.KeyMaskingConverter"/>
 * <conversionRule conversionWord="m" class="dev.keygate.logging.logback.KeyMaskingConverter"/>
 * <conversionRule conversionWord="message" class="dev.keygate.logging.logback.KeyMaskingConverter"/>
 * }</pre>
 *
 * <p>A message without a key is returned as it is, and scanning it allocates nothing (see {@link
 * KeyScanner#mask}).
 */
public class KeyMaskingConverter extends MessageConverter {
  private static final KeyScanner SCANNER = KeyScanner.anyPrefix();

  /** Creates the converter; Logback does, for each pattern that uses its word. */
  public KeyMaskingConverter() {}

  /**
   * The formatted message, keys masked.
   *
   * @param event the event
   * @return the formatted message with every key replaced by its hint
   */
  @Override
  public String convert(ILoggingEvent event) {
    String message = super.convert(event);
    return message == null ? null : SCANNER.mask(message);
  }
}
