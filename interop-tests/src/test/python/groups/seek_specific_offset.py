# From kafka-consumers-notes.zh.md, section "Consuming Records with Specific Offsets" (python
# code: seek to offset 0). Kept as written with its indentation restored; lines marked "harness:"
# are not from the notes: arguments for bootstrap.servers, group.id and the topic ('mytopic'),
# the TopicPartition import the snippet uses, the seek call itself (as written it raises
# TypeError with confluent_kafka whatever the broker; kept as a comment), and a bounded
# consumption that seeks partition 0 back to offset 0 once assigned and shows the re-read.
# Usage: seek_specific_offset.py BOOTSTRAP TOPIC GROUP EXPECTED_RECORDS
import sys  # harness
BOOTSTRAP, TOPIC, GROUP, EXPECTED = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])  # harness
from confluent_kafka import TopicPartition  # harness: the snippet uses it without importing it

from confluent_kafka import Consumer, KafkaError
c = Consumer({'bootstrap.servers': BOOTSTRAP,
              'group.id': GROUP,
              'auto.offset.reset': 'earliest'})
c.subscribe([TOPIC])
# seek()方法將分區的偏移量設置為0,意味著消費者將從分區的開頭開始消費消息
# notes, as written (TypeError on any broker: seek() takes one TopicPartition carrying the offset):
# c.seek(TopicPartition('mytopic', 0), 0)
try:  # harness: the intended call, where the notes make it: before the group assigned anything
    c.seek(TopicPartition(TOPIC, 0, 0))
    print('SEEK BEFORE ASSIGNMENT OK')
except Exception as e:
    print('SEEK BEFORE ASSIGNMENT RAISED %s' % e)

# harness: consume; once partition 0 is assigned and read to the end, seek it to 0 as the notes
# do and read it again from the beginning.
first_pass = []
second_pass = []
sought = False
while len(second_pass) < EXPECTED:
    msg = c.poll(1.0)
    if msg is None or msg.error():
        continue
    (second_pass if sought else first_pass).append(msg.offset())
    if not sought and len(first_pass) == EXPECTED:
        c.seek(TopicPartition(TOPIC, 0, 0))
        sought = True
print('FIRST %s' % ','.join(map(str, first_pass)))
print('AFTER SEEK %s' % ','.join(map(str, second_pass)))
c.close()
