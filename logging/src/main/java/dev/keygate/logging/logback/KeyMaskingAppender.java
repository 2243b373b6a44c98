package dev.keygate.logging.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.Iterator;

/**
 * An appender that masks every Keygate key in an event, then hands the event to the appenders it
 * refers to: for encoders that write the event's fields themselves instead of through conversion
 * words, such as Logback's {@code JsonEncoder} or logstash-logback-encoder.
 *
 * <pre>{@code
 * <appender name="JSON" class="ch.qos.logback.core.ConsoleAppender">
 *   <encoder class="ch.qos.logback.classic.encoder.JsonEncoder"/>
 * </appender>
 * <appender name="MASKED" class="dev.keygate.logging.logback.KeyMaskingAppender">
 *   <appender-ref ref="JSON"/>
 * </appender>
 * <root level="INFO"><appender-ref ref="MASKED"/></root>
 * }</pre>
 *
 * <p>Masked: the message (its template, its arguments as text, the formatted message), MDC values,
 * key-value pair values and the messages of the throwable, its causes and suppressed throwables.
 * An event without a key is passed on as it is. The referred appenders must be referred to only
 * through this one, or they also receive the unmasked events.
 */
public class KeyMaskingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {
  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();

  /** Creates the appender; Logback does, for each {@code <appender>} element naming this class. */
  public KeyMaskingAppender() {}

  /**
   * Hands the event, keys masked, to every attached appender.
   *
   * @param event the event
   */
  @Override
  protected void append(ILoggingEvent event) {
    appenders.appendLoopOnAppenders(MaskedLoggingEvent.mask(event));
  }

  /** Stops this appender, then the appenders attached to it. */
  @Override
  public void stop() {
    super.stop();
    Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders();
    while (it.hasNext()) {
      it.next().stop();
    }
  }

  /**
   * Attaches an appender that will receive the masked events.
   *
   * @param appender the appender
   */
  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  /**
   * The attached appenders.
   *
   * @return an iterator over them
   */
  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  /**
   * The attached appender of this name.
   *
   * @param name the name
   * @return the appender, or null
   */
  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  /**
   * Whether {@code appender} is attached.
   *
   * @param appender the appender
   * @return whether it is attached
   */
  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  /** Detaches every appender and stops it. */
  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  /**
   * Detaches {@code appender}.
   *
   * @param appender the appender
   * @return whether it was attached
   */
  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  /**
   * Detaches the appender of this name.
   *
   * @param name the name
   * @return whether one was attached
   */
  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
