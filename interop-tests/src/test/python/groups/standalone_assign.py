# From kafka-consumers-notes.zh.md, section "Standalone Consumer: Why and How to Use a Consumer
# Without a Group" (python code: list_topics, then assign). Kept as written with its indentation
# restored; lines marked "harness:" are not from the notes: arguments for bootstrap.servers,
# group.id and the topic, the processing the notes elide ("......"), a bounded loop
# ("while True" becomes "while counts < EXPECTED"), and partition.partition, which raises
# AttributeError with confluent_kafka whatever the broker (kept as a comment beside the fix).
# Usage: standalone_assign.py BOOTSTRAP TOPIC GROUP EXPECTED_RECORDS
import sys  # harness
BOOTSTRAP, TOPIC, GROUP, EXPECTED = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])  # harness
counts = 0  # harness

from confluent_kafka import Consumer, KafkaError, TopicPartition
conf = {
    'bootstrap.servers': BOOTSTRAP,
    'group.id': GROUP,
    'auto.offset.reset': 'earliest', # OR 'latest'
}
consumer = Consumer(conf)
# 獲取主題的分區信息
topic = TOPIC
partition_infos = consumer.list_topics(topic=topic).topics[topic].partitions.values()
# 構建 TopicPartition 對象的列表
# notes, as written (AttributeError on any broker: PartitionMetadata calls it "id"):
# partitions = [TopicPartition(topic, partition.partition) for partition in partition_infos]
partitions = [TopicPartition(topic, partition.id) for partition in partition_infos]  # harness
print('PARTITIONS %s' % ','.join(str(p.partition) for p in sorted(partitions, key=lambda p: p.partition)))  # harness
# 手動分配分區
consumer.assign(partitions)
try:
    while counts < EXPECTED:  # harness: was "while True:"
        # 處理消息
        msg = consumer.poll(1.0)  # harness: the elided processing
        if msg is None or msg.error():  # harness
            continue  # harness
        print('RECORD %d %d %s' % (msg.partition(), msg.offset(), msg.value().decode()))  # harness
        counts += 1  # harness
        # 同步提交偏移量
        consumer.commit()
except KeyboardInterrupt:
    pass
finally:
    consumer.close()
print('DONE counts=%d' % counts)  # harness
