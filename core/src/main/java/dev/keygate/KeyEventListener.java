package dev.keygate;

/** Receives audit events. Called synchronously; must be quick and must not throw. */
@FunctionalInterface
public interface KeyEventListener {
  /** Handles one event. */
  void onEvent(KeyEvent event);
}
