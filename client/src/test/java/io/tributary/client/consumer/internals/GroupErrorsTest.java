package io.tributary.client.consumer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.GroupAuthorizationException;
import io.tributary.client.common.errors.InvalidGroupIdException;
import io.tributary.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The exceptions group and coordinator responses turn into (issue 4 bad input): an ACL-denied
 * group gives GroupAuthorizationException as with Kafka, not a generic error or a silent retry.
 */
class GroupErrorsTest {

    @Test
    void groupAuthorizationFailedBecomesGroupAuthorizationException() {
        RuntimeException e = GroupErrors.exception(
                Errors.GROUP_AUTHORIZATION_FAILED, "payments", "FindCoordinator for group payments");
        assertThat(e)
                .isInstanceOf(GroupAuthorizationException.class)
                .hasMessageContaining("Not authorized to access group: payments");
        assertThat(((GroupAuthorizationException) e).groupId()).isEqualTo("payments");
        assertThat(((ApiException) e).error()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
        // Non-retriable: Retries gives up at once instead of spinning until the deadline.
        assertThat(Retries.retriable(e)).isFalse();
    }

    @Test
    void invalidGroupIdBecomesInvalidGroupIdException() {
        RuntimeException e = GroupErrors.exception(Errors.INVALID_GROUP_ID, "", "JoinGroup for group ");
        assertThat(e).isInstanceOf(InvalidGroupIdException.class).hasMessageContaining("INVALID_GROUP_ID");
        assertThat(Retries.retriable(e)).isFalse();
    }

    @Test
    void otherErrorsKeepTheirCodeAndRetriability() {
        RuntimeException e = GroupErrors.exception(Errors.COORDINATOR_NOT_AVAILABLE, "g", "FindCoordinator");
        assertThat(e).isInstanceOf(ApiException.class).isNotInstanceOf(GroupAuthorizationException.class);
        assertThat(Retries.retriable(e)).isTrue();
    }
}
