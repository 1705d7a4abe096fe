package io.tributary.broker.txn;

import io.tributary.broker.network.Request;
import io.tributary.coordinator.RequestContext;
import io.tributary.protocol.Errors;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Small pieces the transaction handlers share. Stateless. */
final class TxnRequests {
    private TxnRequests() {}

    static RequestContext context(Request request) {
        SocketAddress remote = request.channel().remoteAddress();
        String host = remote instanceof InetSocketAddress isa && isa.getAddress() != null
                ? "/" + isa.getAddress().getHostAddress()
                : String.valueOf(remote);
        return new RequestContext(request.apiVersion(), request.clientId(), host);
    }

    /**
     * PRODUCER_FENCED exists from these versions on (InitProducerId v4, the others v2); older
     * clients get INVALID_PRODUCER_EPOCH for it, as Kafka answers them.
     */
    static Errors fencedForVersion(Errors e, short version, int firstVersionWithFenced) {
        return e == Errors.PRODUCER_FENCED && version < firstVersionWithFenced ? Errors.INVALID_PRODUCER_EPOCH : e;
    }
}
