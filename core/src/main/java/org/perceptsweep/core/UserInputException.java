package org.perceptsweep.core;

/**
 * An error the user caused and can fix: a bad path, an unreadable image, a malformed row, an unknown
 * tap or net. The message is one line that names the file, row or key and says what to do; the CLI
 * prints it without a stack trace and exits non-zero.
 */
public class UserInputException extends RuntimeException {
  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
