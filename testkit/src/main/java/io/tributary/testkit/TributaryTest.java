package io.tributary.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a real Tributary broker in the test JVM for this JUnit 5 class (issue 13): on a free port,
 * in a temporary directory deleted afterwards. Tests receive it as a {@link TestBroker} parameter
 * or field, or its address as a {@code @BootstrapServers String}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TributaryExtension.class)
public @interface TributaryTest {
    /** One broker for the whole class (default), or a fresh one for every test method. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** Broker settings as Kafka {@code key=value} strings, e.g. {@code "num.partitions=3"}. */
    String[] brokerProperties() default {};

    /** How long a broker lives. */
    enum Lifecycle {
        PER_CLASS,
        PER_METHOD
    }
}
