package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import io.tributary.protocol.message.MetadataRequestData;
import io.tributary.protocol.message.MetadataResponseData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9 item 1 (S1): every listener is served at once and Metadata advertises the one the client came in on. */
class MultiListenerTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of(
            "listeners", "PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0",
            "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT",
            "advertised.listeners", "INTERNAL://internal.example:0"));

    @TempDir
    Path dir;

    @Test
    void eachListenerAdvertisesItselfInMetadataAndFindCoordinator() throws Exception {
        TributaryBroker broker = fixture.get();
        int external = broker.boundPort("PLAINTEXT");
        int internal = broker.boundPort("INTERNAL");
        assertThat(external).isNotEqualTo(internal).isEqualTo(broker.boundPort());
        assertThat(broker.bootstrapServers("INTERNAL")).isEqualTo("internal.example:" + internal);

        try (TestConnection c = new TestConnection(external)) {
            MetadataResponseData m =
                    c.roundTrip(new MetadataRequestData().setTopics(null), new MetadataResponseData(), (short) 4);
            assertThat(m.brokers).singleElement().satisfies(b -> {
                assertThat(b.host).isEqualTo("127.0.0.1");
                assertThat(b.port).isEqualTo(external);
            });
        }
        try (TestConnection c = new TestConnection(internal)) {
            MetadataResponseData m =
                    c.roundTrip(new MetadataRequestData().setTopics(null), new MetadataResponseData(), (short) 4);
            assertThat(m.brokers).singleElement().satisfies(b -> {
                assertThat(b.host).isEqualTo("internal.example");
                assertThat(b.port).isEqualTo(internal);
            });
            FindCoordinatorResponseData f = c.roundTrip(
                    new FindCoordinatorRequestData().setKey("g").setKeyType((byte) 0),
                    new FindCoordinatorResponseData(),
                    (short) 2);
            assertThat(f.host).isEqualTo("internal.example");
            assertThat(f.port).isEqualTo(internal);
        }
    }

    @Test
    void aSecuredListenerWithoutTheSecurityExtensionRefusesToStart() {
        assertThatThrownBy(() -> TributaryBroker.start(io.tributary.broker.config.BrokerConfig.fromMap(
                        Map.of("listeners", "SASL_PLAINTEXT://127.0.0.1:0", "log.dirs", dir.toString()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SASL_PLAINTEXT")
                .hasMessageContaining("security extension");
    }
}
