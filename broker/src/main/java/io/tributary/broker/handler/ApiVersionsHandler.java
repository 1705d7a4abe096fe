package io.tributary.broker.handler;

import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.broker.network.ApiSupport;
import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ApiVersions: the advertised ranges of every registered API. A version newer than ours gets the
 * v0 layout with UNSUPPORTED_VERSION and only the ApiVersions entry, so that Java retries with
 * our max and librdkafka with v0. Stateless; runs on any event loop.
 */
public final class ApiVersionsHandler implements ApiHandler {
    private final ApiRegistry registry;

    public ApiVersionsHandler(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CompletionStage<Response> handle(Request request) {
        ApiSupport.Api self = ApiSupport.api(ApiMessageType.API_VERSIONS);
        if (request.body() == null) {
            ApiVersionsResponseData body =
                    new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
            body.apiKeys.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(self.key())
                    .setMinVersion(self.advertisedMin())
                    .setMaxVersion(self.advertisedMax()));
            return CompletableFuture.completedFuture(Response.ofVersion(request, body, (short) 0, false));
        }
        List<ApiVersionsResponseData.ApiVersion> keys = new ArrayList<>();
        for (ApiSupport.Api api : registry.advertised()) {
            keys.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(api.key())
                    .setMinVersion(api.advertisedMin())
                    .setMaxVersion(api.advertisedMax()));
        }
        ApiVersionsResponseData body = new ApiVersionsResponseData().setErrorCode(Errors.NONE.code());
        body.apiKeys.addAll(keys);
        return CompletableFuture.completedFuture(Response.of(request, body));
    }
}
