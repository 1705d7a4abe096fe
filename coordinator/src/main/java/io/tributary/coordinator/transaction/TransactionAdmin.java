package io.tributary.coordinator.transaction;

import io.tributary.protocol.Errors;
import io.tributary.protocol.message.DescribeTransactionsResponseData;
import io.tributary.protocol.message.ListTransactionsRequestData;
import io.tributary.protocol.message.ListTransactionsResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** DescribeTransactions and ListTransactions answers from the coordinator's state. Stateless. */
final class TransactionAdmin {
    private TransactionAdmin() {}

    static DescribeTransactionsResponseData.TransactionState describe(String id, TransactionMetadata m) {
        DescribeTransactionsResponseData.TransactionState s =
                new DescribeTransactionsResponseData.TransactionState().setTransactionalId(id);
        if (m == null) {
            return s.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()).setTransactionState("");
        }
        s.setTransactionState(m.state().displayName)
                .setTransactionTimeoutMs(m.txnTimeoutMs())
                .setTransactionStartTimeMs(m.txnStartTimestampMs())
                .setProducerId(m.producerId())
                .setProducerEpoch(m.producerEpoch());
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TxnPartition p : m.partitions()) {
            byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition());
        }
        byTopic.forEach((topic, parts) -> s.topics.add(
                new DescribeTransactionsResponseData.TopicData().setTopic(topic).setPartitions(parts)));
        return s;
    }

    static ListTransactionsResponseData list(
            Collection<TransactionMetadata> all, ListTransactionsRequestData req, short version, long nowMs) {
        ListTransactionsResponseData resp = new ListTransactionsResponseData();
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        for (String name : req.stateFilters) {
            TransactionState s = TransactionState.fromDisplayName(name);
            if (s == null) {
                resp.unknownStateFilters.add(name);
            } else {
                states.add(s);
            }
        }
        Set<Long> pids = new HashSet<>(req.producerIdFilters);
        long duration = version >= 1 ? req.durationFilter : -1;
        Pattern pattern = null;
        if (version >= 2 && req.transactionalIdPattern != null && !req.transactionalIdPattern.isEmpty()) {
            try {
                pattern = Pattern.compile(req.transactionalIdPattern);
            } catch (PatternSyntaxException e) {
                return resp.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
            }
        }
        // Kafka answers nothing when every state filter is unknown rather than everything.
        if (!req.stateFilters.isEmpty() && states.isEmpty()) {
            return resp;
        }
        for (TransactionMetadata m : all) {
            if (!states.isEmpty() && !states.contains(m.state())) {
                continue;
            }
            if (!pids.isEmpty() && !pids.contains(m.producerId())) {
                continue;
            }
            // As Kafka: "running longer than" the duration, measured from the start timestamp.
            if (duration >= 0 && nowMs - m.txnStartTimestampMs() <= duration) {
                continue;
            }
            if (pattern != null && !pattern.matcher(m.transactionalId()).matches()) {
                continue;
            }
            resp.transactionStates.add(new ListTransactionsResponseData.TransactionState()
                    .setTransactionalId(m.transactionalId())
                    .setProducerId(m.producerId())
                    .setTransactionState(m.state().displayName));
        }
        return resp;
    }
}
