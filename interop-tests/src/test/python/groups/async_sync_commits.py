# From kafka-consumers-notes.zh.md, section "Commits and Offsets" > "Committing a Specified
# Offset" (python code: async commit every 50 messages, sync commit in finally).
# Kept as written with its indentation restored, minus the four SASL settings (no SASL yet);
# lines marked "harness:" are not from the notes: arguments for bootstrap.servers, group.id and
# the topic, and a bounded loop ("while True" becomes "while counts < EXPECTED").
# Usage: async_sync_commits.py BOOTSTRAP TOPIC GROUP EXPECTED_RECORDS
import sys  # harness
BOOTSTRAP, TOPIC, GROUP, EXPECTED = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])  # harness

import json
import logging
from confluent_kafka import Consumer
logger = logging.getLogger()
# kafka 消費者
settings = {
    'bootstrap.servers': BOOTSTRAP,
    'group.id': GROUP,
    'enable.auto.commit': False
}
c = Consumer(settings, logger=logger)
c.subscribe([TOPIC])
# 消息消費和處理流程
done_msg = None
counts = 0
try:
    while counts < EXPECTED:  # harness: was "while True:"
        msg = c.poll(timeout=1.0)
        if msg is None:
            continue
        elif msg.error():
            logger.error(msg.error())
        else:
            print(msg)
            logger.info('Message done: %s', msg)
            done_msg = msg
            counts += 1
            if (counts % 50) == 0:
                c.commit(message=done_msg, asynchronous=True) # 異步提交 offset
except KeyboardInterrupt:
    pass
except Exception as e:
    logger.error(e, exc_info=True)
# 關閉 conn
finally:
    try:
        c.commit(message=done_msg, asynchronous=False) # 同步提交 offset
    finally:
        c.close()
print('DONE counts=%d last_offset=%d' % (counts, done_msg.offset()))  # harness
