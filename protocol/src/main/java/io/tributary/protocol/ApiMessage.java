package io.tributary.protocol;

/** A top-level request, response, header or data message generated from a message specification. */
public interface ApiMessage extends Message {
    /** The API key, or -1 for headers and data messages. */
    short apiKey();

    short lowestSupportedVersion();

    short highestSupportedVersion();
}
