package io.tributary.client.admin;

import java.util.Map;
import java.util.Properties;

/**
 * Kafka's {@code AdminClient}: the older entry point, kept so code written as
 * {@code AdminClient.create(props)} ports by changing imports. {@link TributaryAdmin} is its implementation.
 */
public abstract class AdminClient implements Admin {
    public static AdminClient create(Properties props) {
        return TributaryAdmin.create(props);
    }

    public static AdminClient create(Map<String, Object> conf) {
        return TributaryAdmin.create(conf);
    }
}
