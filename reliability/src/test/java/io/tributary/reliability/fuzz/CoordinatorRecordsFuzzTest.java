package io.tributary.reliability.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.coordinator.record.RecordCodec;
import io.tributary.protocol.ProtocolException;

/**
 * Fuzz target for the group coordinator's internal records (issue 15, parser family 4), read from
 * disk at every start-up: keys and every value type (offsets, group metadata, transactional
 * offsets and their outcomes). The property: a record decodes or throws {@link ProtocolException},
 * which the loader logs and skips; any other exception type is a finding.
 */
class CoordinatorRecordsFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void records(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 4);
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            switch (which) {
                case 0 -> RecordCodec.decodeKey(bytes);
                case 1 -> RecordCodec.decodeOffsetValue(bytes);
                case 2 -> RecordCodec.decodeGroupValue(bytes);
                case 3 -> RecordCodec.decodeTxnOffsetValue(bytes);
                default -> RecordCodec.decodeTxnEndValue(bytes);
            }
        } catch (ProtocolException expected) {
            // unreadable: skipped at load
        }
    }
}
