package io.tributary.interop.support;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Map;

/**
 * Our broker embedded in this JVM through {@code io.tributary.testkit.EmbeddedBroker}.
 *
 * <p>The testkit class is bound by name, not at compile time, so this module compiles and its
 * APACHE half runs on branches where the broker has not landed yet; there every TRIBUTARY
 * invocation fails with a clear message instead of the whole module failing to compile.
 *
 * <p>Owned by the test (or {@link Target#shared()}) that started it; called from its thread.
 */
final class TributaryEmbedded implements RunningBroker {
    private static final String EMBEDDED_BROKER = "io.tributary.testkit.EmbeddedBroker";

    private final Object broker;
    private final Api api;

    private TributaryEmbedded(Object broker, Api api) {
        this.broker = broker;
        this.api = api;
    }

    static TributaryEmbedded start(Map<String, String> overrides) {
        Api api = Api.load();
        try {
            return new TributaryEmbedded(api.start.invoke(overrides), api);
        } catch (Throwable t) {
            throw new IllegalStateException("Tributary EmbeddedBroker did not start", t);
        }
    }

    @Override
    public Target target() {
        return Target.TRIBUTARY;
    }

    @Override
    public String bootstrapServers() {
        return (String) call(api.bootstrapServers);
    }

    /** The broker's data directory (kept across {@link #restart()}). */
    public Path dataDir() {
        return (Path) call(api.dataDir);
    }

    @Override
    public boolean canRestart() {
        return true;
    }

    @Override
    public void restart() {
        call(api.restart);
    }

    @Override
    public void close() {
        call(api.close);
    }

    @Override
    public String toString() {
        return "TRIBUTARY@" + bootstrapServers();
    }

    private Object call(MethodHandle handle) {
        try {
            return handle.invoke(broker);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("EmbeddedBroker call failed", t);
        }
    }

    /** Method handles onto the testkit API, looked up when a broker starts. */
    private record Api(MethodHandle start, MethodHandle bootstrapServers, MethodHandle dataDir,
                       MethodHandle restart, MethodHandle close) {
        static Api load() {
            Class<?> type;
            try {
                type = Class.forName(EMBEDDED_BROKER);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(EMBEDDED_BROKER + " is not on the class path: "
                        + "this branch does not contain the Tributary broker yet", e);
            }
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            try {
                return new Api(
                        lookup.findStatic(type, "start", MethodType.methodType(type, Map.class))
                                .asType(MethodType.methodType(Object.class, Map.class)),
                        lookup.findVirtual(type, "bootstrapServers", MethodType.methodType(String.class))
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.findVirtual(type, "dataDir", MethodType.methodType(Path.class))
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.findVirtual(type, "restart", MethodType.methodType(void.class))
                                .asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.findVirtual(type, "close", MethodType.methodType(void.class))
                                .asType(MethodType.methodType(Object.class, Object.class)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(EMBEDDED_BROKER + " does not have the agreed API", e);
            }
        }
    }
}
