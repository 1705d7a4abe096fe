package io.tributary.cli;

import io.tributary.client.admin.TributaryAdmin;
import io.tributary.client.common.KafkaFuture;
import io.tributary.client.common.TributaryException;
import io.tributary.client.common.errors.GroupIdNotFoundException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.common.errors.UnknownTopicOrPartitionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * One admin client for one command (issue 13), and the waiting on its futures: every failure
 * becomes one line naming the problem, as the other client commands print it.
 */
final class AdminCalls implements AutoCloseable {
    private final ClientOptions options;
    private final TributaryAdmin admin;

    AdminCalls(ClientOptions options) {
        this.options = options;
        String t = Long.toString(options.timeoutMs);
        try {
            this.admin = TributaryAdmin.create(options.clientConfig(Map.of(
                    "client.id", "tributary-cli",
                    "default.api.timeout.ms", t,
                    "request.timeout.ms", t)));
        } catch (TributaryException e) {
            throw new CliException("bad client configuration: " + e.getMessage(), e);
        }
    }

    TributaryAdmin admin() {
        return admin;
    }

    /** The future's value; {@code subject} names the topic or group an unknown-resource error is about. */
    <T> T await(KafkaFuture<T> f, String subject) {
        try {
            return f.get(options.timeoutMs + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof TimeoutException) {
                throw unreachable(c);
            }
            if (c instanceof UnknownTopicOrPartitionException) {
                throw new CliException("unknown topic: " + subject, c);
            }
            if (c instanceof GroupIdNotFoundException) {
                throw new CliException("unknown group: " + subject, c);
            }
            String msg = c.getMessage();
            throw new CliException(
                    (subject == null ? "" : subject + ": ")
                            + (msg == null ? c.getClass().getSimpleName() : msg),
                    c);
        }
    }

    private CliException unreachable(Throwable cause) {
        return new CliException(
                "cannot reach brokers at " + options.bootstrapServers() + " within " + options.timeoutMs + " ms",
                cause);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
