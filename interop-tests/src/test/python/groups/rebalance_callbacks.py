# From kafka-consumers-notes.zh.md, section "Rebalance Listeners" (python code: on_assign,
# on_revoke). Kept as written with its indentation restored; lines marked "harness:" are not from
# the notes: arguments for bootstrap.servers, group.id and the topic, the consumption the notes
# leave out ("消費msg 省略囉~"), bounded to the expected number of records, and on_revoke's commit
# call, which as written raises TypeError with confluent_kafka whatever the broker (kept as a
# comment beside the corrected call).
# Usage: rebalance_callbacks.py BOOTSTRAP TOPIC GROUP EXPECTED_RECORDS
import sys  # harness
BOOTSTRAP, TOPIC, GROUP, EXPECTED = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])  # harness

from confluent_kafka import Consumer, KafkaError
conf = {
    'bootstrap.servers': BOOTSTRAP,
    'group.id': GROUP,
    'auto.offset.reset': 'earliest'
}
def on_assign(consumer, partitions):
    # 在重新平衡之前調用,可以在這里執行一些邏輯
    print('Rebalance: Assigning partitions:', partitions)
    # 在這里設置初始偏移量,如果你有需要的話
    for partition in partitions:
        partition.offset = 0
    # 提交初始偏移量
    consumer.assign(partitions)
def on_revoke(consumer, partitions):
    # 在重新平衡之後調用,可以在這里執行一些邏輯
    print('Rebalance: Revoking partitions:', partitions)
    # 在這里提交最新的偏移量
    # notes, as written (TypeError on any broker: commit() takes a list of TopicPartition, and the
    # revoked partitions carry no offset):
    # consumer.commit(offsets={partition.topic: {partition.partition: partition.offset} for partition in partitions})
    consumer.commit(offsets=consumer.position(partitions), asynchronous=False)  # harness: the intended call
    # 取消分配分區
    consumer.unassign()
consumer = Consumer(conf)
# 设置 設置 Rebalance 回調函數
consumer.subscribe([TOPIC], on_assign=on_assign, on_revoke=on_revoke)
# 消費msg 省略囉~
# harness: the omitted consumption, then close (which revokes, calling on_revoke).
sys.stdout.flush()
seen = set()
while len(seen) < EXPECTED:
    msg = consumer.poll(1.0)
    if msg is None or msg.error():
        continue
    seen.add((msg.partition(), msg.offset()))
    print('RECORD %d %d %s' % (msg.partition(), msg.offset(), msg.value().decode()))
print('CONSUMED %d' % len(seen))
sys.stdout.flush()
consumer.close()
print('CLOSED')
