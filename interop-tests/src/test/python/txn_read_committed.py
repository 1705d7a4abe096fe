#!/usr/bin/python3
"""Reads a topic from the beginning with librdkafka (python3-confluent-kafka) under an isolation level.

Usage: txn_read_committed.py BOOTSTRAP TOPIC PARTITIONS ISOLATION EXPECTED_COUNT

Assigns every partition from its beginning with isolation.level=ISOLATION and reads until
EXPECTED_COUNT records arrived and every partition reported its end, then prints one line per
record, "PARTITION<TAB>VALUE", in arrival order, followed by a line "END". Exits 1 after 60 s
without that. Run by TransactionsAcceptanceTest with /usr/bin/python3 (issue 11).
"""
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING


def main():
    bootstrap, topic, partitions, isolation, expected = (
        sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "txn-reader-unused",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "isolation.level": isolation,
    })
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
    lines = []
    at_end = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error() is not None:
            if msg.error().code() == KafkaError._PARTITION_EOF:
                at_end.add(msg.partition())
                if len(lines) >= expected and len(at_end) == partitions:
                    break
                continue
            print("ERROR %s" % msg.error())
            sys.exit(1)
        at_end.discard(msg.partition())
        lines.append("%d\t%s" % (msg.partition(), msg.value().decode("utf-8")))
    consumer.close()
    for line in lines:
        print(line)
    if len(lines) < expected or len(at_end) != partitions:
        print("INCOMPLETE read=%d expected=%d partitions_at_end=%d" % (len(lines), expected, len(at_end)))
        sys.exit(1)
    print("END")


if __name__ == "__main__":
    main()
