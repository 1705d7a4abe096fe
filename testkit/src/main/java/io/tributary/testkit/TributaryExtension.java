package io.tributary.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link TributaryTest} (issue 13). The broker lives in the JUnit
 * store of the class (or of the method, for {@code PER_METHOD}), so JUnit closes it when that
 * scope ends, whatever happened in the tests; each test class gets its own, which keeps classes
 * running in parallel isolated.
 *
 * <p>Injects {@link TestBroker} and {@code @BootstrapServers String} into parameters of
 * constructors, lifecycle and test methods, and into fields (static fields before
 * {@code @BeforeAll}, instance fields before each test).
 */
public final class TributaryExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TributaryExtension.class);
    private static final String KEY = "broker";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TributaryTest config = config(context);
        if (config.lifecycle() == TributaryTest.Lifecycle.PER_CLASS) {
            TestBroker broker = start(context, config);
            inject(context.getRequiredTestClass(), null, broker);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        TributaryTest config = config(context);
        if (config.lifecycle() == TributaryTest.Lifecycle.PER_METHOD) {
            start(context, config);
        }
        TestBroker broker = find(context).orElseThrow();
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            inject(instance.getClass(), instance, broker);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        Class<?> type = p.getParameter().getType();
        return type == TestBroker.class || (type == String.class && p.isAnnotated(BootstrapServers.class));
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        TestBroker broker = find(context)
                .orElseThrow(() -> new ParameterResolutionException("no Tributary broker here: with"
                        + " lifecycle PER_METHOD the broker exists only in @BeforeEach, tests and @AfterEach"));
        return p.getParameter().getType() == TestBroker.class ? broker : broker.bootstrapServers();
    }

    private static TributaryTest config(ExtensionContext context) {
        for (Optional<Class<?>> c = context.getTestClass(); c.isPresent(); ) {
            Optional<TributaryTest> found = AnnotationSupport.findAnnotation(c.get(), TributaryTest.class);
            if (found.isPresent()) {
                return found.get();
            }
            Class<?> enclosing = c.get().getEnclosingClass();
            c = Optional.ofNullable(enclosing);
        }
        throw new ExtensionConfigurationException("TributaryExtension needs @TributaryTest on the test class");
    }

    private static TestBroker start(ExtensionContext context, TributaryTest config) {
        if (find(context).isPresent() && context.getTestMethod().isEmpty()) {
            return find(context).get(); // a @Nested class shares its outer class's broker
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String kv : config.brokerProperties()) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException("brokerProperties entry is not key=value: " + kv);
            }
            props.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        TestBroker broker = TestBroker.start(props);
        context.getStore(NS).put(KEY, new Closing(broker));
        return broker;
    }

    /** The nearest broker: the method's own, else the class's (stores look up their parents). */
    private static Optional<TestBroker> find(ExtensionContext context) {
        Closing c = context.getStore(NS).get(KEY, Closing.class);
        return Optional.ofNullable(c).map(Closing::broker);
    }

    private static void inject(Class<?> type, Object instance, TestBroker broker) throws IllegalAccessException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) != (instance == null) || Modifier.isFinal(f.getModifiers())) {
                    continue;
                }
                Object value = null;
                if (f.getType() == TestBroker.class) {
                    value = broker;
                } else if (f.getType() == String.class && f.isAnnotationPresent(BootstrapServers.class)) {
                    value = broker.bootstrapServers();
                }
                if (value != null) {
                    f.setAccessible(true);
                    f.set(instance, value);
                }
            }
        }
    }

    /** Lets JUnit close the broker when the scope that owns it ends. */
    private record Closing(TestBroker broker) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            broker.close();
        }
    }
}
