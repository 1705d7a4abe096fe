package io.tributary.client.common.errors;

import io.tributary.protocol.Errors;

/**
 * The broker refused this consumer access to its group (GROUP_AUTHORIZATION_FAILED, e.g. an ACL
 * denies Read on the group). Fatal for the operation: retrying cannot help until the ACLs
 * change. Thrown by poll (membership), commit* and committed. Immutable.
 */
public class GroupAuthorizationException extends ApiException {
    private static final long serialVersionUID = 1L;
    private final String groupId;

    public GroupAuthorizationException(String groupId, String context) {
        super(
                Errors.GROUP_AUTHORIZATION_FAILED,
                (context == null ? "" : context + ": ") + "Not authorized to access group: " + groupId);
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }
}
