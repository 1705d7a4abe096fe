package io.tributary.client.common;

/** A broker as metadata describes it. Immutable. */
public record Node(int id, String host, int port, String rack) {
    public static final Node NO_NODE = new Node(-1, "", -1, null);

    public String idString() {
        return Integer.toString(id);
    }

    @Override
    public String toString() {
        return host + ":" + port + " (id: " + id + (rack == null ? "" : " rack: " + rack) + ")";
    }
}
