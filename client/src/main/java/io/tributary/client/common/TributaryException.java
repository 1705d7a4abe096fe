package io.tributary.client.common;

/** Base of every unchecked exception the Tributary client throws; callers may catch this one type. */
public class TributaryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TributaryException(String message) {
        super(message);
    }

    public TributaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
