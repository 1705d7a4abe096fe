package io.tributary.coordinator.runtime;

import java.util.List;

/** The state machine a {@link CoordinatorRuntime} drives. Owned by the coordinator thread. */
public interface CoordinatorShard {
    /** Applies one record; loading is true while the log is replayed at start-up. */
    void replay(CoordinatorRecord record, boolean loading);

    /** Called once the log has been replayed, inside an operation (to set timers). */
    void onLoaded();

    /** Records that restate the whole durable state, for a log snapshot. */
    List<CoordinatorRecord> snapshot();

    /** How many records a snapshot would hold. */
    int liveRecordCount();
}
