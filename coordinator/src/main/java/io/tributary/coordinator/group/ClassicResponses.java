package io.tributary.coordinator.group;

import io.tributary.protocol.Errors;
import io.tributary.protocol.message.JoinGroupResponseData;
import io.tributary.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;

/** The JoinGroup and SyncGroup responses the classic handlers and the rebalancer send: one builder each. */
final class ClassicResponses {
    private ClassicResponses() {}

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setMemberId(memberId).setErrorCode(error.code());
    }

    static JoinGroupResponseData currentGenerationResponse(
            ClassicGroup group, String memberId, boolean withMembers, boolean skipAssignment) {
        return new JoinGroupResponseData()
                .setMembers(withMembers ? group.currentMembersForLeader() : new ArrayList<>())
                .setMemberId(memberId)
                .setGenerationId(group.generationId())
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setLeader(group.leaderId() == null ? "" : group.leaderId())
                .setSkipAssignment(skipAssignment);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code());
    }

    /** A member's SyncGroup answer: the group's protocol and the member's assignment. */
    static SyncGroupResponseData syncResponse(ClassicGroup group, ClassicGroupMember member, Errors error) {
        return new SyncGroupResponseData()
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setAssignment(member.assignment())
                .setErrorCode(error.code());
    }
}
