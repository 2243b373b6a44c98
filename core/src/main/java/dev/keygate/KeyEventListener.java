package dev.keygate;

/** Receives audit events. Called synchronously; must be quick and must not throw. */
@FunctionalInterface
public interface KeyEventListener {
  /**
   * Handles one event.
   *
   * @param event what happened, to which key, when and from where
   */
  void onEvent(KeyEvent event);
}
