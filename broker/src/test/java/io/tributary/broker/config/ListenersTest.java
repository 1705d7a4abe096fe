package io.tributary.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 9 item 1 (S1): several listeners, listener.security.protocol.map and advertised.listeners, as Kafka. */
class ListenersTest {
    @Test
    void everyListenerGetsItsProtocolFromTheMapOrItsOwnName() {
        BrokerConfig c = BrokerConfig.fromMap(Map.of(
                "listeners", "PLAINTEXT://:9092,SASL_SSL://:9093,INTERNAL://127.0.0.1:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,INTERNAL:SASL_PLAINTEXT"));
        assertThat(c.listeners())
                .containsExactly(
                        new BrokerConfig.Endpoint("PLAINTEXT", "", 9092, SecurityProtocol.PLAINTEXT),
                        new BrokerConfig.Endpoint("SASL_SSL", "", 9093, SecurityProtocol.SASL_SSL),
                        new BrokerConfig.Endpoint("INTERNAL", "127.0.0.1", 9094, SecurityProtocol.SASL_PLAINTEXT));
        assertThat(BrokerConfig.fromMap(Map.of("listeners", "SSL://:0,SASL_PLAINTEXT://:0")).listeners().stream()
                        .map(BrokerConfig.Endpoint::securityProtocol))
                .containsExactly(SecurityProtocol.SSL, SecurityProtocol.SASL_PLAINTEXT);
    }

    @Test
    void aKraftServerPropertiesStartsWithItsControllerListenerSkipped() {
        BrokerConfig c = BrokerConfig.fromMap(Map.of(
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9093",
                "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "advertised.listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093"));
        assertThat(c.listeners())
                .extracting(BrokerConfig.Endpoint::listenerName)
                .containsExactly("PLAINTEXT");
        assertThat(c.advertisedListeners())
                .extracting(BrokerConfig.Endpoint::listenerName)
                .containsExactly("PLAINTEXT");
    }

    @Test
    void badListenerConfigsFailNamingTheKeyAndTheEntry() {
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("listeners", "INTERNAL://:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners")
                .hasMessageContaining("INTERNAL")
                .hasMessageContaining("listener.security.protocol.map");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093")))
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("listeners", "PLAINTEXT://:9092,SSL://:9092")))
                .hasMessageContaining("port 9092");
        assertThatThrownBy(() -> BrokerConfig.fromMap(
                        Map.of("listeners", "A://:0", "listener.security.protocol.map", "A:KERBEROS")))
                .hasMessageContaining("listener.security.protocol.map")
                .hasMessageContaining("KERBEROS");
        assertThatThrownBy(() -> BrokerConfig.fromMap(
                        Map.of("listeners", "PLAINTEXT://:0", "advertised.listeners", "SSL://h:1")))
                .hasMessageContaining("advertised.listeners")
                .hasMessageContaining("SSL");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("listeners", "localhost:9092")))
                .hasMessageContaining("NAME://host:port");
    }
}
