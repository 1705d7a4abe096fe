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
