package io.tributary.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.coordinator.testing.InMemoryCoordinatorLog;
import io.tributary.coordinator.testing.ManualEventLoop;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ConsumerGroupHeartbeatRequestData;
import io.tributary.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regular-expression subscriptions (issue 14, KIP-848) are RE2/J syntax, as on Apache Kafka: a
 * pattern only Java's regex accepts (look-ahead, back-reference) is INVALID_REGULAR_EXPRESSION
 * and the group keeps serving; RE2's own syntax such as {@code (?P<name>...)} works; a pattern
 * matches whole topic names.
 */
class RegexSubscriptionTest {
    private static final UUID FOO = new UUID(1, 1);
    private static final UUID FOOD = new UUID(2, 2);

    private final TopicMetadata topics = new TopicMetadata() {
        @Override
        public Topic byName(String name) {
            return switch (name) {
                case "foo" -> new Topic("foo", FOO, 2);
                case "food" -> new Topic("food", FOOD, 3);
                default -> null;
            };
        }

        @Override
        public Collection<String> names() {
            return List.of("foo", "food");
        }
    };
    private final ManualEventLoop loop = new ManualEventLoop();
    private final GroupCoordinator coordinator =
            new GroupCoordinator(GroupCoordinatorConfig.defaults(), new InMemoryCoordinatorLog(), loop);

    RegexSubscriptionTest() {
        coordinator.setTopicMetadata(topics);
        assertThat(coordinator.start()).isCompleted();
    }

    @AfterEach
    void close() {
        coordinator.close();
        loop.close();
    }

    private ConsumerGroupHeartbeatResponseData join(String group, String memberId, String regex) {
        return coordinator
                .consumerGroupHeartbeat(
                        RequestContext.of(1, "client", "/127.0.0.1"),
                        new ConsumerGroupHeartbeatRequestData()
                                .setGroupId(group)
                                .setMemberId(memberId)
                                .setMemberEpoch(0)
                                .setRebalanceTimeoutMs(30_000)
                                .setSubscribedTopicRegex(regex)
                                .setTopicPartitions(new ArrayList<>()))
                .join();
    }

    private static TreeSet<UUID> topicsOf(ConsumerGroupHeartbeatResponseData r) {
        assertThat(r.errorCode).as("error of %s", r).isEqualTo(Errors.NONE.code());
        TreeSet<UUID> out = new TreeSet<>();
        r.assignment.topicPartitions.forEach(tp -> out.add(tp.topicId));
        return out;
    }

    @Test
    void javaOnlySyntaxIsAnInvalidRegularExpression() {
        for (String javaOnly : List.of("foo(?=d)", "(fo)\\1d", "fo++d")) {
            ConsumerGroupHeartbeatResponseData r = join("g", "m-" + javaOnly.length(), javaOnly);
            assertThat(r.errorCode).as(javaOnly).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
            assertThat(r.errorMessage).contains(javaOnly);
        }
        assertThat(join("g", "m-broken", "(").errorCode).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());
        // The refusals left no trace: a valid member joins an otherwise empty group at epoch 1.
        assertThat(join("g", "ok", "foo").memberEpoch).isEqualTo(1);
    }

    @Test
    void re2SyntaxSubscribesAndPatternsMatchWholeNames() {
        assertThat(topicsOf(join("named", "m", "(?P<base>foo)d"))).containsExactly(FOOD);
        assertThat(topicsOf(join("whole", "m", "fo"))).isEmpty();
        assertThat(topicsOf(join("both", "m", "foo.*"))).containsExactly(FOO, FOOD);
        assertThat(topicsOf(join("class", "m", "foo[[:alpha:]]"))).containsExactly(FOOD);
    }
}
