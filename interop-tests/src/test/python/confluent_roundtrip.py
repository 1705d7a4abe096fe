#!/usr/bin/python3
"""librdkafka round trip through python3-confluent-kafka (Debian's 1.7.0 on librdkafka 2.0.2).

Usage: confluent_roundtrip.py BOOTSTRAP TOPIC PARTITIONS COUNT CODEC

Produces COUNT keyed records (acks=all) and checks every delivery report, then reads the topic
back with a Consumer that uses assign() from the beginning of each partition, and checks that
every record arrives exactly once, byte-identical, at the offsets its delivery report gave, and nothing else.
Prints one summary line starting with OK and exits 0, or prints the problems and exits 1.
Run by ConfluentKafkaPythonTest with /usr/bin/python3, where Debian installs the module.
"""
import sys
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition, OFFSET_BEGINNING


def value_for(i):
    # Mixed compressible text and non-text bytes so every codec is exercised.
    return ("python value %d " % i).encode("ascii") * 3 + bytes((i * 7 + j) % 256 for j in range(40))


def main():
    bootstrap, topic, partitions, count, codec = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    deadline = time.monotonic() + 60
    problems = []

    delivered = {}  # partition -> list of record index in delivery (= offset) order

    def on_delivery(err, msg):
        if err is not None:
            problems.append("delivery failed: %s" % err)
            return
        index = int(msg.key().decode("ascii").split("-")[1])
        delivered.setdefault(msg.partition(), []).append((msg.offset(), index))

    producer = Producer({
        "bootstrap.servers": bootstrap,
        "acks": "all",
        "compression.codec": codec,
        "linger.ms": 5,
    })
    for i in range(count):
        while True:
            try:
                producer.produce(topic, key=("k-%d" % i).encode("ascii"), value=value_for(i), on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    remaining = producer.flush(max(1.0, deadline - time.monotonic()))
    if remaining:
        problems.append("%d records still undelivered at the deadline" % remaining)
    delivered_total = sum(len(v) for v in delivered.values())
    if delivered_total != count:
        problems.append("delivery reports for %d of %d records" % (delivered_total, count))

    expected = {p: [index for _, index in sorted(entries)] for p, entries in delivered.items()}

    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "interop-assign-only",  # required by the client; assign() does not join it
        "enable.auto.commit": False,
        "enable.partition.eof": True,
    })
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
    received = {p: [] for p in range(partitions)}
    at_eof = set()
    while len(at_eof) < partitions or sum(len(v) for v in received.values()) < delivered_total:
        if time.monotonic() > deadline:
            problems.append("consume deadline passed with %d of %d records"
                            % (sum(len(v) for v in received.values()), delivered_total))
            break
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                at_eof.add(msg.partition())
                continue
            problems.append("consume error: %s" % msg.error())
            break
        at_eof.discard(msg.partition())
        index = int(msg.key().decode("ascii").split("-")[1])
        if msg.value() != value_for(index):
            problems.append("record %d: value differs" % index)
        received[msg.partition()].append(index)
    consumer.close()

    for p in range(partitions):
        if received.get(p, []) != expected.get(p, []):
            problems.append("partition %d: read %d records, delivered %d, or order differs"
                            % (p, len(received.get(p, [])), len(expected.get(p, []))))

    if problems:
        for problem in problems[:20]:
            print(problem)
        sys.exit(1)
    print("OK produced=%d consumed=%d partitions=%s" % (
        delivered_total, sum(len(v) for v in received.values()),
        ",".join(str(len(received[p])) for p in range(partitions))))


if __name__ == "__main__":
    main()
