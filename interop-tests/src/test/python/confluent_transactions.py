#!/usr/bin/python3
"""librdkafka transactions through python3-confluent-kafka (Debian's 1.7.0 on librdkafka 2.0.2).

Usage: confluent_transactions.py BOOTSTRAP TOPIC PARTITIONS TRANSACTIONAL_ID

init_transactions, then a committed, an aborted and a committed transaction, each writing one
record to every partition. Prints one line starting with OK and exits 0, or the error and exits 1.
Run by LibrdkafkaTransactionsTest (issue 11) with /usr/bin/python3.
"""
import sys

from confluent_kafka import KafkaException, Producer


def main():
    bootstrap, topic, partitions, txn_id = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    p = Producer({"bootstrap.servers": bootstrap, "transactional.id": txn_id, "linger.ms": 0})
    try:
        p.init_transactions(30)
        for t, outcome in enumerate(["commit", "abort", "commit"]):
            p.begin_transaction()
            for part in range(partitions):
                p.produce(topic, value=("%s-%d-%d" % (outcome, t, part)).encode("ascii"), partition=part)
            if outcome == "commit":
                p.commit_transaction(30)
            else:
                p.flush(30)
                p.abort_transaction(30)
    except KafkaException as e:
        print("FAILED %s" % e.args[0])
        return 1
    print("OK transactions=3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
