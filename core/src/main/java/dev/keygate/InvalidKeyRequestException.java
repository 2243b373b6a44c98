package dev.keygate;

/** A create or rotate request breaks a validation rule; {@link #field()} names the field. */
public class InvalidKeyRequestException extends KeygateException {
  /** The request field at fault. */
  private final String field;

  /**
   * @param field the request field at fault, e.g. {@code expires_at}
   * @param rule what the field must be, e.g. {@code must be in the future}
   */
  public InvalidKeyRequestException(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
  }

  /**
   * The request field at fault, in snake_case as the JSON APIs spell it.
   *
   * @return the request field at fault, in snake_case as the JSON APIs spell it
   */
  public String field() {
    return field;
  }
}
