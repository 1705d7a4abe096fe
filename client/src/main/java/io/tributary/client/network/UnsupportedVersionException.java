package io.tributary.client.network;

import io.tributary.client.common.TributaryException;

/** The broker and this client share no version of an API the operation needs. */
public class UnsupportedVersionException extends TributaryException {
    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(message);
    }
}
