# The specification's SASL/SCRAM consumer (kafka-consumers-notes.zh.md, "Committing a Specified
# Offset", python code), unchanged except that bootstrap servers and credentials come from the
# command line: python3 scram_commit_consumer.py BOOTSTRAP USER PASSWORD. Stop it with SIGINT
# (KeyboardInterrupt): it then commits synchronously and closes, as the program intends.
import json
import logging
import sys
from confluent_kafka import Consumer
logger = logging.getLogger()
# kafka 消費者
settings = {
    'bootstrap.servers': sys.argv[1],
    'security.protocol': 'SASL_PLAINTEXT',
    'sasl.mechanism': 'SCRAM-SHA-256',
    'sasl.username': sys.argv[2],
    'sasl.password': sys.argv[3],
    'group.id': 'myid',
    'enable.auto.commit': False
}
c = Consumer(settings, logger=logger)
c.subscribe(['customers'])
# 消息消費和處理流程
done_msg = None
counts = 0
try:
    while True:
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
                c.commit(message=done_msg, asynchronous=True)  # 異步提交 offset
except KeyboardInterrupt:
    pass
except Exception as e:
    logger.error(e, exc_info=True)
# 關閉 conn
finally:
    try:
        c.commit(message=done_msg, asynchronous=False)  # 同步提交 offset
    finally:
        c.close()
