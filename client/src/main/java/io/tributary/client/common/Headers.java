package io.tributary.client.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The headers of one record, in wire order. Consumers receive them read-only; the application
 * thread owns the instance once poll returns it.
 */
public final class Headers implements Iterable<Header> {
    public static final Headers EMPTY = new Headers(List.of());

    private final List<Header> headers;

    public Headers(List<Header> headers) {
        this.headers = Collections.unmodifiableList(new ArrayList<>(headers));
    }

    private Headers(List<Header> headers, boolean unmodifiable) {
        this.headers = headers;
    }

    /**
     * A decoded record's headers, wrapped without copying the list (the consumer builds one per
     * record with headers; issue 16). {@code wire} is not kept, only its elements.
     */
    public static Headers wrap(io.tributary.protocol.record.Header[] wire) {
        switch (wire.length) {
            case 0:
                return EMPTY;
            case 1:
                return new Headers(List.of(Header.wrap(wire[0])), true);
            case 2:
                return new Headers(List.of(Header.wrap(wire[0]), Header.wrap(wire[1])), true);
            default:
                Header[] out = new Header[wire.length];
                for (int i = 0; i < wire.length; i++) {
                    out[i] = Header.wrap(wire[i]);
                }
                return new Headers(Collections.unmodifiableList(java.util.Arrays.asList(out)), true);
        }
    }

    /** The last header with this key (Kafka's rule when a key repeats), or null. */
    public Header lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i);
            }
        }
        return null;
    }

    public Iterable<Header> headers(String key) {
        List<Header> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.key().equals(key)) {
                out.add(h);
            }
        }
        return out;
    }

    public Header[] toArray() {
        return headers.toArray(new Header[0]);
    }

    public int size() {
        return headers.size();
    }

    @Override
    public Iterator<Header> iterator() {
        return headers.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && headers.equals(h.headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        return "Headers" + headers;
    }
}
