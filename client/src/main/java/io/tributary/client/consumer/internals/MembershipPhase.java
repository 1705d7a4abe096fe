package io.tributary.client.consumer.internals;

import java.util.EnumSet;
import java.util.Set;

/**
 * The phases of a classic-protocol membership, each with the phases it may be entered from;
 * {@link #checkTransitionFrom} refuses any other move. IDLE and LEAVING may be entered from any
 * phase: a fatal error, an expired poll timeout or a leave can come at any time. STABLE and
 * JOINING may also follow IDLE, because a callback the membership asked for before a poll
 * timeout or fatal error still finishes its step when the application answers it.
 */
public enum MembershipPhase {
    /** Not in a generation, or waiting to (re)join. */
    IDLE,
    /** Running the callbacks due before JoinGroup (eager revoke, lost, unsubscribed topics). */
    PREPARING,
    /** JoinGroup (and, for the leader, the assignment) in flight. */
    JOINING,
    /** SyncGroup in flight. */
    SYNCING,
    /** The new assignment is known; its callbacks run. */
    COMPLETING,
    /** In a generation, heartbeating. */
    STABLE,
    /** Revoking before LeaveGroup (close or unsubscribe). */
    LEAVING;

    private Set<MembershipPhase> allowedPrevious;

    static {
        IDLE.allowedPrevious = EnumSet.allOf(MembershipPhase.class);
        PREPARING.allowedPrevious = EnumSet.of(IDLE, STABLE);
        JOINING.allowedPrevious = EnumSet.of(PREPARING, IDLE);
        SYNCING.allowedPrevious = EnumSet.of(JOINING);
        COMPLETING.allowedPrevious = EnumSet.of(SYNCING);
        STABLE.allowedPrevious = EnumSet.of(JOINING, SYNCING, COMPLETING, IDLE);
        LEAVING.allowedPrevious = EnumSet.allOf(MembershipPhase.class);
    }

    /**
     * @return this phase, when it may follow {@code previous}
     * @throws IllegalStateException naming both phases otherwise
     */
    public MembershipPhase checkTransitionFrom(MembershipPhase previous) {
        if (!allowedPrevious.contains(previous)) {
            throw new IllegalStateException("Invalid membership phase transition from " + previous + " to " + this
                    + "; " + this + " may follow only " + allowedPrevious);
        }
        return this;
    }
}
