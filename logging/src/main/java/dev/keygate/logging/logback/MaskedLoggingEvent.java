package dev.keygate.logging.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.keygate.KeyScanner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * An event as an encoder may see it: message, arguments, MDC values, key-value pairs and throwable
 * messages with every key masked; everything else is the original's.
 */
final class MaskedLoggingEvent implements ILoggingEvent {
  private static final KeyScanner SCANNER = KeyScanner.anyPrefix();
  /** A cause chain longer than this is not followed (Logback's own proxies end cycles earlier). */
  private static final int MAX_DEPTH = 64;

  private final ILoggingEvent event;
  private final String message;
  private final Object[] arguments;
  private final String formattedMessage;
  private final Map<String, String> mdc;
  private final List<KeyValuePair> keyValuePairs;
  private final IThrowableProxy throwable;

  private MaskedLoggingEvent(ILoggingEvent event, String message, Object[] arguments, String formattedMessage,
      Map<String, String> mdc, List<KeyValuePair> keyValuePairs, IThrowableProxy throwable) {
    this.event = event;
    this.message = message;
    this.arguments = arguments;
    this.formattedMessage = formattedMessage;
    this.mdc = mdc;
    this.keyValuePairs = keyValuePairs;
    this.throwable = throwable;
  }

  /** {@code event} with its keys masked, or {@code event} itself when it holds none. */
  static ILoggingEvent mask(ILoggingEvent event) {
    String message = maskNullable(event.getMessage());
    Object[] arguments = maskArguments(event.getArgumentArray());
    String formatted = maskNullable(event.getFormattedMessage());
    Map<String, String> mdc = maskMdc(event.getMDCPropertyMap());
    List<KeyValuePair> pairs = maskPairs(event.getKeyValuePairs());
    IThrowableProxy throwable = event.getThrowableProxy();
    boolean throwableHasKey = hasKey(throwable, 0);
    if (message == event.getMessage() && arguments == event.getArgumentArray()
        && formatted == event.getFormattedMessage() && mdc == event.getMDCPropertyMap()
        && pairs == event.getKeyValuePairs() && !throwableHasKey) {
      return event;
    }
    return new MaskedLoggingEvent(event, message, arguments, formatted, mdc, pairs,
        throwableHasKey ? new MaskedThrowableProxy(throwable) : throwable);
  }

  private static String maskNullable(String text) {
    return text == null ? null : SCANNER.mask(text);
  }

  private static Object[] maskArguments(Object[] arguments) {
    if (arguments == null) {
      return null;
    }
    Object[] masked = arguments;
    for (int i = 0; i < arguments.length; i++) {
      if (arguments[i] == null) {
        continue;
      }
      String text = String.valueOf(arguments[i]);
      String maskedText = SCANNER.mask(text);
      if (maskedText != text) {
        if (masked == arguments) {
          masked = arguments.clone();
        }
        masked[i] = maskedText;
      }
    }
    return masked;
  }

  private static Map<String, String> maskMdc(Map<String, String> mdc) {
    if (mdc == null || mdc.isEmpty()) {
      return mdc;
    }
    Map<String, String> masked = null;
    for (Map.Entry<String, String> e : mdc.entrySet()) {
      String value = maskNullable(e.getValue());
      if (value != e.getValue()) {
        if (masked == null) {
          masked = new LinkedHashMap<>(mdc);
        }
        masked.put(e.getKey(), value);
      }
    }
    return masked == null ? mdc : Collections.unmodifiableMap(masked);
  }

  private static List<KeyValuePair> maskPairs(List<KeyValuePair> pairs) {
    if (pairs == null || pairs.isEmpty()) {
      return pairs;
    }
    List<KeyValuePair> masked = null;
    for (int i = 0; i < pairs.size(); i++) {
      KeyValuePair pair = pairs.get(i);
      if (pair.value == null) {
        continue;
      }
      String text = String.valueOf(pair.value);
      String value = SCANNER.mask(text);
      if (value != text) {
        if (masked == null) {
          masked = new ArrayList<>(pairs);
        }
        masked.set(i, new KeyValuePair(pair.key, value));
      }
    }
    return masked == null ? pairs : Collections.unmodifiableList(masked);
  }

  private static boolean hasKey(IThrowableProxy proxy, int depth) {
    if (proxy == null || depth > MAX_DEPTH) {
      return false;
    }
    String message = proxy.getMessage();
    if (message != null && SCANNER.mask(message) != message) {
      return true;
    }
    IThrowableProxy[] suppressed = proxy.getSuppressed();
    if (suppressed != null) {
      for (IThrowableProxy s : suppressed) {
        if (hasKey(s, depth + 1)) {
          return true;
        }
      }
    }
    return hasKey(proxy.getCause(), depth + 1);
  }

  @Override
  public String getThreadName() {
    return event.getThreadName();
  }

  @Override
  public Level getLevel() {
    return event.getLevel();
  }

  @Override
  public String getMessage() {
    return message;
  }

  @Override
  public Object[] getArgumentArray() {
    return arguments;
  }

  @Override
  public String getFormattedMessage() {
    return formattedMessage;
  }

  @Override
  public String getLoggerName() {
    return event.getLoggerName();
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return event.getLoggerContextVO();
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    return throwable;
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return event.getCallerData();
  }

  @Override
  public boolean hasCallerData() {
    return event.hasCallerData();
  }

  @Override
  public List<Marker> getMarkerList() {
    return event.getMarkerList();
  }

  @Override
  public Map<String, String> getMDCPropertyMap() {
    return mdc;
  }

  /** {@inheritDoc} */
  @Override
  @Deprecated
  public Map<String, String> getMdc() {
    return mdc;
  }

  @Override
  public long getTimeStamp() {
    return event.getTimeStamp();
  }

  @Override
  public int getNanoseconds() {
    return event.getNanoseconds();
  }

  @Override
  public long getSequenceNumber() {
    return event.getSequenceNumber();
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    return keyValuePairs;
  }

  @Override
  public void prepareForDeferredProcessing() {
    event.prepareForDeferredProcessing();
  }

  /** A throwable as an encoder sees it: its message and those of its causes and suppressed ones masked. */
  private static final class MaskedThrowableProxy implements IThrowableProxy {
    private final IThrowableProxy proxy;

    MaskedThrowableProxy(IThrowableProxy proxy) {
      this.proxy = proxy;
    }

    @Override
    public String getMessage() {
      return maskNullable(proxy.getMessage());
    }

    @Override
    public String getClassName() {
      return proxy.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return proxy.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      IThrowableProxy cause = proxy.getCause();
      return cause == null ? null : new MaskedThrowableProxy(cause);
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = proxy.getSuppressed();
      if (suppressed == null) {
        return null;
      }
      IThrowableProxy[] masked = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        masked[i] = new MaskedThrowableProxy(suppressed[i]);
      }
      return masked;
    }

    @Override
    public boolean isCyclic() {
      return proxy.isCyclic();
    }
  }
}
