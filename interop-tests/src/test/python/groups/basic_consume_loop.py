# From kafka-consumers-notes.zh.md, sections "Creating a Kafka Consumer" (python code) and
# "Subscribing to Topics" (python code: basic_consume_loop with the partition EOF event).
# The notes' code is kept as written with its indentation restored; lines marked "harness:" are
# not from the notes: arguments, the imports the snippet uses, msg_process, enabling the EOF
# events the loop handles, and a bounded end of the loop.
# Usage: basic_consume_loop.py BOOTSTRAP TOPIC GROUP EXPECTED_RECORDS PARTITIONS
import re  # harness
import sys  # harness
from confluent_kafka import KafkaError, KafkaException  # harness: names the snippet uses

BOOTSTRAP, TOPIC, GROUP = sys.argv[1], sys.argv[2], sys.argv[3]  # harness
EXPECTED, PARTITIONS = int(sys.argv[4]), int(sys.argv[5])  # harness

from confluent_kafka import Consumer
conf = {'bootstrap.servers': BOOTSTRAP,
        'group.id': GROUP,
        'auto.offset.reset': 'smallest'}
# harness: librdkafka >= 1.0 emits the partition EOF events the loop handles only when asked to.
conf['enable.partition.eof'] = True
consumer = Consumer(conf)


# harness: msg_process, and the loop's end: every record processed and every partition at EOF.
processed = {}
eof_at = {}


def maybe_finish():
    global running
    last = {}
    for (partition, offset) in processed:
        last[partition] = max(last.get(partition, -1), offset)
    if len(processed) >= EXPECTED and len(eof_at) == PARTITIONS and all(
            eof_at[p] == last.get(p, -1) + 1 for p in eof_at):
        running = False


def msg_process(msg):
    processed[(msg.partition(), msg.offset())] = msg.value().decode()
    print('RECORD %d %d %s' % (msg.partition(), msg.offset(), msg.value().decode()))
    maybe_finish()


class EofWatcher(object):
    """harness: sees the loop's EOF line on its way to stderr."""
    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        self.stream.write(text)
        m = re.search(r'\[(\d+)\] reached end at offset (\d+)', text)
        if m:
            eof_at[int(m.group(1))] = int(m.group(2))
            maybe_finish()

    def flush(self):
        self.stream.flush()


sys.stderr = EofWatcher(sys.stderr)


running = True
def basic_consume_loop(consumer, topics):
    try:
        consumer.subscribe(topics)
        while running:
            msg = consumer.poll(timeout=1.0)
            if msg is None: continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    # End of partition event
                    sys.stderr.write('%% %s [%d] reached end at offset %d\n' %
                                     (msg.topic(), msg.partition(), msg.offset()))
                elif msg.error():
                    raise KafkaException(msg.error())
            else:
                msg_process(msg)
    finally:
        # Close down consumer to commit final offsets.
        consumer.close()
def shutdown():
    running = False


basic_consume_loop(consumer, [TOPIC])  # harness
print('DONE processed=%d eof=%s' % (len(processed), sorted(eof_at.items())))  # harness
