package io.tributary.cli;

/**
 * A problem the user can fix (unknown topic, unreachable broker, malformed input): printed as
 * one line {@code tributary: <message>} and exit code {@link Main#EXIT_FAILURE}, no stack trace.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
