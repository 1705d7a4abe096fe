package io.tributary.broker.handler;

import io.tributary.broker.BrokerState;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InitProducerId for idempotent producers: like Kafka without a transactional id, every call gets
 * a fresh producer id (epoch 0) from the persisted counter. Transactions are not supported, so a
 * transactional id is answered with a non-retriable error. Stateless; runs on any event loop.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdHandler.class);

    private final BrokerState state;

    public InitProducerIdHandler(BrokerState state) {
        this.state = state;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        InitProducerIdRequestData req = request.body();
        InitProducerIdResponseData resp =
                new InitProducerIdResponseData().setProducerId(-1L).setProducerEpoch((short) -1);
        RequestAuthorizer auth = state.authorizer();
        if (req.transactionalId != null
                && !auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId)) {
            resp.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        } else if (req.transactionalId == null
                && !auth.authorizeCluster(request, AclOperation.IDEMPOTENT_WRITE)
                && !auth.authorizeAny(request, AclOperation.WRITE, ResourceType.TOPIC)) {
            // Kafka lets an idempotent producer in with IDEMPOTENT_WRITE or WRITE on any topic (KIP-679).
            resp.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        } else if (req.transactionalId != null) {
            LOG.info(
                    "Refusing InitProducerId for transactional id {} from {}: transactions are not supported",
                    req.transactionalId,
                    request.clientId());
            resp.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        } else {
            long id = state.producerIds().nextProducerId();
            resp.setErrorCode(Errors.NONE.code()).setProducerId(id).setProducerEpoch((short) 0);
        }
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }
}
