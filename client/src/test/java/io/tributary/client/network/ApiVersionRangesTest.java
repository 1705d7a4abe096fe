package io.tributary.client.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.message.ApiMessageType;
import org.junit.jupiter.api.Test;

/** Version negotiation picks the highest version both sides support, within the caller's cap. */
class ApiVersionRangesTest {
    @Test
    void highestCommonVersion() {
        // Apache 4.3.1 advertises Fetch 4-17: we use our highest, 11.
        assertThat(ApiVersionRanges.negotiate(ApiMessageType.FETCH, new short[] {4, 17}, Short.MAX_VALUE))
                .isEqualTo((short) 11);
        // PROTOCOL-COMPAT's classic profile: Metadata 0-4, OffsetCommit 2-7, JoinGroup 0-5.
        assertThat(ApiVersionRanges.negotiate(ApiMessageType.METADATA, new short[] {0, 4}, (short) 12))
                .isEqualTo((short) 4);
        assertThat(ApiVersionRanges.negotiate(ApiMessageType.OFFSET_COMMIT, new short[] {2, 7}, (short) 8))
                .isEqualTo((short) 7);
        assertThat(ApiVersionRanges.negotiate(ApiMessageType.JOIN_GROUP, new short[] {0, 5}, (short) 8))
                .isEqualTo((short) 5);
        assertThat(ApiVersionRanges.negotiate(ApiMessageType.FIND_COORDINATOR, new short[] {0, 6}, (short) 3))
                .isEqualTo((short) 3);
    }

    @Test
    void noOverlapOrNoSupportFailsClearly() {
        assertThatThrownBy(() -> ApiVersionRanges.negotiate(ApiMessageType.FETCH, new short[] {12, 17}, (short) 11))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("Fetch");
        assertThatThrownBy(() -> ApiVersionRanges.negotiate(ApiMessageType.LIST_OFFSETS, null, (short) 7))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("does not support");
    }
}
