package dev.keygate.management;

import dev.keygate.Scopes;
import java.util.Objects;

/**
 * One entry of the scope catalogue that the management API offers and the page shows.
 *
 * @param name the scope ({@code datasets.read})
 * @param description what it allows, in words
 */
public record ScopeDescription(String name, String description) {
  /**
   * Checks the values.
   *
   * @param name the scope
   * @param description what it allows
   * @throws IllegalArgumentException if {@code name} is not a valid scope or the description is
   *     blank
   */
  public ScopeDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    if (!Scopes.isValid(name)) {
      throw new IllegalArgumentException("not a valid scope: " + name);
    }
    if (description.isBlank()) {
      throw new IllegalArgumentException("the description of " + name + " is blank");
    }
  }
}
