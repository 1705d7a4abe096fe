package io.tributary.protocol;

/** Malformed bytes on the wire: a length out of range, a truncated field, an unknown version. */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
